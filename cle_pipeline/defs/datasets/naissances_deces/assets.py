"""`naissances_deces`: births and deaths of the commune per year, from INSEE's état civil."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.naissances_deces.schema import NaissancesDeces
from cle_pipeline.defs.datasets.naissances_deces.sheet import SHEET
from cle_pipeline.lib.checks import Rule, dataset_checks
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit


def births_and_deaths(
    naissances: pd.DataFrame, deces: pd.DataFrame, commune: Commune
) -> pd.DataFrame:
    """One row per year present in either source (`annee`, `valeur` each, counts already read
    as integers by the source). A value INSEE declares missing stays empty, never 0; a year
    absent from one source is empty too, and `every_year_present_once` names it."""
    table = (
        naissances.rename(columns={"valeur": "naissances"})
        .merge(deces.rename(columns={"valeur": "deces"}), on="annee", how="outer")
        .sort_values("annee")
        .reset_index(drop=True)
    )
    return pd.DataFrame(
        {
            "code_commune_insee": commune.code,
            "nom_commune": commune.name,
            "annee": table["annee"].astype("Int64"),
            "naissances": table["naissances"].astype("Int64"),
            "deces": table["deces"].astype("Int64"),
        }
    )


def missing_years(
    frame: pd.DataFrame, insee_naissances: pd.DataFrame, insee_deces: pd.DataFrame
) -> pd.DataFrame:
    """Years absent between the first and the last one published, and years one source has
    and the other lacks (an empty value must mean "missing at INSEE", not "not read")."""
    years = set(frame["annee"].dropna().astype(int))
    if not years:
        return pd.DataFrame({"annee": ["(aucune année)"], "absente_de": ["naissances, décès"]})
    in_births = set(insee_naissances["annee"].astype(int))
    in_deaths = set(insee_deces["annee"].astype(int))
    absent = []
    for year in range(min(years), max(years) + 1):
        lacking = [
            name
            for name, held in (("naissances", in_births), ("décès", in_deaths))
            if year not in held
        ]
        if lacking:
            absent.append({"annee": year, "absente_de": ", ".join(lacking)})
    return pd.DataFrame(absent, columns=["annee", "absente_de"])


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
)
def naissances_deces(
    insee_naissances: pd.DataFrame, insee_deces: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `insee_naissances` et `insee_deces` : naissances et décès de la commune
    par année (état civil de l'INSEE, agrégats seulement)."""
    table = births_and_deaths(insee_naissances, insee_deces, commune)
    return dg.Output(table, metadata=published_metadata(table, NaissancesDeces))


naissances_deces_checks = dataset_checks(
    SHEET,
    NaissancesDeces,
    volume=VolumeLimit(
        0.0,
        "une ligne par année depuis 2008 : une nouvelle publication de l'INSEE ajoute une année, "
        "elle n'en retire jamais",
    ),
    rules=[
        Rule(
            "every_year_present_once",
            "Les années sont uniques et consécutives, et chacune est dans les deux sources : "
            "aucune année ne manque entre la première et la dernière, ni pour les naissances "
            "ni pour les décès.",
            missing_years,
            inputs=("insee_naissances", "insee_deces"),
        )
    ],
    commune_of_rows="code_commune_insee",
)

naissances_deces_release = dataset_release(SHEET, NaissancesDeces, naissances_deces_checks)
