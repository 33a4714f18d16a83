"""Each asset's rhythm as the loaded definitions carry it, and what the automation requests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,  # no public name in Dagster 1.13
)
from dagster._core.events import DagsterEvent
from dagster._core.utils import make_new_run_id

from cle_pipeline.defs.automation.cadences import (
    DAILY,
    MONTHLY,
    NEVER,
    QUARTERLY,
    WHEN_SENT,
    YEARLY,
    automate,
    cadence_of_dataset,
    dataset_condition,
    source_condition,
)
from cle_pipeline.defs.sources import declared_sources
from cle_pipeline.lib.partitions import register_communes

PARIS = ZoneInfo("Europe/Paris")
# The automation keeps the registered communes (partitions) fresh: one is enough here.
COMMUNE = "76165"
# The rhythms the publishers announce on their pages (each source's `documentation` link).
EXPECTED_SOURCES = {
    "irve": DAILY,
    "geodae": DAILY,
    "education_annuaire": DAILY,
    "annuaire_service_public": DAILY,
    "rna_waldec": MONTHLY,
    "rne_conseillers_municipaux": QUARTERLY,
    "insee_naissances": YEARLY,
    "insee_deces": YEARLY,
    "insee_populations_legales": YEARLY,
    "cog_communes": YEARLY,
    "education_effectifs_ecoles": YEARLY,
    "presidentielle_2022_t1": NEVER,
    "legislatives_2022_t2": NEVER,
    "subventions_inbox": WHEN_SENT,
}
EXPECTED_DATASETS = {
    "bornes_recharge": (DAILY, timedelta(days=2)),
    "defibrillateurs": (DAILY, timedelta(days=2)),
    "horaires_services": (DAILY, timedelta(days=2)),
    "associations": (MONTHLY, timedelta(days=40)),
    "subventions": (MONTHLY, timedelta(days=40)),
    "elus": (QUARTERLY, timedelta(days=100)),
    "naissances_deces": (YEARLY, timedelta(days=380)),
    "effectifs_scolaires_2022": (YEARLY, timedelta(days=380)),
    "elections_presidentielle_2022": (NEVER, None),
    "elections_legislatives_2022": (NEVER, None),
}
DAILY_SOURCES = ["annuaire_service_public", "education_annuaire", "geodae", "irve"]
# A source requested on a tick brings what is built from it into the same run.
BUILT_FROM_DAILY_SOURCES = [
    "bornes_recharge",
    "carte",  # the map follows the releases of its datasets (group valorisation)
    "defibrillateurs",
    "education_effectifs_ecoles",
    "effectifs_scolaires_2022",
    "evolution_effectifs_scolaires",
    # the charts of the school enrolments follow their releases (group valorisation)
    "graphiques/effectifs_scolaires",
    "horaires_services",
    # each dataset's release follows it once its checks passed
    "release/bornes_recharge",
    "release/defibrillateurs",
    "release/effectifs_scolaires_2022",
    "release/evolution_effectifs_scolaires",
    "release/horaires_services",
]


def node(definitions: dg.Definitions, name: str):
    return definitions.resolve_asset_graph().get(dg.AssetKey.from_user_string(name))


def keys_in_group(definitions: dg.Definitions, group: str) -> list[str]:
    graph = definitions.resolve_asset_graph()
    return sorted(
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == group
    )


def fail_window(policy: dg.FreshnessPolicy | None) -> timedelta | None:
    return policy.fail_window.to_timedelta() if policy is not None else None  # type: ignore[attr-defined]


def test_every_source_has_its_rhythm_in_the_table(definitions):
    unlisted = [
        name
        for name in keys_in_group(definitions, "sources")
        if node(definitions, name).tags.get("cadence") == "unlisted"
    ]
    assert unlisted == [], "declare a cadence in the SOURCE of these modules"


@pytest.mark.parametrize(("source", "cadence"), EXPECTED_SOURCES.items())
def test_sources_follow_their_publishers_rhythm(definitions, source, cadence):
    asset = node(definitions, source)
    assert asset.tags["cadence"] == cadence.name
    assert asset.automation_condition == source_condition(cadence)
    assert fail_window(asset.freshness_policy) == cadence.fail_after
    label = f"{cadence.name} refresh ({cadence.cron}, Europe/Paris)"
    assert (label in str(asset.automation_condition)) == (cadence.cron is not None)


def test_the_communes_files_wait_for_the_inbox_sensor(definitions):
    asset = node(definitions, "subventions_inbox")
    assert asset.automation_condition is None and asset.freshness_policy is None


@pytest.mark.parametrize(("dataset", "expected"), EXPECTED_DATASETS.items())
def test_datasets_are_rebuilt_when_their_sources_change_and_checks_pass(
    definitions, dataset, expected
):
    cadence, window = expected
    asset = node(definitions, dataset)
    assert asset.tags["cadence"] == cadence.name
    assert asset.automation_condition == dataset_condition()
    assert "all_deps_blocking_checks_passed" in str(asset.automation_condition)
    assert "eager" in str(asset.automation_condition)
    # Built but held back by its checks is not fresh: the policy is on its release.
    assert asset.freshness_policy is None
    release = node(definitions, f"release/{dataset}")
    assert release.tags["cadence"] == cadence.name
    assert release.automation_condition == dataset_condition()
    assert fail_window(release.freshness_policy) == window


def test_every_release_follows_its_dataset_and_has_its_freshness(definitions):
    releases = keys_in_group(definitions, "releases")
    assert releases == [f"release/{name}" for name in keys_in_group(definitions, "published")]
    for name in releases:
        assert node(definitions, name).automation_condition == dataset_condition(), name


def test_every_published_dataset_is_automated(definitions):
    for name in keys_in_group(definitions, "published"):
        assert node(definitions, name).automation_condition == dataset_condition(), name


def test_other_groups_and_own_choices_are_left_alone():
    publication = dg.AssetSpec("publier_bornes_recharge", group_name="publication")
    assert automate(publication) == publication
    own = dg.AssetSpec(
        "irve", group_name="sources", automation_condition=dg.AutomationCondition.on_missing()
    )
    assert automate(own).automation_condition == dg.AutomationCondition.on_missing()
    assert automate(own).tags["cadence"] == "daily"


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["commune", "irve"], DAILY),
        (["rna_waldec", "subventions_inbox"], MONTHLY),
        (["commune", "insee_populations_legales", "rne_conseillers_municipaux"], QUARTERLY),
        (["commune", "presidentielle_2022_t1", "presidentielle_2022_t2"], NEVER),
        (["commune"], NEVER),
    ],
)
def test_a_dataset_is_due_as_often_as_its_most_frequent_source(sources, expected):
    assert cadence_of_dataset(sources) is expected


def test_the_automation_sensor_runs_by_default_and_never_targets_publication(definitions):
    sensor = definitions.resolve_sensor_def("build_sources_and_datasets")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    graph = definitions.resolve_asset_graph()
    targeted = sensor.asset_selection.resolve(graph)
    groups = {graph.get(key).group_name for key in targeted}
    # The releases, the charts, the map and the site follow the datasets; publication never.
    assert groups == {"commune_reference", "sources", "published", "releases", "valorisation"}


def test_what_publishes_stays_off_until_someone_turns_it_on(definitions):
    # A publication asset with its own condition falls to Dagster's default automation
    # sensor, which is stopped until someone starts it in the UI.
    @dg.asset(group_name="publication", automation_condition=dg.AutomationCondition.eager())
    def publier_bornes_recharge() -> None:
        return None

    repository = dg.Definitions.merge(
        definitions, dg.Definitions(assets=[publier_bornes_recharge])
    ).get_repository_def()
    sensors = {sensor.name: sensor for sensor in repository.sensor_defs}
    default = sensors["default_automation_condition_sensor"]
    assert default.default_status == dg.DefaultSensorStatus.STOPPED
    publication = dg.AssetKey("publier_bornes_recharge")
    assert publication in default.asset_selection.resolve(repository.asset_graph)
    ours = sensors["build_sources_and_datasets"].asset_selection.resolve(repository.asset_graph)
    assert publication not in ours
    # And the real publication to data.gouv.fr has no condition at all: only its sensor,
    # stopped without DATAGOUV_API_KEY, or a person, starts it.
    graph = definitions.resolve_asset_graph()
    publishing = [
        key for key in graph.get_all_asset_keys() if graph.get(key).group_name == "publication"
    ]
    assert publishing and not ({key for key in publishing} & ours)
    assert all(graph.get(key).automation_condition is None for key in publishing)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def every_commune_asset(definitions: dg.Definitions) -> list[str]:
    """What the automation keeps built for a commune: its reference, sources and datasets."""
    groups = ("commune_reference", "sources", "published")
    return sorted(name for group in groups for name in keys_in_group(definitions, group))


def requested(result) -> list[str]:
    return sorted(
        subset.key.to_user_string()
        for subset in result._requested_subsets  # the tester's only public view is per key
        if isinstance(subset.key, dg.AssetKey)
    )


def test_a_new_deployment_builds_everything_but_what_waits_for_the_commune(definitions):
    instance = dg.DagsterInstance.ephemeral()
    register_communes(instance, [COMMUNE])
    first = dg.evaluate_automation_conditions(
        defs=definitions, instance=instance, evaluation_time=paris(2026, 3, 10, 12)
    )
    graph = definitions.resolve_asset_graph()
    from_the_commune = {
        key
        for name in keys_in_group(definitions, "sources")
        if node(definitions, name).tags["cadence"] == "when_sent"
        for key in graph.get_all_asset_keys()
        if key == dg.AssetKey(name) or dg.AssetKey(name) in graph.get(key).parent_keys
    }
    assert {key.to_user_string() for key in from_the_commune} >= {
        "subventions_inbox",
        "subventions",
    }
    expected = sorted(
        set(every_commune_asset(definitions)) - {key.to_user_string() for key in from_the_commune}
    )
    assert requested(first) == expected
    again = dg.evaluate_automation_conditions(
        defs=definitions,
        instance=instance,
        cursor=first.cursor,
        evaluation_time=paris(2026, 3, 10, 12, 1),
    )
    assert requested(again) == []  # requested once, not every tick


def test_sources_refresh_on_their_cron_and_datasets_follow_their_sources(definitions):
    instance = dg.DagsterInstance.ephemeral()
    register_communes(instance, [COMMUNE])
    graph = definitions.resolve_asset_graph()

    def built(name: str) -> None:
        """A run of `name` that succeeded, its checks passed."""
        key = dg.AssetKey.from_user_string(name)
        instance.report_runless_asset_event(dg.AssetMaterialization(key, partition=COMMUNE))
        [record] = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[COMMUNE]), limit=1
        ).records
        on_it = AssetCheckEvaluationTargetMaterializationData(
            storage_id=record.storage_id, run_id=record.run_id, timestamp=record.timestamp
        )
        for check in graph.get(key).check_keys:
            evaluation = dg.AssetCheckEvaluation(
                asset_key=key,
                check_name=check.name,
                passed=True,
                partition=COMMUNE,
                target_materialization_data=on_it,
            )
            # One run id per evaluation: the instance keeps one execution per check and run.
            instance.report_dagster_event(
                DagsterEvent(
                    event_type_value=dg.DagsterEventType.ASSET_CHECK_EVALUATION.value,
                    job_name="__RUNLESS__",
                    event_specific_data=evaluation,
                ),
                run_id=make_new_run_id(),
            )

    # Everything built once, each check passed on it (a source's `commune_found` included), as
    # a run's steps do.
    for name in [*every_commune_asset(definitions), *keys_in_group(definitions, "releases")]:
        built(name)

    def tick(when: datetime, cursor=None):
        """One evaluation, then the runs it asked for, as if they had succeeded."""
        result = dg.evaluate_automation_conditions(
            defs=definitions, instance=instance, cursor=cursor, evaluation_time=when
        )
        for name in requested(result):
            built(name)
        return result

    def until_settled(when: datetime, cursor):
        """Ticks a minute apart until nothing more is requested: each tick's requests."""
        ticks = []
        while requested(result := tick(when, cursor)):
            ticks.append(requested(result))
            when, cursor = when + timedelta(minutes=1), result.cursor
        return ticks, result.cursor

    quiet = tick(paris(2026, 3, 10, 5))
    assert requested(quiet) == []
    # A run by hand: one run for the dataset, its release and the map (the release runs only if
    # the dataset's blocking checks pass in that run), then nothing more.
    built("irve")
    after_irve, cursor = until_settled(paris(2026, 3, 10, 5, 10), quiet.cursor)
    assert after_irve == [["bornes_recharge", "carte", "release/bornes_recharge"]]
    morning, cursor = until_settled(paris(2026, 3, 10, 6, 1), cursor)
    assert set(DAILY_SOURCES) <= set(morning[0])  # the sources on their cron tick
    # Over the ticks that follow, until nothing more is due (a release may come twice: a
    # second one of the same content is `unchanged`, and not published again).
    assert {name for names in morning for name in names} == {
        *DAILY_SOURCES,
        *BUILT_FROM_DAILY_SOURCES,
    }
    evening = tick(paris(2026, 3, 10, 18), cursor)
    assert requested(evening) == []
    april, cursor = until_settled(paris(2026, 4, 2, 6, 30), evening.cursor)
    monthly_and_quarterly = [
        "osm_commerces", "rna_waldec", "rne_conseillers_municipaux", "sirene_etablissements",
    ]  # fmt: skip
    built_from_them = [
        "associations", "commerces", "elus", "graphiques/conseil_municipal",
        "release/associations", "release/commerces", "release/elus", "release/subventions",
        "subventions",
    ]  # fmt: skip
    assert {name for names in april for name in names} == {
        *DAILY_SOURCES,
        *BUILT_FROM_DAILY_SOURCES,
        *monthly_and_quarterly,
        *built_from_them,
    }


def test_a_dataset_waits_for_the_blocking_checks_of_what_it_reads():
    # `published` datasets read sources without checks today; a dataset built on a checked
    # asset (as the publication will be) must wait until those checks pass.
    @dg.asset(group_name="sources")
    def upstream() -> int:
        return 1

    @dg.asset_check(asset=upstream, blocking=True)
    def upstream_valid() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    @dg.asset(group_name="published", deps=[upstream])
    def downstream() -> None:
        return None

    definitions = dg.Definitions(
        assets=[upstream, downstream], asset_checks=[upstream_valid]
    ).map_asset_specs(func=automate)
    instance = dg.DagsterInstance.ephemeral()
    for name in ("upstream", "downstream"):
        instance.report_runless_asset_event(dg.AssetMaterialization(name))
    start = dg.evaluate_automation_conditions(defs=definitions, instance=instance)
    check = dg.AssetCheckKey(dg.AssetKey("upstream"), "upstream_valid")

    def upstream_updated(passed: bool):
        instance.report_runless_asset_event(dg.AssetMaterialization("upstream"))
        instance.report_runless_asset_event(
            dg.AssetCheckEvaluation(
                asset_key=check.asset_key, check_name=check.name, passed=passed, metadata={}
            )
        )

    upstream_updated(passed=False)
    failing = dg.evaluate_automation_conditions(
        defs=definitions, instance=instance, cursor=start.cursor
    )
    assert requested(failing) == []
    upstream_updated(passed=True)
    passing = dg.evaluate_automation_conditions(
        defs=definitions, instance=instance, cursor=failing.cursor
    )
    assert requested(passing) == ["downstream"]


def test_every_source_declares_a_real_cadence():
    assert {source.cadence.name for source in declared_sources().values()} == {
        "daily",
        "monthly",
        "quarterly",
        "yearly",
        "never",
        "when_sent",
    }


@pytest.mark.parametrize(
    ("asset", "refresh"),
    [
        (
            "irve",
            "chaque jour à 6 h (heure de Paris, cron `0 6 * * *`), et dès que `commune` change.",
        ),
        ("cog_communes", "chaque 15 janvier à 6 h (heure de Paris, cron `0 6 15 1 *`)."),
        ("commune", "dès que `cog_communes` ou `commune_contours` change."),
        (
            "presidentielle_2022_t1",
            "jamais à date fixe (publication ponctuelle), et dès que `commune` change.",
        ),
        (
            "subventions_inbox",
            "dès que la commune dépose, modifie ou retire un fichier de son dossier (capteur "
            "`read_commune_inbox`).",
        ),
        (
            "elus",
            "dès qu'une source qu'il lit change, une fois passés les contrôles bloquants de ce "
            "qu'il lit ; parmi ses sources, la plus fréquente est relue le 2 janvier, le 2 avril, "
            "le 2 juillet et le 2 octobre à 6 h (heure de Paris).",
        ),
        (
            "elections_presidentielle_2022",
            "dès qu'une source qu'il lit change, une fois passés les contrôles bloquants de ce "
            "qu'il lit ; parmi ses sources, aucune n'est relue à date fixe (publication "
            "ponctuelle).",
        ),
        (
            "release/elus",
            "après chaque construction de `elus` dont les contrôles bloquants ont réussi ; "
            "périmé quand aucun fichier contrôlé n'a été publié depuis 100 jours (sa source la "
            "plus fréquente est relue le 2 janvier, le 2 avril, le 2 juillet et le 2 octobre à "
            "6 h).",
        ),
        (
            "release/elections_presidentielle_2022",
            "après chaque construction de `elections_presidentielle_2022` dont les contrôles "
            "bloquants ont réussi ; aucune source du jeu n'est relue à date fixe.",
        ),
    ],
)
def test_the_description_ends_with_the_next_planned_refresh(definitions, asset, refresh):
    description = node(definitions, asset).description
    assert description.endswith(f"\n\n**Prochaine actualisation** : {refresh}"), description
    assert description.count("**Prochaine actualisation**") == 1


def test_every_source_and_dataset_says_when_it_is_next_refreshed(definitions):
    for group in ("sources", "published", "releases"):
        for name in keys_in_group(definitions, group):
            assert "\n\n**Prochaine actualisation** : " in node(definitions, name).description, name


def test_an_asset_with_its_own_condition_keeps_its_description():
    own = dg.AssetSpec(
        "irve",
        group_name="sources",
        description="Lue à la demande.",
        automation_condition=dg.AutomationCondition.on_missing(),
    )
    assert automate(own).description == "Lue à la demande."
    assert automate(dg.AssetSpec("irve", group_name="sources")).description == (
        "**Prochaine actualisation** : chaque jour à 6 h (heure de Paris, cron `0 6 * * *`)."
    )
