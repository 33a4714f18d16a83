"""What both school-enrolment datasets (`effectifs_scolaires_2022`,
`evolution_effectifs_scolaires`) share: the reading of the DEPP enrolment rows (school years,
counts, sector, REP flags) into published columns, the pieces of their pandera models, and the
rules on pupils per level. Both datasets read the same rows the same way.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from cle_pipeline.lib.checks import Rule, one_row_per
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.normalise import blank_to_none, integer_text, schema_boolean

# -- the models' pieces -----------------------------------------------------------------------

# Unité administrative immatriculée: 7 digits and a check letter (`0761587M`).
UAI_PATTERN = r"^\d{7}[A-Z]$"
SECTEURS = ["public", "privé"]


def count(description: str, nullable: bool = False) -> object:
    """A number of pupils or classes: a non-negative integer."""
    return pa.Field(ge=0, nullable=nullable, description=description)


# -- the rows ---------------------------------------------------------------------------------

PARTS_OF_TOTAL = [
    "nombre_eleves_preelementaire_hors_ulis",
    "nombre_eleves_elementaire_hors_ulis",
    "nombre_eleves_ulis",
    "nombre_eleves_ueea",
]
PARTS_OF_ELEMENTARY = [
    "nombre_eleves_cp_hors_ulis",
    "nombre_eleves_ce1_hors_ulis",
    "nombre_eleves_ce2_hors_ulis",
    "nombre_eleves_cm1_hors_ulis",
    "nombre_eleves_cm2_hors_ulis",
]
COUNT_COLUMNS = [
    "nombre_total_classes",
    "nombre_total_eleves",
    *PARTS_OF_TOTAL,
    *PARTS_OF_ELEMENTARY,
]
SCHOOL_COLUMNS = [
    "rentree_scolaire",
    "code_commune_insee",
    "nom_commune",
    "numero_ecole",
    "denomination_principale",
    "patronyme",
    "secteur",
    "rep",
    "rep_plus",
    *COUNT_COLUMNS,
]
# The file writes PUBLIC / PRIVE; accents and "sous contrat" are tolerated, anything else is
# left as written so that the schema check shows it.
SECTOR_SPELLINGS = {
    "PUBLIC": "public",
    "PRIVE": "privé",
    "PRIVÉ": "privé",
    "PRIVE SOUS CONTRAT": "privé",
}
SCHOOL_YEAR_TEXT = re.compile(r"^\s*(\d{4})(?:\s*-\s*\d{4})?\s*$")


def school_year(value: object) -> int | None:
    """`2022` (or `2022-2023`) → 2022; None for anything else, which fails the check."""
    value = blank_to_none(value)
    match = SCHOOL_YEAR_TEXT.match(str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def counts(values: pd.Series) -> pd.Series:
    """`"125"` or `"125.0"` → 125; empty stays empty; other text becomes empty, so that the
    schema check names the row (counts are never negative or fractional)."""
    return pd.to_numeric(values.map(integer_text), errors="coerce").astype("Int64")


def sector(value: object) -> object:
    """`PUBLIC` → `public`, `PRIVE` → `privé`; an unknown value is left as written."""
    value = blank_to_none(value)
    if value is None:
        return None
    word = str(value).strip()
    return SECTOR_SPELLINGS.get(word.upper(), word)


def text(values: pd.Series) -> pd.Series:
    """Text values, blanks as missing (the string dtype the schema expects)."""
    return values.map(blank_to_none).astype("str")


def school_rows(effectifs: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """One typed row per school and school year of the enrolment rows, in published columns,
    sorted by school year then UAI. A missing `nombre_eleves_ueea` column (older exports)
    leaves the column empty."""
    effectifs = effectifs.reset_index(drop=True)
    missing = pd.Series([None] * len(effectifs), dtype="str")
    table = pd.DataFrame(
        {
            "rentree_scolaire": pd.array(
                effectifs["rentree_scolaire"].map(school_year).tolist(), dtype="Int64"
            ),
            "code_commune_insee": commune.code,
            "nom_commune": commune.name,
            "numero_ecole": text(effectifs["numero_ecole"]).str.strip(),
            "denomination_principale": text(effectifs["denomination_principale"]),
            "patronyme": text(effectifs["patronyme"]),
            "secteur": text(effectifs["secteur"].map(sector)),
            "rep": text(effectifs["rep"].map(schema_boolean)),
            "rep_plus": text(effectifs["rep_plus"].map(schema_boolean)),
            **{name: counts(effectifs.get(name, missing)) for name in COUNT_COLUMNS},
        },
        columns=SCHOOL_COLUMNS,
    )
    table["code_commune_insee"] = table["code_commune_insee"].astype("str")
    table["nom_commune"] = table["nom_commune"].astype("str")
    return table.sort_values(["rentree_scolaire", "numero_ecole"]).reset_index(drop=True)


def of_school_year(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of one rentrée. Rows whose school year could not be read are kept: the check
    names them instead of the school silently missing from the year."""
    keep = (rows["rentree_scolaire"] == year).fillna(False) | rows["rentree_scolaire"].isna()
    return rows[keep].reset_index(drop=True)


# What names a row in a failure: its level (evolution only), school year and school.
WHO = [
    "niveau_agregation",
    "rentree_scolaire",
    "numero_ecole",
    "denomination_principale",
    "patronyme",
]


def _who(frame: pd.DataFrame) -> list[str]:
    return [name for name in WHO if name in frame]


def levels_not_adding_up(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows where pre-elementary + elementary + ULIS (+ UEEA) differs from the total, or CP …
    CM2 from the elementary count, with the school and both sides of the equation."""
    values = frame[COUNT_COLUMNS].astype("Int64")
    equations = [
        (
            "préélémentaire + élémentaire + ULIS + UEEA = total",
            "nombre_total_eleves",
            values[PARTS_OF_TOTAL].fillna(0).sum(axis=1),
        ),
        (
            "CP + CE1 + CE2 + CM1 + CM2 = élémentaire",
            "nombre_eleves_elementaire_hors_ulis",
            values[PARTS_OF_ELEMENTARY].fillna(0).sum(axis=1),
        ),
    ]
    failures = []
    for rule, stated, summed in equations:
        # A missing total cannot be shown to add up: it fails too.
        wrong = (summed != values[stated]).fillna(True).to_numpy(dtype=bool)
        if wrong.any():
            failures.append(
                frame.loc[wrong, _who(frame)].assign(
                    ligne=frame.index[wrong] + 1,
                    regle=rule,
                    valeur_publiee=values.loc[wrong, stated],
                    somme_des_niveaux=summed[wrong],
                )
            )
    if not failures:
        return pd.DataFrame(columns=["ligne", "regle"])
    return pd.concat(failures, ignore_index=True)


LEVELS_SUM_TO_TOTAL = Rule(
    "levels_sum_to_total",
    "Les élèves par niveau s'additionnent : préélémentaire + élémentaire + ULIS (+ UEEA) = "
    "total des élèves, et CP + CE1 + CE2 + CM1 + CM2 = élèves de l'élémentaire, sur chaque "
    "ligne.",
    levels_not_adding_up,
)
ONE_ROW_PER_SCHOOL_AND_YEAR = one_row_per(
    "one_row_per_school_and_year",
    "Aucune école n'apparaît deux fois dans la même rentrée.",
    # The aggregation level is a key of evolution_effectifs_scolaires only.
    ["niveau_agregation", "rentree_scolaire", "numero_ecole"],
    WHO,
    line_column="ligne",
)
