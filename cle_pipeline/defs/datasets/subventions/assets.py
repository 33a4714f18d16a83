"""`subventions`: the commune's subsidies to associations in schema scdl/subventions 2.1.1.

From the commune's own table (`subventions_inbox`): values are put in the schema's formats
(amounts `1 500,00 €` → `1500.00`, dates `dd/mm/yyyy` → ISO, `oui`/`non`, `N/A` SIRETs →
empty), and an association without a RNA number in the file gets the one of the commune's
association with the same name in the RNA (`rna_waldec`), when exactly one active association
has that name. Every row of the commune's file is kept, in its order: a row that cannot be put
right fails the checks, which name its line in the commune's file (the frame's index,
`ligne_source`, which the published CSV does not carry).
"""

from __future__ import annotations

import re

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.subventions.schema import ONE_OF_REQUIRED, Subventions
from cle_pipeline.defs.datasets.subventions.sheet import SHEET
from cle_pipeline.lib.checks import Rule, dataset_checks, one_row_per
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.metadata import OWNERS, markdown_table, published_metadata
from cle_pipeline.lib.normalise import (
    blank_to_none,
    euro_amount,
    french_date,
    iso_period,
    name_key,
    oui_non,
    rna_text,
    share_of_one,
    single_line,
    siret_text,
)
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(Subventions.to_schema().columns)
# Each row of a commune's table is one beneficiary's grant: the schema's own value for a
# single beneficiary is 100 %, used when the commune's file has no percentage column.
SINGLE_BENEFICIARY = "1.00"


def nature_of(value: object) -> object:
    """`Aide en numéraire`, `Numéraire`, `en nature`, `numéraire et nature`… → the schema's
    enum (`aide en numéraire;aide en nature` in the order written). A kind of grant that is
    not a nature (`Fonctionnement`, `Investissement`) is left for the check to show."""
    value = blank_to_none(value)
    if value is None:
        return None
    pieces = re.split(r"[;,+/&]|\bet\b", str(value), flags=re.IGNORECASE)
    parts = [key.lower() for key in map(name_key, pieces) if key]
    natures: list[str] = []
    for part in parts:
        if "numeraire" in part:
            nature = "aide en numéraire"
        elif "nature" in part:
            nature = "aide en nature"
        else:
            return value
        if nature not in natures:
            natures.append(nature)
    return ";".join(natures) if natures else value


def conditions_of(value: object) -> object:
    """`Unique`, `versement unique` → `unique`; `Echelonné(e)` → `échelonné`; any other
    description is kept (the schema's 'autre' is a free description)."""
    value = single_line(value)
    if value is None:
        return None
    words = (name_key(value) or "").lower()
    if words in {"unique", "versement unique", "en une fois", "une fois"}:
        return "unique"
    if re.fullmatch(r"(versement )?echelonnee?s?", words) or words == "en plusieurs fois":
        return "échelonné"
    return value


def rna_by_name(associations: pd.DataFrame) -> dict[str, str]:
    """{name key: RNA id} of the commune's active associations (title and short title), for
    names that only one association bears: an ambiguous name gives no id."""
    active = associations[associations["position"] == "A"]
    ids: dict[str, set[str]] = {}
    for column in ("titre", "titre_court"):
        if column not in active:
            continue
        for title, rna in zip(active[column], active["id"], strict=True):
            key = name_key(title)
            if key:
                ids.setdefault(key, set()).add(rna)
    return {key: next(iter(found)) for key, found in ids.items() if len(found) == 1}


def fill_rna_by_name(table: pd.DataFrame, associations: pd.DataFrame) -> pd.DataFrame:
    """`rnaBeneficiaire` for the rows without one, from the RNA by the beneficiary's name."""
    known = rna_by_name(associations)
    found = table["nomBeneficiaire"].map(lambda name: known.get(name_key(name) or ""))
    missing = table["rnaBeneficiaire"].isna()
    return table.assign(rnaBeneficiaire=table["rnaBeneficiaire"].where(~missing, found))


def to_schema(rows: pd.DataFrame, associations: pd.DataFrame) -> pd.DataFrame:
    """The 16 columns of the schema, in its order, values in its formats; the index (the
    line in the commune's file) and the row order are the commune's."""
    table = rows.reindex(columns=COLUMNS).astype(object)
    if "pourcentageSubvention" not in rows:
        table["pourcentageSubvention"] = SINGLE_BENEFICIARY
    formats = {
        "nomAttribuant": single_line,
        "idAttribuant": siret_text,
        "dateConvention": french_date,
        "referenceDecision": single_line,
        "nomBeneficiaire": single_line,
        "idBeneficiaire": siret_text,
        "rnaBeneficiaire": rna_text,
        "objet": single_line,
        "montant": euro_amount,
        "nature": nature_of,
        "conditionsVersement": conditions_of,
        "datesPeriodeVersement": iso_period,
        "idRAE": single_line,
        "notificationUE": oui_non,
        "pourcentageSubvention": share_of_one,
        "dispositifAide": single_line,
    }
    for column, normalise in formats.items():
        table[column] = table[column].map(normalise).astype(object)
    table = fill_rna_by_name(table, associations)
    return table.map(blank_to_none).astype(object)


def amounts_not_positive(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose `montant` is zero or negative (a cancelled grant is removed, not negated)."""
    amounts = pd.to_numeric(frame["montant"], errors="coerce")
    failing = amounts.notna() & (amounts <= 0)
    return frame.loc[failing, ["nomBeneficiaire", "montant"]].reset_index()


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id, "schema": "scdl-subventions"},
)
def subventions(
    subventions_inbox: pd.DataFrame, rna_waldec: pd.DataFrame
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `subventions_inbox` (le tableau de la commune) : une ligne par ligne du
    tableau, dans son ordre, au schéma scdl/subventions 2.1.1, valeurs aux formats du schéma,
    numéros RNA complétés depuis `rna_waldec` par le nom. L'index est la ligne dans le fichier
    de la commune (non publié)."""
    table = to_schema(subventions_inbox, rna_waldec)
    given = subventions_inbox.reindex(columns=["rnaBeneficiaire"])["rnaBeneficiaire"]
    completed = given.map(rna_text).isna() & table["rnaBeneficiaire"].notna()
    found = table.loc[completed, ["nomBeneficiaire", "rnaBeneficiaire"]].reset_index()
    unidentified = table[list(ONE_OF_REQUIRED)].isna().all(axis=1)
    metadata = published_metadata(table, Subventions)
    metadata.update(
        {
            "rows_in_commune_file": len(subventions_inbox),
            "rna_found_by_name": dg.MetadataValue.md(markdown_table(found, limit=50)),
            "rows_without_siret_or_rna": ", ".join(map(str, table.index[unidentified])) or "none",
            "total_montant": float(pd.to_numeric(table["montant"], errors="coerce").sum()),
        }
    )
    return dg.Output(table, metadata=metadata)


RULES = [
    Rule("amount_above_zero", "Chaque montant est supérieur à zéro.", amounts_not_positive),
    one_row_per(
        "no_line_repeated",
        "Aucune ligne du fichier de la commune n'en répète une autre (une ligne collée deux fois).",
        None,  # the whole row: a line pasted twice
        ["nomBeneficiaire", "objet", "montant", "dateConvention"],
        with_index=True,
    ),
]


def commune_siren(code: str) -> str:
    """The first eight digits of a commune's SIREN: `21`, its department, `0` and its number in
    the department (Caudebec-lès-Elbeuf 76165: 217601657, Saint-Denis de La Réunion 97411:
    219740115, Ajaccio 2A004, Corsica written 20: 212000046); the ninth is the Luhn key."""
    department, number = (code[:3], code[3:]) if code.startswith("97") else (code[:2], code[2:])
    department = department.replace("2A", "20").replace("2B", "20")
    return f"21{department}0{number}"


def grants_of_other_communes(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Rows whose granting body (idAttribuant) is not the commune: a commune's SIRET begins
    with its SIREN (`commune_siren`)."""
    other = ~frame["idAttribuant"].fillna("").astype(str).str.startswith(commune_siren(code))
    return frame.loc[other, ["referenceDecision", "nomAttribuant", "idAttribuant"]]


subventions_checks = dataset_checks(
    SHEET,
    Subventions,
    volume=VolumeLimit(
        0.9,
        "chaque année le nouveau tableau de la commune remplace le précédent et peut compter bien"
        " moins de subventions ; un tableau vidé reste refusé",
    ),
    rules=RULES,
    commune_of_rows=grants_of_other_communes,
)

subventions_release = dataset_release(SHEET, Subventions, subventions_checks)
