"""`elections_presidentielle_2022`: the commune's presidential results by polling station."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.elections import both_rounds, results_rules
from cle_pipeline.defs.datasets.elections_presidentielle_2022.schema import (
    ElectionsPresidentielle2022,
)
from cle_pipeline.defs.datasets.elections_presidentielle_2022.sheet import SHEET
from cle_pipeline.lib.checks import dataset_checks
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(ElectionsPresidentielle2022.to_schema().columns)


def presidential_results(
    round_1: pd.DataFrame, round_2: pd.DataFrame, commune: Commune
) -> pd.DataFrame:
    """Both rounds in one long table, one row per round × station × candidate, in the
    model's column order (the constituency is left out: it plays no part in this election)."""
    return both_rounds(round_1, round_2, commune, COLUMNS)


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
)
def elections_presidentielle_2022(
    presidentielle_2022_t1: pd.DataFrame, presidentielle_2022_t2: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `presidentielle_2022_t1` et `presidentielle_2022_t2` : résultats des
    bureaux de vote de la commune aux deux tours, une ligne par tour × bureau × candidat, avec
    les totaux du bureau."""
    table = presidential_results(presidentielle_2022_t1, presidentielle_2022_t2, commune)
    return dg.Output(table, metadata=published_metadata(table, ElectionsPresidentielle2022))


elections_presidentielle_2022_checks = dataset_checks(
    SHEET,
    ElectionsPresidentielle2022,
    volume=VolumeLimit(
        0.0,
        "les résultats d'une élection passée ne changent plus",
    ),
    rules=results_rules(),
    commune_of_rows="code_commune_insee",
)

elections_presidentielle_2022_release = dataset_release(
    SHEET, ElectionsPresidentielle2022, elections_presidentielle_2022_checks
)
