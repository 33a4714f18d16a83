"""French timetables → OSM `opening_hours`, every output checked by the real OSM parser."""

import opening_hours
import pytest

from cle_pipeline.lib.opening_hours import (
    OpeningHoursError,
    OpeningRange,
    days_between,
    minutes_of,
    osm_days,
    osm_opening_hours,
    osm_syntax_error,
)

MORNING = ("08:30:00", "12:00:00")
AFTERNOON = ("13:30:00", "17:30:00")
NO_RANGE = ("", "")


def week(*lines: tuple) -> list[OpeningRange]:
    return [OpeningRange(*line) for line in lines]


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        pytest.param(
            week(("Lundi", "Vendredi", [MORNING, AFTERNOON]), ("Samedi", "Samedi", [MORNING])),
            "Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00",
            id="day-range-two-ranges-and-saturday-morning",
        ),
        pytest.param(
            week(
                ("Lundi", "Lundi", [MORNING, AFTERNOON]),
                ("Mardi", "Mardi", [MORNING, AFTERNOON]),
                ("Mercredi", "Mercredi", [MORNING, NO_RANGE]),
                ("Jeudi", "Jeudi", [MORNING, AFTERNOON]),
                ("Vendredi", "Vendredi", [MORNING, AFTERNOON]),
            ),
            "Mo-Tu,Th-Fr 08:30-12:00,13:30-17:30; We 08:30-12:00",
            id="equal-days-merged-empty-second-range",
        ),
        pytest.param(
            week(("Lundi", "Vendredi", [MORNING]), ("Mercredi", "", [AFTERNOON])),
            "Mo-Tu,Th-Fr 08:30-12:00; We 08:30-12:00,13:30-17:30",
            id="a-day-split-over-two-lines",
        ),
        pytest.param(
            week(("Lundi", "Lundi", [("08:00", "12:00"), ("11:00", "14:00")])),
            "Mo 08:00-14:00",
            id="overlapping-ranges-joined",
        ),
        pytest.param(
            week(("Mardi", None, [("14:00:00", "17:00:00"), ("09:00:00", "12:00:00")])),
            "Tu 09:00-12:00,14:00-17:00",
            id="ranges-sorted",
        ),
        pytest.param(
            week(("Lundi", "Dimanche", [("00:00:00", "23:59:00")])),
            "24/7",
            id="every-day-all-day",
        ),
        pytest.param(
            week(("Lundi", "Dimanche", [("00:00", "00:00")])),
            "24/7",
            id="midnight-to-midnight",
        ),
        pytest.param(
            week(("Vendredi", "Samedi", [("20:00:00", "02:00:00")])),
            "Fr-Sa 20:00-02:00",
            id="past-midnight",
        ),
        pytest.param(
            week(("Samedi", "Lundi", [("10:00", "18:00")])),
            "Mo,Sa-Su 10:00-18:00",
            id="day-range-over-the-weekend",
        ),
        pytest.param(
            week(("lundi ", " JEUDI", [("8h30", "12h")])),
            "Mo-Th 08:30-12:00",
            id="case-spaces-and-8h30",
        ),
        pytest.param(
            week(
                ("Lundi", "Vendredi", [MORNING]),
                ("Samedi", "Samedi", [("09:00:00", "12:00:00")], 'Les 1er et 3e "samedis"'),
            ),
            "Mo-Fr 08:30-12:00; Sa 09:00-12:00 \"Les 1er et 3e 'samedis'\"",
            id="comment-kept-quotes-replaced",
        ),
        pytest.param(
            week(("Mercredi", "Mercredi", [NO_RANGE], "Sur rendez-vous")),
            'We "Sur rendez-vous"',
            id="comment-without-hours",
        ),
        pytest.param(
            week(("Lundi", "Vendredi", [MORNING]), ("Samedi", "Dimanche", [NO_RANGE, NO_RANGE])),
            "Mo-Fr 08:30-12:00",
            id="closed-days-left-out",
        ),
        pytest.param(week(), None, id="no-hours-at-all"),
        pytest.param(week(("Lundi", "Vendredi", [NO_RANGE])), None, id="only-empty-ranges"),
    ],
)
def test_french_ranges_become_osm_syntax_the_parser_accepts(ranges, expected):
    text = osm_opening_hours(ranges)
    assert text == expected
    if text is not None:
        assert osm_syntax_error(text) is None
        # Already in the parser's normal form: publishing it or its normalisation is the same.
        assert str(opening_hours.OpeningHours(text).normalize()) == text


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        (week(("Lundy", "Vendredi", [MORNING])), "jour inconnu 'Lundy'"),
        (week(("Lundi", "Vendredi", [("08:30", "")])), "plage incomplète 08:30-?"),
        (week(("Lundi", "Vendredi", [("8.30", "12:00")])), "heure illisible '8.30'"),
        (week(("Lundi", "Vendredi", [("08:61", "12:00")])), "heure impossible '08:61'"),
        (week(("Lundi", "Vendredi", [("08:30:15", "12:00")])), "heure à la seconde près"),
        (week(("Lundi", "Vendredi", [("09:00", "09:00")])), "plage vide 09:00-09:00"),
        (week(("Lundi", "Vendredi", [("24:00", "02:00")])), "ouverture à 24:00"),
    ],
)
def test_what_cannot_be_translated_raises_and_says_why(ranges, message):
    with pytest.raises(OpeningHoursError, match=message):
        osm_opening_hours(ranges)


@pytest.mark.parametrize(
    ("text", "is_end", "minutes"),
    [
        ("08:30:00", False, 510),
        ("08:30", False, 510),
        ("8:05", False, 485),
        ("17h", True, 1020),
        ("00:00:00", False, 0),
        ("00:00:00", True, 1440),
        ("23:59:00", True, 1440),
        ("24:00", True, 1440),
    ],
)
def test_times_with_or_without_seconds(text, is_end, minutes):
    assert minutes_of(text, is_end=is_end) == minutes


def test_day_ranges_and_their_osm_spelling():
    assert days_between("Lundi", "Vendredi") == [0, 1, 2, 3, 4]
    assert days_between("Dimanche", "Mardi") == [6, 0, 1]
    assert days_between("Jeudi", "") == [3]
    assert osm_days([0, 1, 2, 4, 6]) == "Mo-We,Fr,Su"
    assert osm_days([5, 6]) == "Sa-Su"


@pytest.mark.parametrize(
    "text",
    [
        "Lundi-Vendredi 08:30-12:00",
        "Mo-Fr 08:30:00-12:00:00",
        "Mo-Fr 08:30-12:00,",
        "(non traduit) jour inconnu 'Lundy'",
        "",
    ],
)
def test_the_real_parser_rejects_what_is_not_osm(text):
    assert osm_syntax_error(text) is not None


def test_the_real_parser_accepts_osm():
    assert osm_syntax_error("Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00; PH off") is None
