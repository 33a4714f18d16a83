"""INSEE populations légales: the authenticated population of every commune.

`ensemble.zip` holds one `;` CSV per level; `donnees_communes.csv` has one row per commune and
`PMUN`, the population municipale. Two generations of its header are in use, told apart by
their columns and read by name:

- current (the 2023 populations of `8680726/ensemble.zip`): `REG;Région;DEP;CODARR;CODCAN;
  CODCOM;COM;Commune;PMUN;PCAP;PTOT`, CRLF, where `COM` is the 5-character INSEE code and
  `Commune` the name; `CODCAN` may be empty. Paris, Lyon and Marseille are there twice: as
  their arrondissements (75101…75120, 69381…69389, 13201…13216) and as a last row per commune
  with only `COM`, `Commune` and `PMUN` filled;
- older: `CODREG;REG;CODDEP;…;CODCOM;COM;PMUN;PCAP;PTOT`, where `COM` is the NAME and the INSEE
  code is the department's first two characters and `CODCOM` (`165`; `411` for 97411); Paris,
  Lyon and Marseille only as their arrondissements.

Either way the commune's population is its own row, or the sum of its arrondissements' rows
(read in both generations, so the two agree). Mayotte has its own census and is absent.

The vintage is the one the law uses for the council's size: the population municipale
authenticated before the last general renewal of the councils (the 2023 populations, in force
on 1 January 2026, for the councils elected in March 2026).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.cadence import YEARLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune, arrondissement_codes
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv, read_header, sql_name

SOURCE = Source(
    id="insee_populations_legales",
    title="Populations légales 2023 (en vigueur au 1er janvier 2026)",
    publisher="INSEE",
    page="https://www.insee.fr/fr/statistiques/8680726",
    url="https://www.insee.fr/fr/statistiques/fichier/8680726/ensemble.zip",
    snapshot="ensemble.zip",
    cadence=YEARLY,
)
MEMBER = r"^donnees_communes\.csv$"
# UTF-8 in recent vintages; detected, as older ones were latin-1.
FORMAT = CsvFormat(separator=";", encoding="detect")


@dataclass(frozen=True)
class HeaderGeneration:
    """One generation of `donnees_communes.csv`: the column only it has, the columns read, and
    the SQL giving the INSEE code and the name of a row."""

    name: str
    marker: str
    columns: list[str]
    insee_code_sql: str
    name_sql: str


GENERATIONS = [
    HeaderGeneration(
        name="current (REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT)",
        marker="Commune",
        columns=["COM", "Commune", "PMUN", "PCAP", "PTOT"],
        # `COM` is the code; a lost leading zero (`1001`, a spreadsheet's doing) is restored.
        insee_code_sql="upper(lpad(trim(COM), 5, '0'))",
        name_sql="Commune",
    ),
    HeaderGeneration(
        name="older (CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT)",
        marker="CODDEP",
        columns=["CODDEP", "CODCOM", "COM", "PMUN", "PCAP", "PTOT"],
        # `2A` + `004`, `97` + `411`, `01` + `001` (a lost zero restored).
        insee_code_sql="upper(left(lpad(trim(CODDEP), 2, '0'), 2) || lpad(trim(CODCOM), 3, '0'))",
        name_sql="COM",
    ),
]


def header_generation(table: Path, label: str) -> HeaderGeneration:
    """The generation whose marker column the header has; a header of neither is an error
    naming the file and the columns found."""
    header = read_header(table, FORMAT, label)
    for generation in GENERATIONS:
        if generation.marker in header:
            return generation
    expected = " or ".join(generation.name for generation in GENERATIONS)
    raise SourceFormatError(
        f"{label}: not a header of donnees_communes.csv, neither {expected}; "
        f"columns found: {';'.join(header)}"
    )


def units_of(code: str) -> list[str]:
    """The INSEE codes whose rows make up the commune's population."""
    return arrondissement_codes(code)


def cut_commune(table: Path, code: str, label: str) -> pd.DataFrame:
    """The commune's row (or its arrondissements' rows), whichever the header generation:
    `code_insee`, `nom_commune`, `PMUN`, `PCAP`, `PTOT`, as text. Empty when the commune is not
    in the file (Mayotte, a new commune)."""
    generation = header_generation(table, label)
    code_sql = generation.insee_code_sql
    return query_csv(
        table,
        FORMAT,
        required=generation.columns,
        where=f"list_contains($units, {code_sql})",
        parameters={"units": units_of(code)},
        select=f"{code_sql} AS code_insee, {sql_name(generation.name_sql)} AS nom_commune, "
        "PMUN, PCAP, PTOT",
        label=label,
    ).sort_values("code_insee", ignore_index=True)


# An error: every commune has a legal population.
CUT = SourceCut(
    "insee_populations_legales",
    required=True,
    why="chaque commune a une population légale ; `elus` contrôle la taille du conseil municipal "
    "avec elle.",
    descriptions={
        "code_insee": "Code INSEE de la commune (ou de l'arrondissement)",
        "nom_commune": "Nom de la commune",
        "PMUN": "Population municipale",
        "PCAP": "Population comptée à part",
        "PTOT": "Population totale",
    },
    columns=[
        ("code_insee", "string"),
        ("nom_commune", "string"),
        ("PMUN", "string"),
        ("PCAP", "string"),
        ("PTOT", "string"),
    ],
)


@commune_asset(
    group_name="sources",
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata={**SOURCE.definition_metadata(), **CUT.definition_metadata()},
    check_specs=CUT.check_specs(),
)
def insee_populations_legales(commune: Commune, sources: SourceFetcher):
    """Les lignes de population légale de la commune (celles de ses arrondissements pour Paris,
    Lyon et Marseille), telles que publiées : population municipale `PMUN`, comptée à part
    `PCAP`, totale `PTOT`."""
    archive = sources.fetch(SOURCE, commune.code)
    member = sources.extract(archive, MEMBER)
    rows = cut_commune(member, commune.code, f"{archive.location}!{member.name}")
    return CUT.result(
        rows,
        {
            **archive.metadata(),
            "member": member.name.split("-", 1)[-1],
            "header": header_generation(member, archive.location).name,
        },
    )
