"""The resources as the environment configures them: one place reads it, the UI names it."""

import dagster as dg
import pytest

from cle_pipeline.defs.resources import empty_variables, resources_from
from cle_pipeline.lib.fetch import NO_VARIABLE

EVERY_VARIABLE = {
    "CLE_COMMUNE": "76231",
    "CLE_OUTPUT_DIR": "/srv/published",
    "CLE_INBOX_DIR": "/srv/inbox",
    "CLE_ACCEPT_DROP": "associations",
    "CLE_SOURCE_MODE": "online",
    "CLE_CACHE_DIR": "/srv/cache",
    "CLE_STORAGE_DIR": "/srv/storage",
    "CLE_SOURCE_IRVE": "http://user:secret@mirror.example/irve.csv",
    "DATAGOUV_API_URL": "https://www.data.gouv.fr/api/1",
    "DATAGOUV_API_KEY": "a-key",
    "DATAGOUV_ORGANIZATION": "caudebec",
    "DATAGOUV_DRY_RUN": "yes",
    "CLE_ALERT_WEBHOOK_URL": "https://chat.example/hooks/x",
    "CLE_SMTP_HOST": "smtp.example",
    "CLE_SMTP_PORT": "25",
    "CLE_SMTP_USER": "alertes",
    "CLE_SMTP_PASSWORD": "secret",
    "CLE_SMTP_STARTTLS": "false",
    "CLE_ALERT_EMAIL_FROM": "pipeline@mairie.example",
    "CLE_ALERT_EMAIL_TO": "donnees@mairie.example",
    "CLE_DAGSTER_UI_URL": "http://dagster.mairie.example:3000",
    "CLE_MAP_TILES": "https://tiles.example/{z}/{x}/{y}.png",
    "CLE_SITE_URL": "https://donnees.mairie.example",
}


def configured_variable(value: object) -> str | None:
    """The variable behind a field's configured value, if it is an EnvVar."""
    if isinstance(value, dg.EnvVar):
        return value.env_var_name
    return getattr(value, "name", None) if type(value).__name__ == "IntEnvVar" else None


def test_every_setting_names_its_variable_and_is_that_envvar_when_set():
    named = set()
    for resource in resources_from(EVERY_VARIABLE).values():
        for name, field in type(resource).model_fields.items():
            description = field.description or ""
            variable, _, meaning = description.partition(" — ")
            value = getattr(resource, name)
            if description.startswith(NO_VARIABLE):
                assert configured_variable(value) is None, name
            elif variable == "CLE_SOURCE_<ID>":
                assert {key: configured_variable(v) for key, v in value.items()} == {
                    "irve": "CLE_SOURCE_IRVE"
                }
            elif variable == "DATAGOUV_DRY_RUN":
                assert value is True  # Dagster has no boolean EnvVar: read when loading
            else:
                assert configured_variable(value) == variable, name
            assert meaning or description.startswith(NO_VARIABLE), name
            named.add(variable)
    # Every variable of the environment is behind one setting.
    assert set(EVERY_VARIABLE) - named == {"CLE_SOURCE_IRVE"}


def test_an_unset_or_empty_variable_leaves_the_default():
    empty = resources_from({"CLE_COMMUNE": "", "CLE_SOURCE_IRVE": " "})
    assert empty["settings"].commune == "76165"
    assert empty["sources"].overrides == {}
    assert empty["alerts"].smtp_port == 587
    assert empty["datagouv"].dry_run is False


def test_source_overrides_are_the_cle_source_variables_but_the_mode():
    sources = resources_from(
        {"CLE_SOURCE_MODE": "online", "CLE_SOURCE_RNA_WALDEC": "/d/rna.zip", "CLE_COMMUNE": "1"}
    )["sources"]
    assert {key: configured_variable(value) for key, value in sources.overrides.items()} == {
        "rna_waldec": "CLE_SOURCE_RNA_WALDEC"
    }


@pytest.mark.parametrize("word", ["oui", "2", "enabled"])
def test_a_dry_run_word_neither_yes_nor_no_stops_the_load(word):
    # Read as "no", it published for real.
    with pytest.raises(ValueError) as raised:
        resources_from({"DATAGOUV_DRY_RUN": word})
    assert str(raised.value) == (
        f"DATAGOUV_DRY_RUN={word!r}: expected 1, true or yes (on), or 0, false, no or nothing (off)"
    )


def test_an_empty_commune_is_said_to_mean_the_default():
    environment = {"CLE_COMMUNE": "", "CLE_SOURCE_MODE": " ", "CLE_OUTPUT_DIR": "/srv/published"}
    assert empty_variables(environment) == [
        "CLE_COMMUNE is set but empty: the default, 76165, is used",
        "CLE_SOURCE_MODE is set but empty: the default, snapshot, is used",
    ]


def test_nothing_is_said_when_nothing_is_empty():
    assert empty_variables({"CLE_COMMUNE": "76231"}) == []
