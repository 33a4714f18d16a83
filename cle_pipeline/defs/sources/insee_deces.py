"""INSEE état civil: deaths per commune of residence and year."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.insee import yearly_counts

SOURCE = Source(
    id="insee_deces",
    title="Décès domiciliés par commune (état civil)",
    publisher="INSEE",
    page="https://www.insee.fr/fr/statistiques/1893253",
    url="https://www.insee.fr/fr/statistiques/fichier/1893253/base_deces_2021_csv.zip",
    snapshot="base_deces_2021_csv.zip",
)
MEMBER = r"^base_deces_.*\.csv$"


@dg.asset(group_name="sources", kinds={"duckdb", "csv"}, metadata=SOURCE.definition_metadata())
def insee_deces(commune: Commune, sources: SourceFetcher) -> dg.Output[pd.DataFrame]:
    """Deaths per year for the commune (columns DECESDyy of INSEE's base communale)."""
    archive = sources.fetch(SOURCE, commune.code)
    counts = yearly_counts(
        sources.extract(archive, MEMBER), commune.code, "DECESD", archive.location
    )
    return dg.Output(counts, metadata={**archive.metadata(), "rows_for_commune": len(counts)})
