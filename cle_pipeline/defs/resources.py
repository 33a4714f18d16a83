"""The resources every asset, check and sensor shares, configured from the environment.

The one place that reads `os.environ` (see the README's configuration table). A variable that
is set becomes a `dg.EnvVar`: Dagster resolves it when a run starts, and the UI's resources
page shows the variable's name, never its value (secrets, credentials in a source URL). A
variable that is not set leaves the field at its default, and the field's description names
the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg

from cle_pipeline.lib.alerts import DEFAULT_UI_URL, AlertChannels
from cle_pipeline.lib.datagouv import DEMO_API, DataGouvPublisher
from cle_pipeline.lib.fetch import SourceFetcher, override_variable
from cle_pipeline.lib.partitions import PartitionedPickleIOManager
from cle_pipeline.lib.settings import CommuneSettings, SiteSettings

SOURCE_OVERRIDE_PREFIX = override_variable("")
SOURCE_MODE = "CLE_SOURCE_MODE"
TRUE_WORDS = frozenset({"1", "true", "yes"})
FALSE_WORDS = frozenset({"", "0", "false", "no"})


def resources_from(environment: Mapping[str, str]) -> dict[str, dg.ConfigurableResource]:
    """The resources as `environment` (normally `os.environ`) configures them."""

    def env_or(name: str, default: Any) -> Any:
        return dg.EnvVar(name) if environment.get(name, "").strip() else default

    return {
        "settings": CommuneSettings(
            commune=env_or("CLE_COMMUNE", DEFAULTS_OF_EMPTY["CLE_COMMUNE"]),
            output_dir=env_or("CLE_OUTPUT_DIR", ""),
            inbox_dir=env_or("CLE_INBOX_DIR", ""),
            accept_drop=env_or("CLE_ACCEPT_DROP", ""),
        ),
        "sources": SourceFetcher(
            mode=env_or(SOURCE_MODE, DEFAULTS_OF_EMPTY[SOURCE_MODE]),
            cache_dir=env_or("CLE_CACHE_DIR", ""),
            overrides=source_overrides(environment),
        ),
        # Values between steps, one folder per commune (CLE_STORAGE_DIR, default the
        # instance's storage folder under DAGSTER_HOME).
        "io_manager": PartitionedPickleIOManager(base_dir=env_or("CLE_STORAGE_DIR", "")),
        "site": SiteSettings(
            map_tiles=env_or("CLE_MAP_TILES", SiteSettings().map_tiles),
            site_url=env_or("CLE_SITE_URL", ""),
        ),
        "datagouv": DataGouvPublisher(
            api_url=env_or("DATAGOUV_API_URL", DEMO_API),
            api_key=env_or("DATAGOUV_API_KEY", ""),
            organization=env_or("DATAGOUV_ORGANIZATION", ""),
            # Dagster has no boolean EnvVar: the word is read here, and a word that is
            # neither yes nor no stops the load rather than publish for real by mistake.
            dry_run=flag(environment, "DATAGOUV_DRY_RUN"),
        ),
        "alerts": AlertChannels(
            webhook_url=env_or("CLE_ALERT_WEBHOOK_URL", ""),
            smtp_host=env_or("CLE_SMTP_HOST", ""),
            smtp_port=dg.EnvVar.int("CLE_SMTP_PORT")
            if environment.get("CLE_SMTP_PORT", "").strip()
            else 587,
            smtp_user=env_or("CLE_SMTP_USER", ""),
            smtp_password=env_or("CLE_SMTP_PASSWORD", ""),
            smtp_starttls=env_or("CLE_SMTP_STARTTLS", "true"),
            email_from=env_or("CLE_ALERT_EMAIL_FROM", ""),
            email_to=env_or("CLE_ALERT_EMAIL_TO", ""),
            ui_url=env_or("CLE_DAGSTER_UI_URL", DEFAULT_UI_URL),
        ),
    }


def source_overrides(environment: Mapping[str, str]) -> dict[str, Any]:
    """`CLE_SOURCE_<ID>` variables (not `CLE_SOURCE_MODE`) → `{source id: EnvVar}`; an empty
    variable is no override."""
    return {
        name.removeprefix(SOURCE_OVERRIDE_PREFIX).lower(): dg.EnvVar(name)
        for name, value in sorted(environment.items())
        if name.startswith(SOURCE_OVERRIDE_PREFIX) and name != SOURCE_MODE and value.strip()
    }


def flag(environment: Mapping[str, str], name: str) -> bool:
    """A yes/no variable; a word that is neither is an error naming it."""
    word = environment.get(name, "").strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError(
            f"{name}={environment[name]!r}: expected 1, true or yes (on), or 0, false, no or "
            "nothing (off)"
        )
    return word in TRUE_WORDS


# What an empty variable falls back to (`CLE_COMMUNE=""` builds 76165): said to the user by
# `empty_variables`, since a shell script exporting an unset value is easy to miss.
DEFAULTS_OF_EMPTY = {
    "CLE_COMMUNE": "76165",
    "CLE_SOURCE_MODE": "snapshot",
    "CLE_OUTPUT_DIR": "data/published",
    "CLE_INBOX_DIR": "data/inbox",
    "CLE_CACHE_DIR": "data/cache",
}


def empty_variables(environment: Mapping[str, str] = os.environ) -> list[str]:
    """One line per variable that is set but empty, saying which default it means."""
    return [
        f"{name} is set but empty: the default, {default}, is used"
        for name, default in DEFAULTS_OF_EMPTY.items()
        if name in environment and not environment[name].strip()
    ]


@dg.definitions
def resources() -> dg.Definitions:
    """The resources every asset, check and sensor shares, configured from the environment."""
    return dg.Definitions(resources=resources_from(os.environ))
