"""The resources every asset shares, configured from the environment (see the README)."""

from __future__ import annotations

import os

import dagster as dg

from cle_pipeline.lib.datagouv import DEMO_API, DataGouvPublisher
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.settings import CommuneSettings


def _env_or(name: str, default: str) -> dg.EnvVar | str:
    # EnvVar is resolved by Dagster when a run starts, and shown as such in the UI; a variable
    # that is not set at all falls back to the documented default.
    return dg.EnvVar(name) if os.environ.get(name) else default


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "settings": CommuneSettings(
                commune=_env_or("CLE_COMMUNE", "76165"),
                output_dir=_env_or("CLE_OUTPUT_DIR", ""),
                inbox_dir=_env_or("CLE_INBOX_DIR", ""),
                accept_drop=_env_or("CLE_ACCEPT_DROP", ""),
            ),
            "sources": SourceFetcher(
                mode=_env_or("CLE_SOURCE_MODE", "snapshot"),
                cache_dir=_env_or("CLE_CACHE_DIR", ""),
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
