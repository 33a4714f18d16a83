"""Normalisers: SIRET keys and comparable text."""

import pytest

from cle_pipeline.lib.normalise import comparable_text, luhn_valid, siret_key_valid


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("41236587600017", True),
        ("41236587600018", False),  # last digit off by one
        ("4123658760001", False),  # 13 digits
        ("412 365 876 00017", False),  # spaces are the caller's to remove
        ("4123658760001A", False),
        (None, False),
        # La Poste's establishments: digits summing to a multiple of 5 (15), not a Luhn key.
        ("35600000000001", True),
        ("35600000000014", False),  # a valid Luhn number, but not La Poste's rule
        ("35600000000048", True),  # La Poste's head office keeps a Luhn key
    ],
)
def test_siret_key(siret, valid):
    assert siret_key_valid(siret) is valid


def test_la_poste_establishment_is_not_a_luhn_number():
    assert not luhn_valid("35600000000001")
    assert luhn_valid("35600000000014")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Bistrot Caudébécais", "LE BISTROT CAUDEBECAIS"),
        ("COIFF'TIF", "COIFF TIF"),
        ("Intermarché  Saint-Pierre", "INTERMARCHE SAINT PIERRE"),
        ("Cœur de Bœuf", "COEUR DE BOEUF"),
        ("  ", ""),
        (None, ""),
    ],
)
def test_comparable_text(text, expected):
    assert comparable_text(text) == expected
