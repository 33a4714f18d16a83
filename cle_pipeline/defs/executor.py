"""Where the steps of a run execute.

By default in the run's own process(es), Dagster's default executor. With
`CLE_EXECUTOR=celery` (README, "Beyond one machine"), each step is a task on a Celery queue
that any number of workers on any number of machines take: `dagster-celery worker start -A
dagster_celery.app -y deploy/celery.yaml`. The workers then need what every step needs: the
same instance (deploy/dagster.postgres.yaml), the same code, and a folder for the values passed
between steps that all of them reach.
"""

from __future__ import annotations

import os

import dagster as dg

# The broker and result backend of the runs, from the environment; `deploy/celery.yaml` gives
# the workers the same (a test keeps them equal).
CELERY_CONFIG = {
    "broker": {"env": "CLE_CELERY_BROKER_URL"},
    "backend": {"env": "CLE_CELERY_BACKEND_URL"},
}


@dg.definitions
def executor() -> dg.Definitions:
    """The executor chosen by CLE_EXECUTOR: none (Dagster's default), or Celery."""
    # Read when the definitions load (a deployment's choice), not at import.
    choice = os.environ.get("CLE_EXECUTOR", "").strip().lower()
    if choice in ("", "default"):
        return dg.Definitions()
    if choice == "celery":
        # Optional dependency (extra `scale`): a one-machine install never imports it.
        from dagster_celery import celery_executor

        return dg.Definitions(executor=celery_executor.configured(CELERY_CONFIG))
    raise ValueError(f"CLE_EXECUTOR={choice!r}: expected 'celery' or nothing (Dagster's default)")
