"""`evolution_effectifs_scolaires`: the commune's primary-school enrolments over every school year
of the DEPP file (since 2019): one row per school and year, and one commune total row per year.

The two kinds of rows are told apart by `niveau_agregation` (`ecole` / `commune`) rather than a
fake UAI such as `TOTAL`: a spreadsheet filter on one column gives either the schools or the
totals, and `numero_ecole` stays a valid UAI or empty. A school appears only in the years it
has pupils (a school that closed simply stops): no invented zero rows.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.evolution_effectifs_scolaires.schema import (
    EvolutionEffectifsScolaires,
)
from cle_pipeline.defs.datasets.evolution_effectifs_scolaires.sheet import SHEET
from cle_pipeline.defs.datasets.school_enrolments import (
    COUNT_COLUMNS,
    LEVELS_SUM_TO_TOTAL,
    ONE_ROW_PER_SCHOOL_AND_YEAR,
    SCHOOL_COLUMNS,
    school_rows,
)
from cle_pipeline.lib.checks import Rule, dataset_checks
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

TOTALLED = ["nombre_ecoles", *COUNT_COLUMNS]
DESCRIPTIVE = [name for name in SCHOOL_COLUMNS if name not in COUNT_COLUMNS]
COLUMNS = ["niveau_agregation", *DESCRIPTIVE, "nombre_ecoles", *COUNT_COLUMNS]
ORDER = {"ecole": 0, "commune": 1}


def with_commune_totals(schools: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """The school rows, then for each school year a `commune` row summing them; sorted by
    year, schools before their total. A count missing on every school (UEEA before 2024)
    stays missing on the total rather than becoming 0."""
    schools = schools.assign(niveau_agregation="ecole", nombre_ecoles=1)
    schools["nombre_ecoles"] = schools["nombre_ecoles"].astype("Int64")
    totals = (
        schools.dropna(subset=["rentree_scolaire"])
        .groupby("rentree_scolaire")[TOTALLED]
        .sum(min_count=1)
        .reset_index()
        .assign(
            niveau_agregation="commune",
            code_commune_insee=commune.code,
            nom_commune=commune.name,
        )
    )
    table = pd.concat([schools, totals], ignore_index=True)[COLUMNS]
    for name in COLUMNS:
        if name not in ("rentree_scolaire", *TOTALLED):
            table[name] = table[name].astype("str")
    table[TOTALLED] = table[TOTALLED].astype("Int64")
    return (
        table.sort_values(
            ["rentree_scolaire", "niveau_agregation", "numero_ecole"],
            key=lambda column: column.map(ORDER) if column.name == "niveau_agregation" else column,
        )
        .reset_index(drop=True)
        .astype({"rentree_scolaire": "Int64"})
    )


def totals_differing_from_schools(frame: pd.DataFrame) -> pd.DataFrame:
    """For each school year, every count of the commune row that differs from the sum of the
    school rows, and years whose commune row is missing or repeated."""
    schools = frame[frame["niveau_agregation"] == "ecole"]
    totals = frame[frame["niveau_agregation"] == "commune"]
    years = sorted(
        set(schools["rentree_scolaire"].dropna()) | set(totals["rentree_scolaire"].dropna())
    )
    failures = []
    for year in years:
        of_year = totals[totals["rentree_scolaire"] == year]
        if len(of_year) != 1:
            failures.append(
                {
                    "rentree_scolaire": year,
                    "colonne": "(ligne commune)",
                    "total_publie": len(of_year),
                    "somme_des_ecoles": 1,
                }
            )
            continue
        summed = schools.loc[schools["rentree_scolaire"] == year, TOTALLED].sum(min_count=1)
        for name in TOTALLED:
            stated, expected = of_year.iloc[0][name], summed[name]
            if pd.isna(stated) and pd.isna(expected):
                continue
            if pd.isna(stated) or pd.isna(expected) or int(stated) != int(expected):
                failures.append(
                    {
                        "rentree_scolaire": year,
                        "colonne": name,
                        "total_publie": stated,
                        "somme_des_ecoles": expected,
                    }
                )
    return pd.DataFrame(
        failures, columns=["rentree_scolaire", "colonne", "total_publie", "somme_des_ecoles"]
    )  # fmt: skip


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
)
def evolution_effectifs_scolaires(
    education_effectifs_ecoles: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `education_effectifs_ecoles` : élèves par école et par rentrée depuis
    2019 (DEPP), avec le total de la commune par rentrée (`niveau_agregation` = `commune`) ;
    écoles placées par leur UAI grâce à l'annuaire de l'éducation."""
    table = with_commune_totals(school_rows(education_effectifs_ecoles, commune), commune)
    totals = table[table["niveau_agregation"] == "commune"]
    return dg.Output(
        table,
        metadata={
            **published_metadata(table, EvolutionEffectifsScolaires),
            "school_years": ", ".join(str(year) for year in totals["rentree_scolaire"]),
            "pupils_per_year": ", ".join(
                f"{year}: {pupils}"
                for year, pupils in zip(
                    totals["rentree_scolaire"], totals["nombre_total_eleves"], strict=True
                )
            ),
        },
    )


evolution_effectifs_scolaires_checks = dataset_checks(
    SHEET,
    EvolutionEffectifsScolaires,
    volume=VolumeLimit(
        0.2,
        "les chiffres des années passées restent ; une école qui ferme cesse seulement d'ajouter "
        "des lignes",
    ),
    rules=[
        LEVELS_SUM_TO_TOTAL,
        ONE_ROW_PER_SCHOOL_AND_YEAR,
        Rule(
            "commune_totals_equal_sum_of_schools",
            "Chaque rentrée a une ligne de la commune, et chacun de ses effectifs est la somme "
            "des lignes des écoles de cette rentrée.",
            totals_differing_from_schools,
        ),
    ],
    commune_of_rows="code_commune_insee",
)

evolution_effectifs_scolaires_release = dataset_release(
    SHEET, EvolutionEffectifsScolaires, evolution_effectifs_scolaires_checks
)
