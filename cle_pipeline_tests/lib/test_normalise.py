"""Value normalisers: what they change and what they leave for the checks to show."""

import pytest

from cle_pipeline.lib.normalise import (
    international_phone,
    mask_mobile_numbers,
    oui_non,
    place_name_key,
    postgres_array,
)


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


@pytest.mark.parametrize(
    ("value", "expected"),
    [("t", "oui"), ("f", "non"), ("true", "oui"), ("0", "non"), ("", None), (None, None)],
)
def test_oui_non_writes_the_french_words(value, expected):
    assert oui_non(value) == expected


def test_oui_non_leaves_an_unknown_word_for_the_check_to_see():
    assert oui_non("peut-être") == "peut-être"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{7j/7}", ["7j/7"]),
        ("{lundi,mardi}", ["lundi", "mardi"]),
        ('{"jours fériés",samedi}', ["jours fériés", "samedi"]),
        ('{"heures ouvrables","heures de nuit"}', ["heures ouvrables", "heures de nuit"]),
        ('{"non renseigné"}', ["non renseigné"]),
        ('{"a, b","c \\"d\\""}', ["a, b", 'c "d"']),
        ("{}", []),
        ("", None),
        (None, None),
    ],
)
def test_postgres_array_items(value, expected):
    assert postgres_array(value) == expected


@pytest.mark.parametrize("value", ["lundi", "{lundi", '{"lundi}'])
def test_postgres_array_leaves_other_text_unchanged(value):
    assert postgres_array(value) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clé chez le gardien 06 12 34 56 78", "Clé chez le gardien [numéro masqué]"),
        (
            "Appeler le 07.12.34.56.78 ou +33 6 12 34 56 78",
            "Appeler le [numéro masqué] ou [numéro masqué]",
        ),
        ("Accueil mairie 02 35 74 64 10", "Accueil mairie 02 35 74 64 10"),
        ("Badge n° 0612345678901", "Badge n° 0612345678901"),
        (None, None),
    ],
)
def test_mask_mobile_numbers_keeps_landlines(text, expected):
    assert mask_mobile_numbers(text) == expected
