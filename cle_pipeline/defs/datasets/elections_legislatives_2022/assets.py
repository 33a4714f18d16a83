"""`elections_legislatives_2022`: the commune's legislative results by polling station."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.elections import both_rounds, results_rules
from cle_pipeline.defs.datasets.elections_legislatives_2022.schema import (
    ElectionsLegislatives2022,
)
from cle_pipeline.defs.datasets.elections_legislatives_2022.sheet import SHEET
from cle_pipeline.lib.checks import dataset_checks
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(ElectionsLegislatives2022.to_schema().columns)


def legislative_results(
    round_1: pd.DataFrame, round_2: pd.DataFrame, commune: Commune
) -> pd.DataFrame:
    """Both rounds in one long table, one row per round × station × candidate, with the
    constituency (a commune may straddle two) and each candidate's nuance."""
    return both_rounds(round_1, round_2, commune, COLUMNS)


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
)
def elections_legislatives_2022(
    legislatives_2022_t1: pd.DataFrame, legislatives_2022_t2: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `legislatives_2022_t1` et `legislatives_2022_t2` : résultats des
    bureaux de vote de la commune aux deux tours, une ligne par tour × bureau × candidat, avec
    les totaux du bureau et la nuance du candidat."""
    table = legislative_results(legislatives_2022_t1, legislatives_2022_t2, commune)
    return dg.Output(table, metadata=published_metadata(table, ElectionsLegislatives2022))


elections_legislatives_2022_checks = dataset_checks(
    SHEET,
    ElectionsLegislatives2022,
    volume=VolumeLimit(
        0.0,
        "les résultats d'une élection passée ne changent plus",
    ),
    rules=results_rules(by_constituency=True),
    commune_of_rows="code_commune_insee",
)

elections_legislatives_2022_release = dataset_release(
    SHEET, ElectionsLegislatives2022, elections_legislatives_2022_checks
)
