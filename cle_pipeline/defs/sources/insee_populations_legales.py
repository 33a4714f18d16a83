"""INSEE populations légales: the authenticated population of every commune.

`ensemble.zip` holds one `;` CSV per level; `donnees_communes.csv` has one row per commune,
`CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT`, where `CODCOM` is the number
inside the department (`165`; `411` for 97411, so the INSEE code is the department's first two
characters and `CODCOM`) and `PMUN` the population municipale. Paris, Lyon and Marseille are
not in it: their arrondissements are (75101…75120, 69381…69389, 13201…13216), and the commune's
population is their sum. Mayotte has its own census and is absent.

The vintage is the one the law uses for the council's size: the population municipale
authenticated before the last general renewal of the councils (the 2023 populations, in force
on 1 January 2026, for the councils elected in March 2026).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd

from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune, arrondissement_codes
from cle_pipeline.lib.tabular import CsvFormat, query_csv

SOURCE = Source(
    id="insee_populations_legales",
    title="Populations légales 2023 (en vigueur au 1er janvier 2026)",
    publisher="INSEE",
    page="https://www.insee.fr/fr/statistiques/8680726",
    url="https://www.insee.fr/fr/statistiques/fichier/8680726/ensemble.zip",
    snapshot="ensemble.zip",
)
MEMBER = r"^donnees_communes\.csv$"
# UTF-8 in recent vintages; detected, as older ones were latin-1.
FORMAT = CsvFormat(separator=";", encoding="detect")
COLUMNS = ["CODDEP", "CODCOM", "COM", "PMUN", "PCAP", "PTOT"]

# The INSEE code of a row: `2A` + `004`, `97` + `411`, `01` + `001` (a lost zero restored).
INSEE_CODE_SQL = "left(lpad(trim(CODDEP), 2, '0'), 2) || lpad(trim(CODCOM), 3, '0')"


def units_of(code: str) -> list[str]:
    """The INSEE codes whose rows make up the commune's population."""
    return arrondissement_codes(code)


def cut_commune(table: Path, code: str, label: str) -> pd.DataFrame:
    """The commune's row (or its arrondissements' rows): `code_insee`, then the file's
    columns as text. Empty when the commune is not in the file (Mayotte, a new commune)."""
    return query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where=f"list_contains($units, {INSEE_CODE_SQL})",
        parameters={"units": units_of(code)},
        select=f"{INSEE_CODE_SQL} AS code_insee, {', '.join(COLUMNS)}",
        label=label,
    ).sort_values("code_insee", ignore_index=True)


@dg.asset(group_name="sources", kinds={"duckdb", "csv"}, metadata=SOURCE.definition_metadata())
def insee_populations_legales(commune: Commune, sources: SourceFetcher) -> dg.Output[pd.DataFrame]:
    """The commune's legal population rows (its arrondissements' for Paris, Lyon, Marseille),
    as published: population municipale `PMUN`, comptée à part `PCAP`, totale `PTOT`."""
    archive = sources.fetch(SOURCE, commune.code)
    member = sources.extract(archive, MEMBER)
    rows = cut_commune(member, commune.code, f"{archive.location}!{member.name}")
    return dg.Output(
        rows,
        metadata={
            **archive.metadata(),
            "member": member.name.split("-", 1)[-1],
            "rows_for_commune": len(rows),
        },
    )
