"""Opening hours: French day-and-time ranges → OpenStreetMap `opening_hours`, and its real parser.

French directories (the DILA's annuaire, communes' own files) describe hours as ranges: a first
and a last day (`Lundi` → `Vendredi`), up to two time ranges (`08:30:00`–`12:00:00`,
`13:30:00`–`17:30:00`) and a free comment. Schemas such as scdl/equipements ask for the
OpenStreetMap syntax instead: `Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00`.

`osm_opening_hours` rebuilds the week day by day (so that ranges that overlap, repeat a day or
split it are merged), then writes one rule per group of days with the same hours, in weekday
order, in the normal form of the OSM parser (`Mo-Tu`, not `Mo,Tu`). Days without hours are
closed, which OSM expresses by leaving them out. Input it cannot translate raises
`OpeningHoursError` naming the value: it never guesses.

`osm_syntax_error` validates a string with a real parser of the OSM grammar (the Rust
`opening-hours` crate through its Python binding), not a regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import opening_hours

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
FRENCH_DAYS = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
# `08:30:00`, `08:30`, `8:30`, `8h30`, `8h`.
TIME = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?(?:\s*:\s*(\d{2}))?$")
END_OF_DAY = 24 * 60


class OpeningHoursError(ValueError):
    """A day or time the normaliser cannot translate without guessing."""


@dataclass(frozen=True)
class OpeningRange:
    """One line of a French timetable: days `first_day` to `last_day` (inclusive, the same day
    when `last_day` is empty), open during each (start, end) of `times`; a pair with both
    ends empty is no range (the directory's empty second range)."""

    first_day: str
    last_day: str | None = None
    times: Sequence[tuple[str | None, str | None]] = ()
    comment: str | None = None


@dataclass
class _Day:
    spans: list[tuple[int, int]] = field(default_factory=list)  # minutes since midnight
    comments: list[str] = field(default_factory=list)


def french_day(name: str) -> int:
    """`Lundi` → 0 … `Dimanche` → 6 (any case, surrounding spaces ignored)."""
    key = str(name).strip().lower()
    if key not in FRENCH_DAYS:
        raise OpeningHoursError(f"jour inconnu {name!r}")
    return FRENCH_DAYS[key]


def days_between(first_day: str, last_day: str | None) -> list[int]:
    """The days from `first_day` to `last_day` inclusive; `Samedi` → `Lundi` wraps over Sunday."""
    first = french_day(first_day)
    if last_day is None or not str(last_day).strip():
        return [first]
    last = french_day(last_day)
    return [(first + offset) % 7 for offset in range((last - first) % 7 + 1)]


def minutes_of(text: str, *, is_end: bool = False) -> int:
    """`08:30:00` → 510. An end at `00:00` or `23:59` is the end of the day (24:00): the
    directory stores times of day, which cannot say `24:00:00`."""
    match = TIME.match(str(text).strip())
    if not match:
        raise OpeningHoursError(f"heure illisible {text!r}")
    hours, minutes, seconds = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise OpeningHoursError(f"heure impossible {text!r}")
    # OSM has minute precision: a non-zero second is an error in the data, not noise to drop.
    if seconds is not None and int(seconds) != 0:
        raise OpeningHoursError(f"heure à la seconde près {text!r}")
    value = hours * 60 + minutes
    if is_end and value in (0, END_OF_DAY - 1):
        return END_OF_DAY
    if not is_end and value == END_OF_DAY:
        raise OpeningHoursError(f"ouverture à 24:00 {text!r}")
    return value


def time_span(start: str | None, end: str | None) -> tuple[int, int] | None:
    """(start, end) in minutes; None when both are empty; an end before the start runs past
    midnight (`20:00-02:00` is valid OSM)."""
    start_text, end_text = (str(value or "").strip() for value in (start, end))
    if not start_text and not end_text:
        return None
    if not start_text or not end_text:
        raise OpeningHoursError(f"plage incomplète {start_text or '?'}-{end_text or '?'}")
    span = (minutes_of(start_text), minutes_of(end_text, is_end=True))
    if span[0] == span[1]:
        raise OpeningHoursError(f"plage vide {start_text}-{end_text}")
    return span


def osm_time(minutes: int) -> str:
    """Minutes since midnight as OSM writes them: `09:30`."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans, overlapping or touching ones joined; spans past midnight kept as given."""
    result: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        previous = result[-1] if result else None
        if previous and previous[0] < previous[1] and start < end and start <= previous[1]:
            result[-1] = (previous[0], max(previous[1], end))
        else:
            result.append((start, end))
    return result


def osm_days(days: Sequence[int]) -> str:
    """[0, 1, 2, 4] → `Mo-We,Fr`: runs of consecutive days as ranges, as the OSM parser
    normalises them."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        OSM_DAYS[run[0]] if len(run) == 1 else f"{OSM_DAYS[run[0]]}-{OSM_DAYS[run[-1]]}"
        for run in runs
    )


def osm_comment(text: str | None) -> str | None:
    """A comment as OSM accepts it between double quotes (which it cannot contain)."""
    cleaned = " ".join(str(text or "").split()).replace('"', "'")
    return cleaned or None


def _week(ranges: Iterable[OpeningRange]) -> dict[int, _Day]:
    """The spans and comments of each day the timetable lists."""
    week: dict[int, _Day] = {}
    for line in ranges:
        spans = [span for start, end in line.times if (span := time_span(start, end))]
        comment = osm_comment(line.comment)
        for day in days_between(line.first_day, line.last_day):
            entry = week.setdefault(day, _Day())
            entry.spans.extend(spans)
            if comment and comment not in entry.comments:
                entry.comments.append(comment)
    return week


WeekRule = tuple[tuple[tuple[int, int], ...], str | None]


def _rules(week: dict[int, _Day]) -> dict[WeekRule, list[int]]:
    """The days grouped by their (merged spans, comment), in the order of each group's first
    day. A day listed without hours nor comment is closed: OSM says so by leaving it out."""
    rules: dict[WeekRule, list[int]] = {}
    for day in sorted(week):
        spans = tuple(merged(week[day].spans))
        comment = " / ".join(week[day].comments) or None
        if spans or comment:
            rules.setdefault((spans, comment), []).append(day)
    return rules


def _rule_text(rule: WeekRule, days: list[int]) -> str:
    """`Mo-Fr 08:30-12:00,13:30-17:00 "comment"`."""
    spans, comment = rule
    parts = [osm_days(days)]
    if spans:
        parts.append(",".join(f"{osm_time(start)}-{osm_time(end)}" for start, end in spans))
    if comment:
        parts.append(f'"{comment}"')
    return " ".join(parts)


def osm_opening_hours(ranges: Iterable[OpeningRange]) -> str | None:
    """The OSM `opening_hours` string of a French timetable; None when it gives no hours."""
    rules = _rules(_week(ranges))
    if not rules:
        return None
    all_day: WeekRule = (((0, END_OF_DAY),), None)
    if list(rules) == [all_day] and len(rules[all_day]) == 7:
        return "24/7"
    return "; ".join(_rule_text(rule, days) for rule, days in rules.items())


def osm_syntax_error(text: str) -> str | None:
    """None when `text` parses as OSM `opening_hours`, else the parser's message, on one line."""
    try:
        opening_hours.OpeningHours(text)
    except (opening_hours.ParserError, SyntaxError, ValueError) as error:
        return " ".join(str(error).split())
    return None
