"""RNA (Répertoire national des associations), Waldec extract: every declared association.

A monthly zip of over a million rows in one `;` CSV per department (`…_dpt_76.csv`), latin-1
in the 2022 files and UTF-8 in some later ones (detected per file). Only the commune's
department member is extracted and read, which is what keeps the cut fast and small.
"""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import pandas as pd

from cle_pipeline.lib.cadence import MONTHLY
from cle_pipeline.lib.fetch import Source, SourceFetcher, datagouv_latest_resource
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import COMMUNES
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv, read_header, sql_name

SOURCE = Source(
    id="rna_waldec",
    title="Répertoire national des associations (RNA), extraction Waldec",
    publisher="Ministère de l'Intérieur",
    page="https://www.data.gouv.fr/fr/datasets/repertoire-national-des-associations/",
    resolve=datagouv_latest_resource(
        "repertoire-national-des-associations", r"rna_waldec_\d{8}\.zip"
    ),
    snapshot="rna_waldec_20221101.zip",
    cadence=MONTHLY,
)
FORMAT = CsvFormat(separator=";", encoding="detect")
COLUMNS = ["id", "titre", "objet", "position", "adrs_codeinsee", "date_creat"]
# The manager's mailing address and civility are personal data: not even read.
PERSONAL = re.compile(r"^(adrg_.*|dir_civilite)$")


def department_member(department: str) -> str:
    """The name (a regex) of the department's member in the RNA archive."""
    return rf"_dpt_{re.escape(department)}\.csv$"


def cut_commune(table: Path, code: str, label: str) -> pd.DataFrame:
    """The associations whose seat is in the commune (`adrs_codeinsee`), any position, without
    the manager's address block."""
    kept = [name for name in read_header(table, FORMAT, label) if not PERSONAL.match(name)]
    return query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where="adrs_codeinsee = ?",
        parameters=[code],
        select=", ".join(sql_name(name) for name in kept),
        label=label,
    )


# A warning: a small commune may be the seat of no association.
CUT = SourceCut(
    "rna_waldec",
    required=False,
    why="une petite commune peut n'être le siège d'aucune association ; le jeu `associations` est "
    "alors vide.",
)


@dg.asset(
    group_name="sources",
    partitions_def=COMMUNES,
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    check_specs=CUT.check_specs(),
)
def rna_waldec(commune: Commune, sources: SourceFetcher):
    """Les associations dont le siège est dans la commune, toutes positions (active, dissoute,
    supprimée), lues dans le seul fichier du département de l'archive RNA ; l'adresse privée
    du gestionnaire (`adrg_*`) reste dans le fichier."""
    archive = sources.fetch(SOURCE, commune.code)
    member = sources.extract(archive, department_member(commune.department))
    associations = cut_commune(member, commune.code, f"{archive.location}!{member.name}")
    return CUT.result(
        associations,
        {
            **archive.metadata(),
            "member": member.name.split("-", 1)[-1],
            "active_rows": int((associations["position"] == "A").sum()),
        },
    )
