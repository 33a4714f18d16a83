"""INSEE's official geographic code (COG): the list of communes, to know the partition's one."""

from __future__ import annotations

from pathlib import Path

from cle_pipeline.lib.cadence import YEARLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.settings import CommuneError
from cle_pipeline.lib.source_cut import SourceCut
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
            f"commune {code}: no current commune has this code in the INSEE COG ({label})"
        )
    row = rows.iloc[0]
    return {
        "code": row["COM"],
        "name": row["LIBELLE"],
        "department": row["DEP"],
        "region": row["REG"],
    }


def current_commune_codes(table: Path, label: str) -> list[str]:
    """Every current commune's INSEE code (`TYPECOM = COM`), sorted: the partitions `all`
    stands for."""
    rows = query_csv(
        table, FORMAT, required=COLUMNS, where="TYPECOM = 'COM'", select="COM", label=label
    )
    return sorted(rows["COM"].astype(str))


def cog_table(sources: SourceFetcher) -> tuple[Path, str]:
    """The COG's table of communes on the local disk, and where it came from."""
    archive = sources.fetch(SOURCE, "")  # one national file: no commune in its location
    return sources.extract(archive, MEMBER), archive.location


# An error: the partition must be a current commune (the asset already fails, with its message, when
# it is not).
CUT = SourceCut(
    "cog_communes",
    required=True,
    why="la commune de la partition doit être une commune actuelle du COG (l'asset échoue "
    "d'ailleurs avant, avec un message, quand elle n'y est pas).",
    descriptions={
        "code": "Code INSEE de la commune",
        "name": "Nom de la commune",
        "department": "Code du département",
        "region": "Code de la région",
    },
    columns=[
        ("code", "string"),
        ("name", "string"),
        ("department", "string"),
        ("region", "string"),
    ],
)


@commune_asset(
    group_name="commune_reference",
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata={**SOURCE.definition_metadata(), **CUT.definition_metadata()},
    check_specs=CUT.check_specs(),
)
def cog_communes(context, sources: SourceFetcher):
    """La ligne de la commune de la partition dans le Code officiel géographique (COG) de
    l'INSEE : nom, département et région.

    Échoue avec un message clair quand la clé de partition est mal formée ou n'est pas une
    commune actuelle."""
    code = commune_of(context)
    archive = sources.fetch(SOURCE, code)
    record = find_commune(sources.extract(archive, MEMBER), code, archive.location)
    return CUT.result(record, {**archive.metadata(), **record})
