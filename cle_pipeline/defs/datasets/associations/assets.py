"""`associations`: the active associations whose seat is in the commune (RNA)."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.associations.schema import LABELS, Associations
from cle_pipeline.defs.datasets.associations.sheet import SHEET
from cle_pipeline.lib.checks import Rule, dataset_checks
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.normalise import blank_to_none
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(Associations.to_schema().columns)
# The RNA's own columns (the labels are added here).
RNA_COLUMNS = [name for name in COLUMNS if not name.endswith("_libelle")]
DATE_COLUMNS = ["date_creat", "date_decla", "date_publi"]
# The RNA writes 0001-01-01 where a date is unknown.
UNKNOWN_DATE = "0001-01-01"


def active_associations(associations: pd.DataFrame) -> pd.DataFrame:
    """Active associations (position A), public columns only, sorted by RNA number."""
    active = associations[associations["position"] == "A"]
    missing = [name for name in RNA_COLUMNS if name not in active.columns]
    if missing:
        raise KeyError(f"rna_waldec: missing column(s) {', '.join(missing)}")
    table = active[RNA_COLUMNS].copy()
    for column in DATE_COLUMNS:
        table[column] = table[column].where(table[column] != UNKNOWN_DATE)
    table = table.map(blank_to_none).astype(object)
    for column, labels in LABELS.items():
        # Object dtype: pandas' text dtype would turn a missing label into NaN.
        table[f"{column}_libelle"] = pd.Series(
            [labels.get(str(code).strip().upper()) if code is not None else None
             for code in table[column]],
            index=table.index,
            dtype=object,
        )  # fmt: skip
    return table[COLUMNS].astype(object).sort_values("id").reset_index(drop=True)


def codes_without_label(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per RNA code (nature, groupement, position) that has no label: a code the
    register started to use, to add to `schema.LABELS`."""
    found = [
        {"id": rna_id, "column": column, "code": code}
        for column in LABELS
        for rna_id, code, label in zip(
            frame["id"], frame[column], frame[f"{column}_libelle"], strict=True
        )
        if not pd.isna(code) and pd.isna(label)
    ]
    return pd.DataFrame(found, columns=["id", "column", "code"], dtype=object)


def outside_commune(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Associations whose seat is in another commune."""
    return frame.loc[frame["adrs_codeinsee"] != commune.code, ["id", "titre", "adrs_codeinsee"]]


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
)
def associations(rna_waldec: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Construit depuis `rna_waldec` : les associations actives (position A) dont le siège est
    dans la commune ; jamais l'adresse du gestionnaire."""
    table = active_associations(rna_waldec)
    metadata = published_metadata(table, Associations)
    metadata["left_out_not_active"] = len(rna_waldec) - len(table)
    return dg.Output(table, metadata=metadata)


associations_checks = dataset_checks(
    SHEET,
    Associations,
    volume=VolumeLimit(
        0.2,
        "quelques associations sont dissoutes chaque mois ; un cinquième disparu d'un extrait "
        "mensuel du RNA au suivant, c'est une découpe ratée",
    ),
    rules=[
        Rule(
            "seat_in_commune",
            "Le siège de chaque association (adrs_codeinsee) est dans la commune.",
            outside_commune,
            inputs=("commune",),
        ),
        Rule(
            "codes_have_a_label",
            "Avertissement, non bloquant : chaque code du RNA (nature, groupement, position) a "
            "son libellé en clair ; un code nouveau est publié sans libellé, à ajouter à la "
            "table des libellés.",
            codes_without_label,
            blocking=False,
        ),
    ],
    # The seat's commune: an association belongs to the commune where its seat is.
    commune_of_rows="adrs_codeinsee",
)

associations_release = dataset_release(SHEET, Associations, associations_checks)
