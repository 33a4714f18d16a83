"""Each source on its publisher's rhythm; each published dataset rebuilt when its sources change.

`CADENCE_OF_SOURCE` is the one table of rhythms, keyed by source id (`../shared/SOURCES.md`,
column "update"). `automate(spec)` reads it for every loaded asset (`definitions.py` maps it
over the specs of `defs/`), so a new dataset needs nothing here and a new national source one
line. It gives:

- a source: a refresh on its cadence's cron (Europe/Paris), and a re-cut whenever what it
  depends on changes (a new commune outline re-cuts every source) or when it was never built;
  the commune's own files (`*_inbox`) are read when the inbox sensor sees a new file;
- a published dataset: `eager()` (rebuilt when a source it reads changes) and only once the
  blocking checks of everything it reads have passed;
- a `cadence` tag (filter the asset catalog with `tag:cadence=daily`) and a `FreshnessPolicy`
  (a published dataset is as fresh as its most frequently updated source), shown in the UI and
  watched by the freshness daemon (`dagster.yaml`) and the stale-source alert.

Assets of other groups (the publication to data.gouv.fr) get nothing: what publishes is not
automated here, and stays off until configured. An asset whose module sets its own
automation condition or freshness policy keeps it.

`build_sources_and_datasets` is the automation sensor that evaluates these conditions: it
starts running with the daemon (`make ui`, i.e. `dagster dev`), since it only reads public
files and writes the commune's CSV files after their checks pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import dagster as dg

TIMEZONE = "Europe/Paris"
SOURCES_GROUP = "sources"
# The commune itself (COG line, outline): refreshed like a source.
COMMUNE_REFERENCE_GROUP = "commune_reference"
PUBLISHED_GROUP = "published"
# The reference every source is cut with; a dataset's freshness is its national sources'.
COMMUNE_ASSET = "commune"


@dataclass(frozen=True)
class Cadence:
    """How often a publisher updates a source: when to look again (`cron`, None for never),
    and how old the last successful read may get before it is stale (`warn_after`,
    `fail_after`)."""

    name: str
    description: str
    cron: str | None = None
    warn_after: timedelta | None = None
    fail_after: timedelta | None = None

    def freshness_policy(self) -> dg.FreshnessPolicy | None:
        if self.fail_after is None:
            return None
        return dg.FreshnessPolicy.time_window(
            fail_window=self.fail_after, warn_window=self.warn_after
        )


# A day's refresh at 06:00; a missed one shows as WARN after 26 h and FAIL after two days.
DAILY = Cadence("daily", "every day at 06:00", "0 6 * * *", timedelta(hours=26), timedelta(days=2))
MONTHLY = Cadence(
    "monthly", "the 2nd of each month", "0 6 2 * *", timedelta(days=32), timedelta(days=40)
)
QUARTERLY = Cadence(
    "quarterly",
    "the 2nd of January, April, July and October",
    "0 6 2 1,4,7,10 *",
    timedelta(days=93),
    timedelta(days=100),
)
YEARLY = Cadence(
    "yearly", "the 15th of January", "0 6 15 1 *", timedelta(days=367), timedelta(days=380)
)
# Results of past elections: cut once, and again only if the commune changes.
NEVER = Cadence("never", "never refreshed (a one-off publication)")
# The commune's own files: read when the inbox sensor sees a new or changed file.
WHEN_SENT = Cadence("when_sent", "when the commune sends a new file (inbox sensor)")
# Built from other sources only: rebuilt when they change.
DERIVED = Cadence("derived", "rebuilt when the sources it is built from change")
# A source missing from the table below: built when missing, re-cut when its inputs change.
UNLISTED = Cadence("unlisted", "not in CADENCE_OF_SOURCE: add it there")

CADENCE_OF_SOURCE: dict[str, Cadence] = {
    "cog_communes": YEARLY,
    "commune_contours": YEARLY,
    "commune": DERIVED,
    "insee_naissances": YEARLY,
    "insee_deces": YEARLY,
    "insee_populations_legales": YEARLY,
    "irve": DAILY,
    "geodae": DAILY,
    "education_annuaire": DAILY,
    "annuaire_service_public": DAILY,
    "rna_waldec": MONTHLY,
    "sirene_etablissements": MONTHLY,
    # OpenStreetMap changes every minute, but the public Overpass servers ask for few queries:
    # shops' hours are refreshed with Sirene, monthly.
    "osm_commerces": MONTHLY,
    "rne_conseillers_municipaux": QUARTERLY,
    "education_effectifs_ecoles": YEARLY,
    "presidentielle_2022_t1": NEVER,
    "presidentielle_2022_t2": NEVER,
    "legislatives_2022_t1": NEVER,
    "legislatives_2022_t2": NEVER,
    "subventions_inbox": WHEN_SENT,
    "commerces_inbox": WHEN_SENT,
}
INBOX_SUFFIX = "_inbox"
# From most to least frequent: a dataset takes the first cadence among its sources'.
BY_FREQUENCY = (DAILY, MONTHLY, QUARTERLY, YEARLY)


def cadence_of_source(source_id: str) -> Cadence:
    """The source's cadence; the commune's files (`*_inbox`) are read when sent; UNLISTED for
    a source missing from the table (a test lists them)."""
    if source_id in CADENCE_OF_SOURCE:
        return CADENCE_OF_SOURCE[source_id]
    return WHEN_SENT if source_id.endswith(INBOX_SUFFIX) else UNLISTED


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
    return dg.AutomationCondition.eager() | (due & ready())


def dataset_condition() -> dg.AutomationCondition:
    """Rebuilt when a source it reads changes (or built once when missing), and only once the
    blocking checks of what it reads passed (`eager()` alone would ignore them)."""
    return (
        dg.AutomationCondition.eager() | (missing_when_automation_started() & ready())
    ) & dg.AutomationCondition.all_deps_blocking_checks_passed()


def automate(spec: dg.AssetSpec) -> dg.AssetSpec:
    """The spec with its cadence tag, automation condition and freshness policy, from the
    table; specs outside the `commune_reference`, `sources` and `published` groups are returned
    unchanged."""
    if spec.group_name in (SOURCES_GROUP, COMMUNE_REFERENCE_GROUP):
        cadence = cadence_of_source(spec.key.to_user_string())
        condition = source_condition(cadence)
    elif spec.group_name == PUBLISHED_GROUP:
        cadence = cadence_of_dataset([dep.asset_key.to_user_string() for dep in spec.deps])
        condition = dataset_condition()
    else:
        return spec
    return spec.merge_attributes(tags={"cadence": cadence.name}).replace_attributes(
        automation_condition=spec.automation_condition or condition,
        freshness_policy=spec.freshness_policy or cadence.freshness_policy(),
    )


build_sources_and_datasets = dg.AutomationConditionSensorDefinition(
    "build_sources_and_datasets",
    target=dg.AssetSelection.groups(COMMUNE_REFERENCE_GROUP, SOURCES_GROUP, PUBLISHED_GROUP),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
    description="Refreshes each national source on its publisher's rhythm (tag `cadence`: "
    "daily, monthly, quarterly, yearly; elections never) and rebuilds each published dataset "
    "when a source it reads changes and their blocking checks passed; a dataset's CSV is "
    "written when its own checks pass. Publishes nothing to data.gouv.fr.",
)
