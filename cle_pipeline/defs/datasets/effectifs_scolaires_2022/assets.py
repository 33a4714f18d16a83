"""`effectifs_scolaires_2022`: one row per primary school of the commune at rentrée 2022, with
its pupils per level, from the DEPP enrolment file placed by UAI through the school directory.

The reading of the enrolment rows and the rules on pupils per level are shared with
`evolution_effectifs_scolaires` (`defs/datasets/school_enrolments.py`).
"""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.effectifs_scolaires_2022.schema import EffectifsScolaires2022
from cle_pipeline.defs.datasets.effectifs_scolaires_2022.sheet import SHEET
from cle_pipeline.defs.datasets.school_enrolments import (
    LEVELS_SUM_TO_TOTAL,
    ONE_ROW_PER_SCHOOL_AND_YEAR,
    of_school_year,
    school_rows,
)
from cle_pipeline.lib.checks import dataset_checks
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

SCHOOL_YEAR = 2022


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
)
def effectifs_scolaires_2022(
    education_effectifs_ecoles: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `education_effectifs_ecoles` : élèves par niveau de chaque école du
    premier degré de la commune à la rentrée 2022 (DEPP), écoles placées par leur UAI grâce à
    l'annuaire de l'éducation."""
    table = of_school_year(school_rows(education_effectifs_ecoles, commune), SCHOOL_YEAR)
    return dg.Output(
        table,
        metadata={
            **published_metadata(table, EffectifsScolaires2022),
            "pupils": int(table["nombre_total_eleves"].sum()),
        },
    )


effectifs_scolaires_2022_checks = dataset_checks(
    SHEET,
    EffectifsScolaires2022,
    volume=VolumeLimit(
        0.0,
        "les chiffres de la rentrée 2022 sont définitifs : aucune école ne peut en disparaître",
    ),
    rules=[LEVELS_SUM_TO_TOTAL, ONE_ROW_PER_SCHOOL_AND_YEAR],
    commune_of_rows="code_commune_insee",
)

effectifs_scolaires_2022_release = dataset_release(
    SHEET, EffectifsScolaires2022, effectifs_scolaires_2022_checks
)
