"""Value normalisers: what they change and what they leave for the checks to show."""

import pytest

from cle_pipeline.lib.normalise import international_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02 35 77 12 34", "+33 235771234"),
        ("02.35.77.12.34", "+33 235771234"),
        ("+33 2 35 77 12 34", "+33 235771234"),
        ("+33 (0)2 35 77 12 34", "+33 235771234"),
        ("0033235771234", "+33 235771234"),
        ("06-12-34-56-78", "+33 612345678"),
        ("0262 12 34 56", "+262262123456"),
        ("0696 12 34 56", "+596696123456"),
        ("3939", "3939"),
        ("02 35 77", "02 35 77"),
        ("", None),
        (None, None),
    ],
)
def test_international_phone(raw, expected):
    assert international_phone(raw) == expected
