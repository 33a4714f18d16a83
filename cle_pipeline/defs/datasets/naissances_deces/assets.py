"""`naissances_deces`: births and deaths of the commune per year, from INSEE's état civil."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.naissances_deces.schema import NaissancesDeces
from cle_pipeline.defs.datasets.naissances_deces.sheet import SHEET
from cle_pipeline.lib.checks import Rule, dataset_checks
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata


def births_and_deaths(
    naissances: pd.DataFrame, deces: pd.DataFrame, commune: Commune
) -> pd.DataFrame:
    """One row per year present in either file; a year missing from one of them stays empty
    so that the check shows it rather than the row silently disappearing."""
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
            # A count that is not an integer becomes empty and fails the check on its row.
            "naissances": pd.to_numeric(table["naissances"], errors="coerce").astype("Int64"),
            "deces": pd.to_numeric(table["deces"], errors="coerce").astype("Int64"),
        }
    )


def missing_years(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Years absent between the first and the last one published."""
    years = set(frame["annee"].dropna().astype(int))
    if not years:
        return pd.DataFrame({"annee_manquante": ["(aucune année)"]})
    gaps = sorted(set(range(min(years), max(years) + 1)) - years)
    return pd.DataFrame({"annee_manquante": gaps})


@dg.asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
    description=SHEET.content,
)
def naissances_deces(
    insee_naissances: pd.DataFrame, insee_deces: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Births and deaths of the commune per year (INSEE état civil, aggregates only)."""
    table = births_and_deaths(insee_naissances, insee_deces, commune)
    return dg.Output(table, metadata=published_metadata(table, NaissancesDeces))


naissances_deces_checks = dataset_checks(
    "naissances_deces",
    NaissancesDeces,
    rules=[
        Rule(
            "every_year_present_once",
            "Years are unique and contiguous: no year is missing between the first and last.",
            missing_years,
        )
    ],
)
