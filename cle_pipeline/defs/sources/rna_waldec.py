"""RNA (Répertoire national des associations), Waldec extract: every declared association.

A monthly zip of over a million rows in one `;` CSV per department (`…_dpt_76.csv`), latin-1
in the 2022 files and UTF-8 in some later ones (detected per file). Only the commune's
department member is extracted and read, which is what keeps the cut fast and small.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.cadence import MONTHLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import (
    FetchedFile,
    Source,
    SourceFetcher,
    datagouv_latest_resource,
    department_of,
)
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.national import (
    CommuneCuts,
    PassDone,
    commune_rows,
    cut_csvs_in_one_pass,
    national_file_asset,
    national_input,
)
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv, read_header, sql_name, sql_string

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


def cut_member(
    sources: SourceFetcher, archive: FetchedFile, commune: Commune
) -> tuple[pd.DataFrame, str]:
    """The commune's associations, read in its department's member of the archive (extracted
    to the cache), and that member's name."""
    member = sources.extract(archive, department_member(commune.department))
    return cut_commune(member, commune.code, f"{archive.location}!{member.name}"), member.name


# The department of a member's file name (`department_member`), for the one pass.
MEMBER_DEPARTMENT = r"_dpt_([0-9A-Za-z]+)\.csv$"


def cut_every_commune(
    archive: FetchedFile, sources: SourceFetcher, codes: list[str], folder: Path
) -> PassDone:
    """The one pass: the department members holding a commune asked for (only those members
    are extracted), read in ONE query, each row kept under its commune when that commune is of
    the member's department (as a commune's cut reads only its department's member). A
    department without its member, or whose member is in another format than the others, is
    left to its communes' own cuts, which read it or fail naming it."""
    by_department: dict[str, list[str]] = {}
    for code in codes:
        by_department.setdefault(department_of(code), []).append(code)
    members: dict[Path, str] = {}
    for department in sorted(by_department):
        try:
            members[sources.extract(archive, department_member(department))] = department
        except SourceFormatError:
            continue
    # The member's department is the start of the code of each commune it may hold.
    key = (
        f"CASE WHEN starts_with(adrs_codeinsee, regexp_extract(filename, "
        f"{sql_string(MEMBER_DEPARTMENT)}, 1)) THEN adrs_codeinsee END"
    )
    read = cut_csvs_in_one_pass(
        list(members),
        FORMAT,
        folder,
        required=COLUMNS,
        key=key,
        codes=codes,
        select=lambda header: ", ".join(sql_name(n) for n in header if not PERSONAL.match(n)),
        label=lambda member: f"{archive.location}!{member.name}",
    )
    departments = {members[member]: member.name for member in read}
    covered = [code for department in sorted(departments) for code in by_department[department]]
    return PassDone(archive.location, covered, {"members": departments})


def cut_from_pass(cuts: CommuneCuts, commune: Commune) -> tuple[pd.DataFrame, str]:
    """`cut_member` on the rows the one pass kept for the commune."""
    member = cuts.details["members"][department_of(commune.code)]
    return cuts.read([commune.code], label=f"{cuts.fetched.location}!{member}"), member


national_rna_waldec = national_file_asset(SOURCE, cut_every_commune, {"duckdb", "csv"})


# A warning: a small commune may be the seat of no association.
CUT = SourceCut(
    "rna_waldec",
    required=False,
    why="une petite commune peut n'être le siège d'aucune association ; le jeu `associations` est "
    "alors vide.",
    descriptions={
        "id": "Numéro RNA de l'association (`W` + 9 caractères)",
        "id_ex": "Ancien numéro de l'association (avant le RNA)",
        "siret": "SIRET de l'association, quand elle en a un",
        "date_creat": "Date de création",
        "date_decla": "Date de la déclaration",
        "date_publi": "Date de publication au Journal officiel",
        "date_disso": "Date de dissolution",
        "nature": "Nature : D déclarée, R reconnue d'utilité publique, A assistance…",
        "titre": "Nom de l'association",
        "titre_court": "Nom court",
        "objet": "Objet de l'association, tel que déclaré",
        "objet_social1": "Code de l'objet social principal (nomenclature Waldec)",
        "objet_social2": "Code de l'objet social secondaire",
        "adrs_codeinsee": "Code INSEE de la commune du siège (colonne de la découpe)",
        "adrs_codepostal": "Code postal du siège",
        "adrs_libcommune": "Commune du siège",
        "siteweb": "Site internet",
        "position": "Position : A active, D dissoute, S supprimée, R reprise",
        "maj_time": "Date de dernière mise à jour de la fiche",
    },
)


@commune_asset(
    group_name="sources",
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    ins=national_input(SOURCE),
    check_specs=CUT.check_specs(),
)
def rna_waldec(commune: Commune, sources: SourceFetcher, national: CommuneCuts | None = None):
    """Les associations dont le siège est dans la commune, toutes positions (active, dissoute,
    supprimée), lues dans le seul fichier du département de l'archive RNA ; l'adresse privée
    du gestionnaire (`adrg_*`) reste dans le fichier."""
    archive, (associations, member) = commune_rows(
        national,
        commune.code,
        SOURCE,
        sources,
        lambda cuts: cut_from_pass(cuts, commune),
        lambda archive: cut_member(sources, archive, commune),
    )
    return CUT.result(
        associations,
        {
            **archive.metadata(),
            "member": member.split("-", 1)[-1],
            "active_rows": int((associations["position"] == "A").sum()),
        },
    )
