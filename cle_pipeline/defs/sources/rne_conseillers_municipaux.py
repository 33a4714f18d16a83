"""RNE (Répertoire national des élus): the national file of municipal councillors.

One `;` CSV, UTF-8 (a BOM is tolerated), about 490,000 rows and 62 MB, 16 columns, one row per
councillor and function: someone holding two functions (an adjoint who is also maire délégué)
appears twice, a councillor without function once with `Libellé de la fonction` empty. The
Ministère de l'Intérieur republishes it quarterly under a new timestamped path (and renamed it
from `elus-conseillers-municipaux-cm.csv` to `elus-conseiller-municipal-cm.csv` in 2026), so
the current file is found through the data.gouv.fr API; the resource's stable link
https://www.data.gouv.fr/fr/datasets/r/d5f400de-ae3f-4966-8cb6-a85c70c6c24a can be given to
`CLE_SOURCE_RNE_CONSEILLERS_MUNICIPAUX` instead.

Quirks: dates are `dd/mm/yyyy` in older files and ISO `yyyy-mm-dd` in recent ones (the dataset
reads both); older files lost the leading zeros of codes (`1` for the Ain, `1001` for
01001); `Code de la commune` holds the full INSEE code; `Code du département` is empty for
some overseas communes (Martinique, Guyane, the Pacific), which fill the collectivity columns
(`Code de la collectivité à statut particulier`) instead, like Paris, Lyon, Marseille and
Corsica on top of their department.

Reusers of the 2025 file report latin-1 with double-encoded characters (`HÃ©lÃ¨ne`) and ragged
lines: the encoding is detected per file (UTF-8, else latin-1), a value or column name that is
double-encoded UTF-8 is repaired where unambiguous (`lib.normalise.undo_double_encoding`), and
ragged lines are named by their line numbers: skipped (and listed in the metadata) when none
of their fields is the commune's code, an error otherwise, as they might be its councillors.

Personal data: the birth date, the socio-professional category and the nationality are never
read out of the file (data minimisation); only the columns the commune publishes reach the
asset's value.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.cadence import QUARTERLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import FetchedFile, Source, SourceFetcher, datagouv_latest_resource
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.national import (
    CommuneCuts,
    PassDone,
    commune_rows,
    cut_csv_in_one_pass,
    national_file_asset,
    national_input,
)
from cle_pipeline.lib.normalise import blank_to_none, undo_double_encoding
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import (
    CsvFormat,
    RaggedLine,
    RaggedLinesError,
    copy_without_lines,
    query_csv,
    read_header,
    sql_name,
)

SOURCE = Source(
    id="rne_conseillers_municipaux",
    title="Répertoire national des élus : conseillers municipaux",
    publisher="Ministère de l'Intérieur",
    page="https://www.data.gouv.fr/fr/datasets/repertoire-national-des-elus-1/",
    # Matched against the resource's title and its file name: `elus-conseillers-municipaux-cm.csv`
    # until 2025, `elus-conseiller-municipal-cm.csv` since the 2026 files; never the mayors',
    # the community councillors' or the arrondissement councillors' files of the same dataset.
    resolve=datagouv_latest_resource(
        "repertoire-national-des-elus-1",
        r"(?i)^(?:elus-)?conseillers?[-_ ]municipa(?:l|ux)(?:-cm)?(?:\.csv)?$",
    ),
    snapshot="elus-conseillers-municipaux-cm.csv",
    cadence=QUARTERLY,
)
# UTF-8 as published; latin-1 in copies that reusers pass around: detected per file.
FORMAT = CsvFormat(separator=";", encoding="detect")

DEPARTMENT = "Code du département"
COLLECTIVITY = "Code de la collectivité à statut particulier"
COMMUNE = "Code de la commune"
# What the commune's dataset may publish, and what it needs to place a row: read by name.
COLUMNS = [
    DEPARTMENT,
    "Libellé du département",
    COLLECTIVITY,
    "Libellé de la collectivité à statut particulier",
    COMMUNE,
    "Libellé de la commune",
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de début du mandat",
    "Libellé de la fonction",
    "Date de début de la fonction",
]
# In the file, never selected: `Date de naissance`, `Code de la catégorie socio-professionnelle`,
# `Libellé de la catégorie socio-professionnelle`, `Code nationalité`.

DEPARTMENT_CODE = re.compile(r"^(?:\d{1,2}|2[AB]|9[78]\d)$")


def insee_code(department: object, collectivity: object, commune: object) -> str | None:
    """The commune's five-character INSEE code from the RNE's three code columns.

    `Code de la commune` normally holds the whole code, its leading zero lost in older files
    (`1001` → `01001`). Should it hold only the number inside the department (`165`, as in the
    election files), the department (or, when empty, the collectivity) is put in front:
    `76` + `165`, `974` + `11`, `97` + `411`. None when the row cannot be placed.
    """
    number = blank_to_none(commune)
    if number is None:
        return None
    number = str(number).strip().upper()
    if len(number) >= 4:
        return number.zfill(5)
    department_code = blank_to_none(department) or blank_to_none(collectivity)
    if department_code is None:
        return None
    department_code = str(department_code).strip().upper()
    if not DEPARTMENT_CODE.match(department_code) or not number.isdigit():
        return None
    if len(department_code) == 3:  # overseas: 974 + 11, or 97 + 411
        if len(number) == 3:
            return department_code[:2] + number
        return department_code + number.zfill(2)
    return department_code.zfill(2) + number.zfill(3)


def prefilter_values(code: str) -> list[str]:
    """What `Code de la commune`, without its leading zeros, may hold for the commune: the
    whole code or its number inside the department. A cheap superset for DuckDB; the exact
    placement is `insee_code`."""
    numbers = [code, code[2:], *([code[3:]] if code[:2] in ("97", "98") else [])]
    return sorted({number.lstrip("0") or "0" for number in numbers})


@dataclass(frozen=True)
class Councillors:
    """The commune's rows, and what was repaired or skipped in the file to read them."""

    rows: pd.DataFrame
    ragged_lines_skipped: list[RaggedLine]
    values_repaired: int


def _repaired_names(table: Path, label: str) -> dict[str, str]:
    # A double-encoded header (`LibellÃ© de la fonction`) is read under its repaired names.
    return {
        name: undo_double_encoding(name)
        for name in read_header(table, FORMAT, label)
        if undo_double_encoding(name) != name
    }


def _query(table: Path, code: str, label: str) -> pd.DataFrame:
    repaired_names = _repaired_names(table, label)
    return query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where=f"list_contains($numbers, upper(ltrim(trim({sql_name(COMMUNE)}), '0')))",
        parameters={"numbers": prefilter_values(code)},
        select=", ".join(sql_name(name) for name in COLUMNS),
        label=label,
        labels=repaired_names,
    )


def _without_ragged_lines(
    table: Path, code: str, label: str, ragged: RaggedLinesError, folder: Path
) -> pd.DataFrame:
    """The prefiltered rows of the file without its ragged lines, unless one of them may be
    the commune's (a field holds one of its code's spellings): that is an error naming it."""
    spellings = set(prefilter_values(code))
    numbers = {
        number: line for line in ragged.lines for number in range(line.number, line.last + 1)
    }
    suspect = []
    with table.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            # Codes are ASCII: latin-1 decodes any byte, whatever the file's encoding.
            fields = raw.decode("latin-1").split(FORMAT.separator)
            line = numbers.get(number)
            if line and spellings & {field.strip().lstrip("0").upper() for field in fields}:
                suspect.append(line)
    if suspect:
        raise SourceFormatError(
            f"{label}: ragged line(s) that may be the commune {code}'s councillors, where the "
            f"header has {ragged.expected} fields: "
            f"{', '.join(line.describe() for line in suspect)}; correct or remove them"
        ) from ragged
    cleaned = copy_without_lines(table, ragged.lines, folder / table.name)
    return _query(cleaned, code, label)


def read_councillors(table: Path, code: str, label: str) -> Councillors:
    """The commune's councillors, one row per councillor and function, public columns only,
    every value as text, double-encoded values repaired; ragged lines of other communes
    skipped and listed."""
    skipped: list[RaggedLine] = []
    try:
        candidates = _query(table, code, label)
    except RaggedLinesError as ragged:
        with tempfile.TemporaryDirectory() as folder:
            candidates = _without_ragged_lines(table, code, label, ragged, Path(folder))
        skipped = ragged.lines
    return _placed(candidates, code, skipped)


def _placed(candidates: pd.DataFrame, code: str, skipped: list[RaggedLine]) -> Councillors:
    """The commune's rows among the prefiltered candidates (`insee_code`), repaired."""
    placed = [
        insee_code(row[DEPARTMENT], row[COLLECTIVITY], row[COMMUNE])
        for _, row in candidates.iterrows()
    ]
    # A boolean Series, not a list: an empty list would select no column at all.
    rows = candidates[
        pd.Series([found == code for found in placed], index=candidates.index, dtype=bool)
    ]
    repaired = rows.map(undo_double_encoding)
    values_repaired = int((repaired.fillna("") != rows.fillna("")).sum().sum())
    return Councillors(repaired.reset_index(drop=True), skipped, values_repaired)


def cut_commune(table: Path, code: str, label: str) -> pd.DataFrame:
    """The commune's councillors (see `read_councillors`), without the report."""
    return read_councillors(table, code, label).rows


# The prefilter value of a row (`prefilter_values`): the key of the one pass's cuts.
PREFILTER_KEY = f"upper(ltrim(trim({sql_name(COMMUNE)}), '0'))"


def cut_every_commune(
    fetched: FetchedFile, sources: SourceFetcher, codes: list[str], folder: Path
) -> PassDone:
    """The one pass: the rows of every prefilter value of the communes (`prefilter_values`),
    each commune placing its own afterwards (`councillors_from_pass`). A file with ragged
    lines is left to each commune's own cut, which skips the lines that cannot be its own."""
    numbers = sorted({number for code in codes for number in prefilter_values(code)})
    try:
        cut_csv_in_one_pass(
            fetched.path,
            FORMAT,
            folder,
            required=COLUMNS,
            key=PREFILTER_KEY,
            codes=numbers,
            select=", ".join(sql_name(name) for name in COLUMNS),
            label=fetched.location,
            labels=_repaired_names(fetched.path, fetched.location),
        )
    except RaggedLinesError:
        return PassDone(fetched.location, covered=[])
    return PassDone(fetched.location)


def councillors_from_pass(cuts: CommuneCuts, code: str) -> Councillors:
    """`read_councillors` on the candidates the one pass kept for the commune."""
    return _placed(cuts.read(prefilter_values(code)), code, [])


national_rne_conseillers_municipaux = national_file_asset(
    SOURCE, cut_every_commune, {"duckdb", "csv"}
)


# An error: every commune has a council (the asset already fails, with its message, when the RNE has
# none).
CUT = SourceCut(
    "rne_conseillers_municipaux",
    required=True,
    why="toute commune a un conseil municipal (l'asset échoue d'ailleurs avant, avec un message, "
    "quand le RNE n'en a aucun élu).",
    descriptions={
        "Code du département": "Code du département, complété à 2 caractères",
        "Code de la commune": (
            "Code INSEE de la commune, complété à 5 caractères (colonne de la découpe)"
        ),
        "Nom de l'élu": "Nom de l'élu (public par la loi)",
        "Prénom de l'élu": "Prénom de l'élu",
        "Code sexe": "Sexe de l'élu (M, F)",
        "Date de début du mandat": "Début du mandat (jj/mm/aaaa ou aaaa-mm-jj selon le fichier)",
        "Libellé de la fonction": (
            "Fonction au conseil (Maire, adjoint…), vide pour un conseiller sans fonction ; un "
            "élu qui a deux fonctions a deux lignes"
        ),
        "Date de début de la fonction": "Début de la fonction (jj/mm/aaaa ou aaaa-mm-jj)",
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
def rne_conseillers_municipaux(
    commune: Commune, sources: SourceFetcher, national: CommuneCuts | None = None
):
    """Les conseillers municipaux de la commune dans le RNE, une ligne par élu et par fonction,
    tels que publiés (texte), sans date de naissance, catégorie socio-professionnelle ni
    nationalité, qui restent dans le fichier national."""
    fetched, read = commune_rows(
        national,
        commune.code,
        SOURCE,
        sources,
        lambda cuts: councillors_from_pass(cuts, commune.code),
        lambda fetched: read_councillors(fetched.path, commune.code, fetched.location),
    )
    councillors = read.rows
    if councillors.empty:
        raise SourceError(
            f"{fetched.location}: no councillor of the commune {commune.code} ({commune.name}) "
            f"in the file ({COMMUNE}); is the commune new, or the file another one than the "
            "municipal councillors'?"
        )
    skipped = read.ragged_lines_skipped
    return CUT.result(
        councillors,
        {
            **fetched.metadata(),
            "rows_with_function": int(councillors["Libellé de la fonction"].notna().sum()),
            "double_encoded_values_repaired": read.values_repaired,
            "ragged_lines_skipped": ", ".join(line.describe() for line in skipped) or "none",
        },
    )
