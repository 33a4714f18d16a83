"""Table Schema types and constraints for text cells: what each accepts, what it leaves to
another rule, and the pandera checks named for the rule they enforce."""

import re

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from cle_pipeline.lib.table_schema import (
    BOOLEAN,
    DATE,
    EMAIL,
    INTEGER,
    LON_LAT,
    NUMBER,
    OUI_NON,
    SIREN,
    SIRET,
    URI,
    cell_check,
    french_siren_value,
    french_siret_value,
    in_range,
    lon_lat_in_range,
    range_check,
    real_date,
)


def test_booleans_are_the_schemas_true_and_false_values():
    assert BOOLEAN == ["true", "false"]
    assert OUI_NON == ["oui", "non"]


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (INTEGER, "12", True),
        (INTEGER, "-3", True),
        (INTEGER, "12.0", False),
        (INTEGER, "1 200", False),
        (NUMBER, "22", True),
        (NUMBER, "-0.5", True),
        (NUMBER, "3,7", False),  # a decimal comma
        (NUMBER, "1e3", False),
        (NUMBER, ".5", False),
        (DATE, "2022-06-20", True),
        (DATE, "2022-02-30", True),  # the form only: `real_date` says it is no day
        (DATE, "20/06/2022", False),
        (DATE, "2022-06-20T10:00:00", False),
        (LON_LAT, "[1.02,49.28]", True),
        (LON_LAT, "[-61.5,16.2]", True),
        (LON_LAT, "[1.02, 49.28]", False),  # no space after the comma
        (LON_LAT, "49.28,1.02", False),
        (EMAIL, "mairie@caudebec-exemple.fr", True),
        (EMAIL, "mairie-exemple.fr", False),
        (EMAIL, "mairie @exemple.fr", False),
        (URI, "https://www.caudebec-exemple.fr", True),
        (URI, "mailto:mairie@exemple.fr", True),
        (URI, "www.caudebec-exemple.fr", False),
        (SIREN, "217601658", True),
        (SIREN, "21760165", False),
        (SIREN, "217 601 658", False),
        (SIRET, "21760165700018", True),
        (SIRET, "2176016570001", False),
    ],
)
def test_type_and_identifier_patterns(pattern, text, matches):
    assert bool(re.match(pattern, text)) is matches


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2022-06-20", True),
        ("2024-02-29", True),  # leap year
        ("2023-02-29", False),
        ("2022-02-30", False),
        ("2022-13-01", False),
        ("2022-00-10", False),
        ("20/06/2022", True),  # not in the form of a date: the pattern reports it
        ("soon", True),
    ],
)
def test_real_date(text, valid):
    assert real_date(text) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("[1.02,49.28]", True),
        ("[-180,-90]", True),
        ("[180.0,90.0]", True),
        ("[1.02,95.0]", False),  # latitude and longitude swapped would look like this
        ("[181,49.28]", False),
        ("[-180.5,0]", False),
        ("49.28, 1.02", True),  # not in the form: the pattern reports it
    ],
)
def test_lon_lat_in_range(text, valid):
    assert lon_lat_in_range(text) is valid


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("217601658", False),  # last digit off by one
        ("217601657", True),
        ("356000000", True),  # La Poste: its SIREN keeps a Luhn key
        ("21760165", False),
        ("21760165A", False),
        ("217 601 657", False),
        ("", False),
    ],
)
def test_french_siren_value(siren, valid):
    assert french_siren_value(siren) is valid


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("21760165700018", True),
        ("21760165700011", False),
        ("35600000000015", True),  # La Poste: no Luhn key, the digits sum to a multiple of 5
        ("35600000000014", False),  # a Luhn number, but not La Poste's rule
        ("35600000000048", True),  # La Poste's head office keeps a Luhn key
        ("2176016570001", False),  # 13 digits: the custom check rejects it as well
        ("2176016570001A", False),
    ],
)
def test_french_siret_value(siret, valid):
    assert french_siret_value(siret) is valid


@pytest.mark.parametrize(
    ("minimum", "maximum", "valid"),
    [
        (-90, 90, [True, True, False, False, True, True]),
        (0, None, [True, False, True, False, True, True]),
        (None, 90, [True, True, False, True, True, True]),
        (0.01, 1, [False, False, False, False, True, True]),
    ],
)
def test_in_range_leaves_what_is_not_a_number_to_the_pattern(minimum, maximum, valid):
    values = pd.Series(["49.28", "-12", "149.2", "-91", "deux", "49,28"])
    assert in_range(values, minimum, maximum).tolist() == valid


def test_a_range_check_needs_a_bound():
    with pytest.raises(ValueError, match="minimum, a maximum or both"):
        range_check("lat")


def rule_failures(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> list[tuple]:
    """(check, column, failing value) for every failure, in a stable order."""
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return sorted(zip(cases["check"], cases["column"], cases["failure_case"], strict=True))
    return []


class Sample(pa.DataFrameModel):
    lat: Series[str] = pa.Field(str_matches=NUMBER, nullable=True)
    pdc: Series[str] = pa.Field(str_matches=INTEGER, nullable=True)
    day: Series[str] = pa.Field(str_matches=DATE, nullable=True)
    siret: Series[str] = pa.Field(nullable=True)

    latitude = range_check("lat", minimum=-90, maximum=90)
    not_negative = range_check("pdc", minimum=0)
    named = range_check("lat", minimum=-80, maximum=80, name="polar_circle")
    days = cell_check("day", valid=real_date)
    siret_key = cell_check("siret", valid=french_siret_value, name="siret_key")


def test_checks_are_named_for_their_rule():
    names = {
        column: [c.name for c in spec.checks] for column, spec in Sample.to_schema().columns.items()
    }
    assert names == {
        "lat": ["str_matches", "minimum_-90_maximum_90", "polar_circle"],
        "pdc": ["str_matches", "minimum_0"],
        "day": ["str_matches", "real_date"],
        "siret": ["siret_key"],
    }


def test_good_and_empty_cells_pass_the_checks():
    frame = pd.DataFrame(
        {
            "lat": ["49.28", None],
            "pdc": ["0", None],
            "day": ["2024-02-29", None],
            "siret": ["21760165700018", None],
        },
        dtype="str",
    )
    assert rule_failures(Sample, frame) == []


def test_each_bad_cell_fails_the_rule_that_names_it_once():
    frame = pd.DataFrame(
        {
            "lat": ["95", "85", "nord"],
            "pdc": ["-1", "2", "2"],
            "day": ["2023-02-29", "2023-02-28", "28/02/2023"],
            "siret": ["21760165700011", "21760165700018", "2176016570001"],
        },
        dtype="str",
    )
    assert rule_failures(Sample, frame) == [
        ("minimum_-90_maximum_90", "lat", "95"),
        ("minimum_0", "pdc", "-1"),
        ("polar_circle", "lat", "85"),
        ("polar_circle", "lat", "95"),
        ("real_date", "day", "2023-02-29"),
        ("siret_key", "siret", "2176016570001"),
        ("siret_key", "siret", "21760165700011"),
        (f"str_matches('{NUMBER}')", "lat", "nord"),
        (f"str_matches('{DATE}')", "day", "28/02/2023"),
    ]
