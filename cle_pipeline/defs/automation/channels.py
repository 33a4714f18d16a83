"""The `alerts` resource: where the sensors of this folder send their alerts, from the
environment (CLE_ALERT_WEBHOOK_URL, CLE_SMTP_*, CLE_ALERT_EMAIL_*, CLE_DAGSTER_UI_URL).

Secrets are `EnvVar`s: the UI shows the variable's name, never its value.
"""

from __future__ import annotations

import os

import dagster as dg

from cle_pipeline.defs.resources import _env_or
from cle_pipeline.lib.alerts import DEFAULT_UI_URL, AlertChannels


@dg.definitions
def alert_channels() -> dg.Definitions:
    """The `alerts` resource: chat webhook and e-mail, as configured by `CLE_*` variables."""
    port = os.environ.get("CLE_SMTP_PORT")
    return dg.Definitions(
        resources={
            "alerts": AlertChannels(
                webhook_url=_env_or("CLE_ALERT_WEBHOOK_URL", ""),
                smtp_host=_env_or("CLE_SMTP_HOST", ""),
                smtp_port=dg.EnvVar.int("CLE_SMTP_PORT") if port else 587,
                smtp_user=_env_or("CLE_SMTP_USER", ""),
                smtp_password=_env_or("CLE_SMTP_PASSWORD", ""),
                smtp_starttls=_env_or("CLE_SMTP_STARTTLS", "true"),
                email_from=_env_or("CLE_ALERT_EMAIL_FROM", ""),
                email_to=_env_or("CLE_ALERT_EMAIL_TO", ""),
                ui_url=_env_or("CLE_DAGSTER_UI_URL", DEFAULT_UI_URL),
            )
        }
    )
