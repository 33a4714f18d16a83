"""INSEE's official geographic code (COG): the list of communes, to know the configured one."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from cle_pipeline.lib.cadence import YEARLY
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.settings import CommuneError, CommuneSettings
from cle_pipeline.lib.tabular import CsvFormat, query_csv

SOURCE = Source(
    id="cog_communes",
    title="Code officiel géographique 2025 : communes",
    publisher="INSEE",
    page="https://www.insee.fr/fr/information/8377162",
    url="https://www.insee.fr/fr/statistiques/fichier/8377162/cog_ensemble_2025_csv.zip",
    snapshot="cog_ensemble_2025_csv.zip",
    cadence=YEARLY,
)
MEMBER = r"^v_commune_\d{4}\.csv$"
FORMAT = CsvFormat(separator=",", encoding="utf-8")
COLUMNS = ["TYPECOM", "COM", "REG", "DEP", "LIBELLE"]


def find_commune(table: Path, code: str, label: str) -> dict[str, str]:
    """The commune's row; the table also lists delegated communes and Paris/Lyon/Marseille
    arrondissements under the same codes, so only `TYPECOM = COM` counts."""
    rows = query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where="TYPECOM = 'COM' AND COM = ?",
        parameters=[code],
        select="COM, LIBELLE, DEP, REG",
        label=label,
    )
    if rows.empty:
        raise CommuneError(
            f"CLE_COMMUNE={code}: no current commune has this code in the INSEE COG ({label})"
        )
    row = rows.iloc[0]
    return {
        "code": row["COM"],
        "name": row["LIBELLE"],
        "department": row["DEP"],
        "region": row["REG"],
    }


@dg.asset(
    group_name="sources",
    kinds={"duckdb", "csv"},
    metadata=SOURCE.definition_metadata(),
)
def cog_communes(settings: CommuneSettings, sources: SourceFetcher) -> dg.Output[dict[str, str]]:
    """La ligne de la commune configurée dans le Code officiel géographique (COG) de l'INSEE :
    nom, département et région.

    Échoue avec un message clair quand CLE_COMMUNE est mal formé ou n'est pas une commune
    actuelle."""
    code = settings.insee_code()
    archive = sources.fetch(SOURCE, code)
    record = find_commune(sources.extract(archive, MEMBER), code, archive.location)
    return dg.Output(record, metadata={**archive.metadata(), **record})
