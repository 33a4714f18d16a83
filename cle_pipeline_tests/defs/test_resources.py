"""Configuration read from the environment: what an empty variable means is said."""

from cle_pipeline.defs.resources import empty_variables


def test_an_empty_commune_is_said_to_mean_the_default(monkeypatch):
    monkeypatch.setenv("CLE_COMMUNE", "")
    monkeypatch.setenv("CLE_SOURCE_MODE", " ")
    monkeypatch.setenv("CLE_OUTPUT_DIR", "/srv/published")
    assert empty_variables() == [
        "CLE_COMMUNE is set but empty: the default, 76165, is used",
        "CLE_SOURCE_MODE is set but empty: the default, snapshot, is used",
    ]


def test_nothing_is_said_when_nothing_is_empty():
    assert empty_variables() == []
