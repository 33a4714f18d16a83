"""The resources every asset shares, configured from the environment (see the README)."""

from __future__ import annotations

import os

import dagster as dg

from cle_pipeline.lib.datagouv import DEMO_API, DataGouvPublisher
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.settings import CommuneSettings, SiteSettings


def _env_or(name: str, default: str) -> dg.EnvVar | str:
    # EnvVar is resolved by Dagster when a run starts, and shown as such in the UI; a variable
    # that is not set at all falls back to the documented default.
    return dg.EnvVar(name) if os.environ.get(name) else default


# What an empty variable falls back to (`CLE_COMMUNE=""` builds 76165): said to the user by
# `empty_variables`, since a shell script exporting an unset value is easy to miss.
DEFAULTS_OF_EMPTY = {
    "CLE_COMMUNE": "76165",
    "CLE_SOURCE_MODE": "snapshot",
    "CLE_OUTPUT_DIR": "data/published",
    "CLE_INBOX_DIR": "data/inbox",
    "CLE_CACHE_DIR": "data/cache",
}


def empty_variables() -> list[str]:
    """One line per variable that is set but empty, saying which default it means."""
    return [
        f"{name} is set but empty: the default, {default}, is used"
        for name, default in DEFAULTS_OF_EMPTY.items()
        if name in os.environ and not os.environ[name].strip()
    ]


@dg.definitions
def resources() -> dg.Definitions:
    """The resources every asset shares, configured from the environment."""
    return dg.Definitions(
        resources={
            "settings": CommuneSettings(
                commune=_env_or("CLE_COMMUNE", DEFAULTS_OF_EMPTY["CLE_COMMUNE"]),
                output_dir=_env_or("CLE_OUTPUT_DIR", ""),
                inbox_dir=_env_or("CLE_INBOX_DIR", ""),
                accept_drop=_env_or("CLE_ACCEPT_DROP", ""),
            ),
            "sources": SourceFetcher(
                mode=_env_or("CLE_SOURCE_MODE", DEFAULTS_OF_EMPTY["CLE_SOURCE_MODE"]),
                cache_dir=_env_or("CLE_CACHE_DIR", ""),
            ),
            "site": SiteSettings(
                map_tiles=_env_or("CLE_MAP_TILES", SiteSettings().map_tiles),
                site_url=_env_or("CLE_SITE_URL", ""),
            ),
            "datagouv": DataGouvPublisher(
                api_url=_env_or("DATAGOUV_API_URL", DEMO_API),
                api_key=_env_or("DATAGOUV_API_KEY", ""),
                organization=_env_or("DATAGOUV_ORGANIZATION", ""),
                dry_run=os.environ.get("DATAGOUV_DRY_RUN", "").strip().lower()
                in {"1", "true", "yes"},
            ),
        }
    )
