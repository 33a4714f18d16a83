"""Each source on its publisher's rhythm; each published dataset rebuilt when its sources change.

Each source declares its rhythm in its own `Source(..., cadence=…)` (`lib/cadence.py`): how
often its publisher updates its file, as its page says (the `documentation` link of the source
asset): the IRVE consolidation, Géo'DAE and the directories daily, RNA and Sirene monthly, the
RNE quarterly, the yearly files (INSEE, COG, school enrolments) mid-January. `automate(spec)`
reads it for every loaded asset (`definitions.py` maps it over the specs of `defs/`), so a new
source or dataset needs nothing here. It gives:

- a source: a refresh on its cadence's cron (Europe/Paris), and a re-cut whenever what it
  depends on changes (a new commune outline re-cuts every source) or when it was never built;
  the commune's own files (`*_inbox`) are read when the inbox sensor sees a new file;
- a published dataset: `eager()` (rebuilt when a source it reads changes) and only once the
  blocking checks of everything it reads have passed;
- a last paragraph of its description, "Prochaine actualisation : …" (in French, like every
  description), saying when it is next refreshed, where the UI shows it (asset graph sidebar,
  catalog, asset page): there are no Dagster schedules to look at;
- a `cadence` tag (filter the asset catalog with `tag:cadence=daily`) and a `FreshnessPolicy`
  (a published dataset is as fresh as its most frequently updated source), shown in the UI and
  watched by the freshness daemon (`dagster.yaml`) and the stale-source alert.

Assets of other groups (the publication to data.gouv.fr) get nothing: what publishes is not
automated here, and stays off until configured. An asset whose module sets its own
automation condition or freshness policy keeps it.

`build_sources_and_datasets` is the automation sensor that evaluates these conditions: it
starts running with the daemon (`make ui`, i.e. `dg dev`), since it only reads public
files and writes the commune's CSV files after their checks pass.
"""

from __future__ import annotations

import dagster as dg

from cle_pipeline.defs.sources import declared_sources
from cle_pipeline.lib.cadence import (
    DAILY,
    DERIVED,
    MONTHLY,
    NEVER,
    QUARTERLY,
    WHEN_SENT,
    YEARLY,
    Cadence,
)
from cle_pipeline.lib.national import NATIONAL_GROUP

TIMEZONE = "Europe/Paris"
SOURCES_GROUP = "sources"
# The commune itself (COG line, outline): refreshed like a source.
COMMUNE_REFERENCE_GROUP = "commune_reference"
PUBLISHED_GROUP = "published"
# The reference every source is cut with; a dataset's freshness is its national sources'.
COMMUNE_ASSET = "commune"


# A source whose module declares no cadence: built when missing, re-cut when its inputs change.
UNLISTED = Cadence("unlisted", "aucune : le module de la source ne déclare pas de cadence")

# From most to least frequent: a dataset takes the first cadence among its sources'.
BY_FREQUENCY = (DAILY, MONTHLY, QUARTERLY, YEARLY)


def cadence_of_source(source_id: str) -> Cadence:
    """The cadence the source's module declares in its `SOURCE`; the commune reference is
    derived from its sources; UNLISTED for an asset of the sources group without a `SOURCE`
    (a test lists them)."""
    if source_id == COMMUNE_ASSET:
        return DERIVED
    source = declared_sources().get(source_id)
    return source.cadence if source is not None else UNLISTED


def cadence_of_dataset(source_ids: list[str]) -> Cadence:
    """A dataset is due as often as the most frequently updated source it reads (the commune
    reference aside); NEVER when none of them is refreshed on a rhythm."""
    cadences = {cadence_of_source(source) for source in source_ids if source != COMMUNE_ASSET}
    return next((cadence for cadence in BY_FREQUENCY if cadence in cadences), NEVER)


def ready() -> dg.AutomationCondition:
    """Everything it reads is there and settled, and it is not already being built."""
    return (
        ~dg.AutomationCondition.any_deps_missing()
        & ~dg.AutomationCondition.any_deps_in_progress()
        & ~dg.AutomationCondition.in_progress()
    )


def missing_when_automation_started() -> dg.AutomationCondition:
    """Never built when the automation first saw it (a new deployment, a new dataset): built
    once. `eager()` only builds what goes missing later; a failed first build is not retried
    every tick (it waits for the next change or cron tick)."""
    return (
        (dg.AutomationCondition.missing() & dg.AutomationCondition.initial_evaluation())
        .since(dg.AutomationCondition.newly_requested() | dg.AutomationCondition.newly_updated())
        .with_label("missing when first evaluated")
    )


def source_condition(cadence: Cadence) -> dg.AutomationCondition | None:
    """Built when missing and re-cut when an input changes (`eager`), and refreshed on the
    cadence's cron once its inputs are there; the commune's files wait for the inbox sensor."""
    if cadence is WHEN_SENT:
        return None
    due = missing_when_automation_started()
    if cadence.cron is not None:
        due = due | dg.AutomationCondition.cron_tick_passed(
            cadence.cron, TIMEZONE
        ).since_last_handled().with_label(f"{cadence.name} refresh ({cadence.cron}, {TIMEZONE})")
    return (dg.AutomationCondition.eager() | (due & ready())).ignore(
        dg.AssetSelection.groups(NATIONAL_GROUP)
    )


def dataset_condition() -> dg.AutomationCondition:
    """Rebuilt when a source it reads changes (or built once when missing), and only once the
    blocking checks of what it reads passed (`eager()` alone would ignore them)."""
    return (
        dg.AutomationCondition.eager() | (missing_when_automation_started() & ready())
    ) & dg.AutomationCondition.all_deps_blocking_checks_passed()


def source_refresh(cadence: Cadence, inputs: list[str]) -> str:
    """When a source is next read, in French, for the UI: on its cadence, and as soon as what
    it is cut with (`inputs`, e.g. the commune) changes."""
    changed = " ou ".join(f"`{name}`" for name in sorted(inputs))
    if cadence is DERIVED and changed:
        return f"dès que {changed} change."
    when = cadence.description
    if cadence.cron is not None:
        when += f" (heure de Paris, cron `{cadence.cron}`)"
    # The commune's files have no automation condition: only the inbox sensor reads them.
    if cadence is WHEN_SENT or not changed:
        return f"{when}."
    return f"{when}, et dès que {changed} change."


def dataset_refresh(cadence: Cadence) -> str:
    """When a dataset is next rebuilt, in French, for the UI: when a source it reads changes."""
    if cadence.cron is None:
        when = "aucune n'est relue à date fixe (publication ponctuelle)"
    else:
        when = f"la plus fréquente est relue {cadence.description} (heure de Paris)"
    return (
        "dès qu'une source qu'il lit change, une fois passés les contrôles bloquants de ce "
        f"qu'il lit ; parmi ses sources, {when}."
    )


def with_refresh(description: str | None, refresh: str) -> str:
    """The description followed by when the asset is next refreshed, where the UI shows it."""
    paragraph = f"**Prochaine actualisation** : {refresh}"
    return f"{description}\n\n{paragraph}" if description else paragraph


def automate(spec: dg.AssetSpec) -> dg.AssetSpec:
    """The spec with its cadence tag, automation condition and freshness policy, from the
    table, and its description ending with when it is next refreshed (unless its module chose
    its own condition); specs outside the `commune_reference`, `sources` and `published` groups
    are unchanged."""
    if spec.group_name in (SOURCES_GROUP, COMMUNE_REFERENCE_GROUP):
        cadence = cadence_of_source(spec.key.to_user_string())
        condition = source_condition(cadence)
        # A commune's source reads the national pass of its file when it is of the current
        # file, and cuts the file itself otherwise: it neither waits for the pass nor follows
        # it, so it keeps its own cadence (`lib/national.py`).
        inputs = [dep.asset_key for dep in spec.deps if dep.asset_key.path[0] != NATIONAL_GROUP]
        refresh = source_refresh(cadence, [key.to_user_string() for key in inputs])
    elif spec.group_name == PUBLISHED_GROUP:
        cadence = cadence_of_dataset([dep.asset_key.to_user_string() for dep in spec.deps])
        condition = dataset_condition()
        refresh = dataset_refresh(cadence)
    else:
        return spec
    return spec.merge_attributes(tags={"cadence": cadence.name}).replace_attributes(
        automation_condition=spec.automation_condition or condition,
        freshness_policy=spec.freshness_policy or cadence.freshness_policy(),
        description=spec.description
        if spec.automation_condition
        else with_refresh(spec.description, refresh),
    )


build_sources_and_datasets = dg.AutomationConditionSensorDefinition(
    "build_sources_and_datasets",
    # The charts, the map and the site (group valorisation) follow their datasets (eager).
    target=dg.AssetSelection.groups(
        COMMUNE_REFERENCE_GROUP, SOURCES_GROUP, PUBLISHED_GROUP, "valorisation"
    ),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
    description="Relit chaque source nationale au rythme de son producteur (tag `cadence` : "
    "daily, monthly, quarterly, yearly ; jamais pour les élections) et reconstruit chaque jeu "
    "publié quand une source qu'il lit change et que leurs contrôles bloquants ont passé ; le "
    "CSV d'un jeu est écrit quand ses propres contrôles passent ; redessine ensuite les "
    "graphiques, la carte et le site. Ne publie rien sur data.gouv.fr.",
)
