"""Value normalisers, tested without Dagster."""

import pytest

from cle_pipeline.lib.normalise import place_name_key


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
