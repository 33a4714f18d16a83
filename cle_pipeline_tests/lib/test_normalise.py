"""Value normalisers: French booleans, PostgreSQL arrays, mobile numbers in free text."""

import pytest

from cle_pipeline.lib.normalise import mask_mobile_numbers, oui_non, postgres_array


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
