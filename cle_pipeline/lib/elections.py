"""The Ministry of the Interior's election results by polling station: reading and checking.

The national files (`resultats-par-niveau-burvot-t<n>-france-entiere.txt`, about 36 MB and
69,700 polling-station rows) are `;`-separated latin-1 text with CRLF line ends and no quoting.
Their header names 21 fixed fields (the polling station and its totals) and ONE candidate block,
but each data row repeats the block once per candidate until the row ends (12 candidates in the
2022 presidential round 1, 2 in round 2, a varying number per constituency in the legislative).
A CSV reader that trusts the header keeps the first candidate only (pandas even shifts the
ragged rows into its index), so the file is read here line by line (csv's rules where a line
holds a quote): the fixed fields by name, then blocks of the header's block length until the
row ends. Only the commune's rows are kept; the file is never loaded whole.

`Code de la commune` is the 3-digit code inside the department, and the department codes of
overseas territories are letters: `insee_code` turns both into the INSEE commune code.

The second half holds the rules both election datasets check on their tidy table (one row per
round × polling station × candidate, columns named as published): votes add up per station,
totals are consistent, percentages agree with the counts, every station is in every round.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from cle_pipeline.lib.checks import Rule
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.normalise import number_text

# -- the file ---------------------------------------------------------------------------------

FIXED_COLUMNS = (
    "Code du département",
    "Libellé du département",
    "Code de la circonscription",
    "Libellé de la circonscription",
    "Code de la commune",
    "Libellé de la commune",
    "Code du b.vote",
    "Inscrits",
    "Abstentions",
    "% Abs/Ins",
    "Votants",
    "% Vot/Ins",
    "Blancs",
    "% Blancs/Ins",
    "% Blancs/Vot",
    "Nuls",
    "% Nuls/Ins",
    "% Nuls/Vot",
    "Exprimés",
    "% Exp/Ins",
    "% Exp/Vot",
)


@dataclass(frozen=True)
class ResultsFormat:
    """How a results file is written: its candidate block (the columns repeated once per
    candidate on every data row), separator and encoding."""

    candidate_columns: tuple[str, ...]
    separator: str = ";"
    encoding: str = "latin-1"


PRESIDENTIAL = ResultsFormat(
    ("N°Panneau", "Sexe", "Nom", "Prénom", "Voix", "% Voix/Ins", "% Voix/Exp")
)
# The legislative block adds the candidate's political `Nuance` (ENS, NUP, RN, LR…).
LEGISLATIVE = ResultsFormat(
    ("N°Panneau", "Sexe", "Nom", "Prénom", "Nuance", "Voix", "% Voix/Ins", "% Voix/Exp")
)

# The Ministry's letter codes for territories outside mainland France and Corsica, and the INSEE
# "departments" (first three characters of the INSEE code) each may hold. The 3-digit commune
# code of these rows already starts with the territory's last digit (ZD + `411` is 97411 Saint-
# Denis), so the INSEE code is `97`/`98` + the commune code; ZX (Saint-Barthélemy 977, Saint-
# Martin 978) is told apart by that first digit. French people abroad (ZZ) vote in consular
# offices, which are no commune: their rows never get an INSEE code.
OVERSEAS_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "ZA": ("971",),  # Guadeloupe
    "ZB": ("972",),  # Martinique
    "ZC": ("973",),  # Guyane
    "ZD": ("974",),  # La Réunion
    "ZS": ("975",),  # Saint-Pierre-et-Miquelon
    "ZM": ("976",),  # Mayotte
    "ZX": ("977", "978"),  # Saint-Barthélemy, Saint-Martin
    "ZW": ("986",),  # Wallis-et-Futuna
    "ZP": ("987",),  # Polynésie française
    "ZN": ("988",),  # Nouvelle-Calédonie
    "ZZ": (),  # Français établis hors de France: no commune
}
_INSEE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")


def insee_code(department: str, commune: str) -> str | None:
    """INSEE commune code of a row's `Code du département` and `Code de la commune`.

    `76` + `165` → `76165`, `2A` + `004` → `2A004`, `ZD` + `411` → `97411`, `ZX` + `801` →
    `97801`; None for French people abroad (`ZZ`) and for codes that name no commune. A
    department or commune code whose leading zeros were lost (`1`, `5`) is padded back.
    """
    department = department.strip().upper()
    commune = commune.strip()
    if commune.isdigit():
        commune = commune.zfill(3)
    if len(commune) != 3 or not commune.isdigit():
        return None
    territories = OVERSEAS_DEPARTMENTS.get(department)
    if territories is None and re.fullmatch(r"9[78]\d", department):
        territories = (department,)  # a file that writes 974 instead of ZD
    if territories is not None:
        code = territories[0][:2] + commune if territories else ""
        return code if code[:3] in territories else None
    if department.isdigit():
        department = department.zfill(2)
    code = department + commune
    return code if _INSEE.match(code) and not code.startswith(("97", "98")) else None


@dataclass(frozen=True)
class _Layout:
    fixed: dict[str, int]  # fixed column → position in the row
    block: dict[str, int]  # candidate column → position inside a block

    @property
    def block_size(self) -> int:
        return len(self.block)


def _layout(header: list[str], results: ResultsFormat, label: str) -> _Layout:
    """Where each fixed and candidate field sits: the candidate block starts at the header's
    first candidate column; both parts are mapped by name, never by position alone."""
    header = [name.strip() for name in header]
    in_block = set(results.candidate_columns)
    start = next((i for i, name in enumerate(header) if name in in_block), len(header))
    fixed, block = header[:start], header[start:]
    missing = [name for name in FIXED_COLUMNS if name not in fixed]
    missing += [name for name in results.candidate_columns if name not in block]
    if missing:
        if len(header) == 1:
            raise SourceFormatError(
                f"{label}: the header has a single column {header[0][:80]!r}: the separator is "
                f"not {results.separator!r} as documented"
            )
        hint = " (is the file UTF-8 rather than latin-1?)" if "Ã" in "".join(header) else ""
        raise SourceFormatError(f"{label}: missing column(s) {', '.join(missing)}{hint}")
    unexpected = [name for name in block if name not in in_block]
    if unexpected:
        # The block length is what cuts the ragged rows: an unknown column in it would shift
        # every candidate after the first.
        raise SourceFormatError(
            f"{label}: unexpected column(s) {', '.join(map(repr, unexpected))} in the candidate "
            f"block (expected exactly {', '.join(results.candidate_columns)})"
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise SourceFormatError(f"{label}: duplicated column(s) {', '.join(duplicated)}")
    return _Layout(
        fixed={name: i for i, name in enumerate(fixed)},
        block={name: i for i, name in enumerate(block)},
    )


def read_commune_results(
    path: Path, results: ResultsFormat, code: str, label: str | None = None
) -> pd.DataFrame:
    """The commune's rows of a results file, one row per polling station × candidate: the
    fixed columns, then the candidate block's columns, every value as text.

    Streams the file line by line. Every line's candidate part must be a whole number of
    blocks (else `SourceFormatError` naming the file and line), so that a format change
    anywhere in the file is noticed, not only on the commune's lines.

    Splitting all 69,700 lines of 100 fields costs 0.4 s (csv module or `str.split` alike),
    twice a DuckDB pass over the file: a line without a quote is only counted (its separators)
    and split up to the commune code; only the commune's lines are split whole. A line with a
    quote (never seen in these files) is parsed by csv, with the lines a quoted field spans.
    """
    label = label or str(path)
    separator = results.separator
    with path.open("r", encoding=results.encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=separator, quotechar='"', strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise SourceFormatError(f"{label}: empty file (no header line)") from None
        except csv.Error as error:
            raise SourceFormatError(f"{label}: line 1 is not valid CSV ({error})") from error
        layout = _layout(header, results, label)
        columns = [*layout.fixed, *layout.block]
        width, size = len(layout.fixed), layout.block_size
        department = layout.fixed["Code du département"]
        commune = layout.fixed["Code de la commune"]
        records: list[list[str]] = []
        # What `Code de la commune` holds on the commune's lines, whatever leading zeros it lost
        # (`insee_code` ends with it): a cheap test that leaves `insee_code` few lines to place.
        number = code[-3:].lstrip("0") or "0"
        split_at = max(department, commune) + 1
        line_num = reader.line_num
        for line in stream:
            line_num += 1
            row: list[str] | None = None
            if '"' in line:
                # csv reads the record, and the next lines if a quoted field spans them.
                quoted = csv.reader(
                    itertools.chain([line], stream), delimiter=separator, strict=True
                )
                try:
                    row = next(quoted)
                except csv.Error as error:
                    raise SourceFormatError(f"{label}: line {line_num}: {error}") from error
                line_num += quoted.line_num - 1
                text, fields = "", len(row)
            else:
                text = line.rstrip("\r\n")
                if not text:
                    continue  # a blank line, e.g. at the end of the file
                fields = text.count(separator) + 1
            candidates = fields - width
            if candidates < 0:
                raise SourceFormatError(
                    f"{label}: line {line_num} has {fields} fields, fewer than "
                    f"the {width} fixed fields of the header"
                )
            if candidates % size:
                raise SourceFormatError(
                    f"{label}: line {line_num} has {fields} fields: {width} fixed "
                    f"fields then blocks of {size} fields per candidate expected, and "
                    f"{candidates} is not a multiple of {size}"
                )
            head = row or text.split(separator, split_at)
            if number not in head[commune] or insee_code(head[department], head[commune]) != code:
                continue
            row = row or text.split(separator)
            if candidates == 0:
                raise SourceFormatError(
                    f"{label}: line {line_num}: polling station "
                    f"{row[layout.fixed['Code du b.vote']]} has no candidate"
                )
            station = row[:width]
            records.extend(
                station + row[start : start + size] for start in range(width, len(row), size)
            )
    return pd.DataFrame(records, columns=columns, dtype=str)


def results_metadata(rows: pd.DataFrame) -> dict[str, Any]:
    """What a results source asset shows in the UI: rows, polling stations, candidates."""
    per_station = rows.groupby("Code du b.vote").size() if not rows.empty else pd.Series()
    return {
        "rows_for_commune": len(rows),
        "polling_stations": int(rows["Code du b.vote"].nunique()),
        "candidates_per_station": ", ".join(str(n) for n in sorted(set(per_station.tolist())))
        or "none",
    }


# -- the tidy table -----------------------------------------------------------------------------

STATION = ["tour", "code_bureau"]
TOTALS = ["inscrits", "abstentions", "votants", "blancs", "nuls", "exprimes"]


def _counts(values: pd.Series) -> pd.Series:
    # A count that is not a whole number becomes empty, and fails the schema on its row.
    numbers = pd.to_numeric(values.str.strip(), errors="coerce")
    return numbers.where(numbers == numbers.round()).astype("Int64")


def _percentages(values: pd.Series) -> pd.Series:
    # The Ministry writes percentages with a decimal comma: `25,37`.
    return pd.to_numeric(values.map(number_text), errors="coerce").astype("float64")


def tidy_round(rows: pd.DataFrame, tour: int, commune: Commune) -> pd.DataFrame:
    """One round's rows (as `read_commune_results` returns them) → the published columns:
    the station and its totals, the candidate and their votes, numbers as numbers. The
    legislative `Nuance` and the constituency are kept; each dataset picks its columns."""
    table = pd.DataFrame(
        {
            "tour": pd.array([tour] * len(rows), dtype="Int64"),
            "code_commune_insee": commune.code,
            "nom_commune": commune.name,
            "code_circonscription": rows["Code de la circonscription"].str.strip(),
            "code_bureau": rows["Code du b.vote"].str.strip(),
            "inscrits": _counts(rows["Inscrits"]),
            "abstentions": _counts(rows["Abstentions"]),
            "votants": _counts(rows["Votants"]),
            "blancs": _counts(rows["Blancs"]),
            "nuls": _counts(rows["Nuls"]),
            "exprimes": _counts(rows["Exprimés"]),
            "numero_panneau": _counts(rows["N°Panneau"]),
            "sexe": rows["Sexe"].str.strip(),
            "nom": rows["Nom"].str.strip(),
            "prenom": rows["Prénom"].str.strip(),
        },
        index=rows.index,
    )
    if "Nuance" in rows:
        table["nuance"] = rows["Nuance"].str.strip()
    table["voix"] = _counts(rows["Voix"])
    table["pct_voix_inscrits"] = _percentages(rows["% Voix/Ins"])
    table["pct_voix_exprimes"] = _percentages(rows["% Voix/Exp"])
    return table.reset_index(drop=True)


# -- the rules --------------------------------------------------------------------------------

PERCENT_TOLERANCE = 0.01


def both_rounds(
    round_1: pd.DataFrame, round_2: pd.DataFrame, commune: Commune, columns: list[str]
) -> pd.DataFrame:
    """Both rounds in one long table, one row per round × station × candidate, sorted, with
    the dataset's `columns` in their order."""
    table = pd.concat(
        [tidy_round(round_1, 1, commune), tidy_round(round_2, 2, commune)], ignore_index=True
    )
    table = table.sort_values(["tour", "code_bureau", "numero_panneau"], kind="stable")
    return table[columns].reset_index(drop=True)


def _stations(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop_duplicates(STATION)[[*STATION, *TOTALS]].reset_index(drop=True)


def _differs(left: pd.Series, right: pd.Series) -> pd.Series:
    # A missing count cannot be shown to add up: it fails.
    return (left != right).astype("boolean").fillna(True).astype(bool)


def votes_sum_to_exprimes(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Stations whose candidates' votes do not add up to the expressed votes (`exprimes`)."""
    sums = (
        frame.groupby(STATION, sort=True)
        .agg(exprimes=("exprimes", "first"), somme_voix=("voix", "sum"))
        .reset_index()
    )
    return sums[_differs(sums["somme_voix"], sums["exprimes"])].reset_index(drop=True)


def votants_equal_blancs_nuls_exprimes(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Stations where votants ≠ blancs + nuls + exprimes."""
    stations = _stations(frame)
    wrong = _differs(
        stations["votants"], stations["blancs"] + stations["nuls"] + stations["exprimes"]
    )
    return stations.loc[wrong, [*STATION, "votants", "blancs", "nuls", "exprimes"]].reset_index(
        drop=True
    )


def inscrits_equal_abstentions_votants(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Stations where inscrits ≠ abstentions + votants."""
    stations = _stations(frame)
    wrong = _differs(stations["inscrits"], stations["abstentions"] + stations["votants"])
    return stations.loc[wrong, [*STATION, "inscrits", "abstentions", "votants"]].reset_index(
        drop=True
    )


def percentages_match_counts(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Candidate rows whose published percentages differ by more than 0.01 point from the
    ones recomputed from the counts (the file rounds to 2 decimals)."""
    failures = []
    for column, denominator in (
        ("pct_voix_inscrits", "inscrits"),
        ("pct_voix_exprimes", "exprimes"),
    ):
        total = frame[denominator].astype("float64")
        recomputed = (100 * frame["voix"].astype("float64") / total).where(total > 0, 0.0)
        gap = (frame[column] - recomputed).abs()
        wrong = (gap > PERCENT_TOLERANCE + 1e-9).fillna(True)
        if wrong.any():
            failures.append(
                pd.DataFrame(
                    {
                        "tour": frame.loc[wrong, "tour"],
                        "code_bureau": frame.loc[wrong, "code_bureau"],
                        "numero_panneau": frame.loc[wrong, "numero_panneau"],
                        "nom": frame.loc[wrong, "nom"],
                        "colonne": column,
                        "valeur_publiee": frame.loc[wrong, column],
                        "valeur_recalculee": recomputed[wrong].round(4),
                    }
                )
            )
    if not failures:
        return pd.DataFrame(
            columns=["tour", "code_bureau", "numero_panneau", "nom", "colonne", "valeur_publiee"]
        )
    return pd.concat(failures, ignore_index=True)


def stations_in_every_round(
    frame: pd.DataFrame, commune: Commune, *, by_constituency: bool = False
) -> pd.DataFrame:
    """Polling stations missing from a round: the commune has at least one station, and the
    same stations in round 1 and round 2.

    With `by_constituency` (legislative elections), a constituency absent from round 2 is
    accepted: a candidate elected in round 1 means no round 2 there. A station missing from
    round 2 while the rest of its constituency voted is still a failure.
    """
    if frame.empty:
        return pd.DataFrame({"code_bureau": ["(aucun)"], "tour_manquant": [pd.NA]})
    keys = ["code_circonscription", "code_bureau"] if by_constituency else ["code_bureau"]
    first, second = (
        set(frame.loc[frame["tour"] == tour, keys].itertuples(index=False, name=None))
        for tour in (1, 2)
    )
    expected_second = first
    if by_constituency:
        voted_again = {station[0] for station in second}
        expected_second = {station for station in first if station[0] in voted_again}
    missing = [(*station, 1) for station in sorted(second - first)]
    missing += [(*station, 2) for station in sorted(expected_second - second)]
    return pd.DataFrame(missing, columns=[*keys, "tour_manquant"])


def results_rules(*, by_constituency: bool = False) -> list[Rule]:
    """The arithmetic every polling station's results obey, as the dataset's blocking rules
    (`by_constituency` for legislative elections: see `stations_in_every_round`)."""
    stations = (
        "La commune a au moins un bureau de vote, et les mêmes aux deux tours dans chaque "
        "circonscription où il y a eu un second tour (un député élu au premier tour signifie "
        "pas de second tour dans sa circonscription)."
        if by_constituency
        else "La commune a au moins un bureau de vote, et les mêmes aux deux tours."
    )
    return [
        Rule(
            "votes_sum_to_exprimes",
            "Par tour et bureau de vote, les voix des candidats font les suffrages exprimés.",
            votes_sum_to_exprimes,
        ),
        Rule(
            "votants_equal_blancs_nuls_exprimes",
            "Par tour et bureau de vote, votants = blancs + nuls + exprimes.",
            votants_equal_blancs_nuls_exprimes,
        ),
        Rule(
            "inscrits_equal_abstentions_votants",
            "Par tour et bureau de vote, inscrits = abstentions + votants.",
            inscrits_equal_abstentions_votants,
        ),
        Rule(
            "percentages_match_counts",
            "pct_voix_inscrits et pct_voix_exprimes égalent à 0,01 point près les voix divisées "
            "par les inscrits et par les exprimés.",
            percentages_match_counts,
        ),
        Rule(
            "stations_in_every_round",
            stations,
            partial(stations_in_every_round, by_constituency=by_constituency),
        ),
    ]
