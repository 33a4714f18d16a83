"""Value normalisers: what they change and what they leave for the checks to show."""

import pytest

from cle_pipeline.lib.normalise import international_phone, place_name_key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Caudebec-lès-Elbeuf", "CAUDEBEC LES ELBEUF"),
        ("CAUDEBEC-LES-ELBEUF", "CAUDEBEC LES ELBEUF"),
        (" caudebec  les elbeuf ", "CAUDEBEC LES ELBEUF"),
        ("ST PIERRE LES ELBEUF", "SAINT PIERRE LES ELBEUF"),
        ("Saint-Pierre-lès-Elbeuf", "SAINT PIERRE LES ELBEUF"),
        ("STE-MARIE", "SAINTE MARIE"),
        ("L'Haÿ-les-Roses", "L HAY LES ROSES"),
        ("", None),
        (None, None),
    ],
)
def test_place_name_key(written, key):
    assert place_name_key(written) == key


def test_different_communes_keep_different_keys():
    assert place_name_key("Saint-Pierre-lès-Elbeuf") != place_name_key("Caudebec-lès-Elbeuf")
    # "ST" is only expanded as a whole word.
    assert place_name_key("Stains") == "STAINS"


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
