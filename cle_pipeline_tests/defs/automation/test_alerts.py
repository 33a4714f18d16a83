"""The alert sensors on real runs of the graph, sending to a webhook and an SMTP server on
127.0.0.1 started by the tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from cle_pipeline.defs.automation.alerts import (
    alert_on_failed_checks_and_runs,
    alert_on_stale_assets,
)
from cle_pipeline.lib.alerts import AlertChannels
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline_tests.conftest import materialize_into
from cle_pipeline_tests.http_server import LocalServer, local_server
from cle_pipeline_tests.smtp_server import Mailbox, smtp_server

INBOX = PROJECT_ROOT / "data" / "inbox"
UI = "http://dagster.mairie.example:3000"
TOKEN = "T0/B1/hooksecret"
PASSWORD = "smtp-s3cret"
# The second line of Caudebec's table, its amount replaced by zero.
GRANT = "8\u00a0000,00\u00a0€".encode()


class Pipeline:
    """The graph run in-process on one instance, and the alert sensors ticking on it."""

    def __init__(
        self, definitions: dg.Definitions, tmp_path: Path, chat: LocalServer, mail: Mailbox
    ) -> None:
        self.definitions = definitions
        self.tmp_path = tmp_path
        self.table = tmp_path / "inbox" / "76165" / "subventions_2022.csv"
        shutil.copytree(INBOX / "76165", self.table.parent)
        self.good = self.table.read_bytes()
        self.instance = dg.DagsterInstance.ephemeral()
        self.settings = CommuneSettings(
            inbox_dir=str(tmp_path / "inbox"), output_dir=str(tmp_path / "published")
        )
        self.chat, self.mail = chat, mail
        self.alerts = self.channels(webhook_url=f"{chat.url}/hooks/{TOKEN}")
        self.cursors: dict[str, str | None] = {}
        self.built_upstream = False

    def channels(self, webhook_url: str) -> AlertChannels:
        return AlertChannels(
            webhook_url=webhook_url,
            smtp_host=self.mail.host,
            smtp_port=self.mail.port,
            smtp_user="alertes",
            smtp_password=PASSWORD,
            smtp_starttls="false",
            email_from="cle-pipeline@mairie.example",
            email_to="donnees@mairie.example",
            ui_url=UI,
        )

    def subsidies(self, amount_zero: bool) -> dg.ExecuteInProcessResult:
        """`subventions` from the commune's table, with the grant's amount at 0 or not."""
        self.table.write_bytes(self.good.replace(GRANT, b"0") if amount_zero else self.good)
        selection = dg.AssetSelection.assets("subventions_inbox", "subventions")
        if not self.built_upstream:
            selection = dg.AssetSelection.assets("subventions").upstream()
            self.built_upstream = True
        return self.run(selection)

    def run(
        self, selection: dg.AssetSelection, overrides: dict[str, str] | None = None
    ) -> dg.ExecuteInProcessResult:
        return materialize_into(
            self.definitions,
            self.tmp_path,
            selection,
            inbox_dir=self.tmp_path / "inbox",
            raise_on_error=False,
            instance=self.instance,
            overrides=overrides,
        )

    def tick(self, sensor=alert_on_failed_checks_and_runs) -> dg.SensorResult:
        context = dg.build_sensor_context(
            instance=self.instance,
            cursor=self.cursors.get(sensor.name),
            definitions=self.definitions,
            resources={"alerts": self.alerts, "settings": self.settings},
        )
        result = sensor(context)
        self.cursors[sensor.name] = result.cursor or self.cursors.get(sensor.name)
        return result

    def chats(self) -> list[str]:
        return [json.loads(body)["text"] for _, body in self.chat.posts]


@pytest.fixture
def pipeline(definitions, tmp_path) -> Iterator[Pipeline]:
    with local_server() as chat, smtp_server(user="alertes", password=PASSWORD) as mail:
        yield Pipeline(definitions, tmp_path, chat, mail)


pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def test_a_failing_check_gives_one_alert_then_a_recovery_notice(pipeline, capfd):
    assert pipeline.tick().skip_reason.skip_message == "watching the runs that finish from now on"
    passing = pipeline.subsidies(amount_zero=False)
    assert passing.success
    quiet = pipeline.tick()
    assert pipeline.chats() == [] and pipeline.mail.messages == []  # a passing run: no alert
    assert quiet.skip_reason.skip_message == "1 finished run read, nothing to tell"

    failing = pipeline.subsidies(amount_zero=True)
    assert not failing.success  # a failed blocking check fails its step, hence the run
    told = pipeline.tick()
    [text] = pipeline.chats()
    [mail] = pipeline.mail.messages
    subject = (
        "[cle-pipeline] Caudebec-lès-Elbeuf (76165): check amount_above_zero of subventions "
        "failed (1 row)"
    )
    assert told.skip_reason.skip_message == f"1 finished run read; alerts: {subject}"
    assert text.splitlines()[0] == f"**{subject}**"
    assert mail["Subject"] == subject
    assert mail["To"] == "donnees@mairie.example"
    body = mail.get_content()
    for line in [
        "Commune: Caudebec-lès-Elbeuf (76165)",
        "Dataset: subventions",
        "Check: amount_above_zero — Chaque montant est supérieur à zéro.",
        "Failing rows: 1",
        "|              3 | Comité des fêtes de Caudebec-lès-Elbeuf |         0 |",
        "subventions.csv was not written: the last published file is kept, and nothing "
        "downstream of the dataset is built until the check passes.",
        f"Run: {UI}/runs/{failing.run_id}",
    ]:
        assert line in body.splitlines(), line
        assert line in text.splitlines(), line
    assert pipeline.mail.logins == ["alertes"]

    pipeline.tick()
    assert pipeline.subsidies(amount_zero=True).success is False  # fails again
    assert pipeline.tick().cursor  # still failing: no second alert
    assert len(pipeline.chats()) == 1 and len(pipeline.mail.messages) == 1

    fixed = pipeline.subsidies(amount_zero=False)
    pipeline.tick()
    recovered = pipeline.chats()[1]
    assert recovered.splitlines()[0] == (
        "**[cle-pipeline] Caudebec-lès-Elbeuf (76165): check amount_above_zero of subventions "
        "passes again**"
    )
    assert f"Run: {UI}/runs/{fixed.run_id}" in recovered
    assert pipeline.mail.messages[1]["Subject"].endswith("passes again")
    pipeline.subsidies(amount_zero=False)
    pipeline.tick()
    assert len(pipeline.chats()) == 2 and len(pipeline.mail.messages) == 2

    everything_sent = "\n".join(
        [*pipeline.chats(), *(m.as_string() for m in pipeline.mail.messages)]
    )
    logged = capfd.readouterr().err  # the sensors' log lines
    assert "alert sent by chat and e-mail: [cle-pipeline]" in logged
    for secret in (TOKEN, PASSWORD):
        assert secret not in everything_sent
        assert secret not in logged


def test_runs_that_finished_before_the_sensor_started_are_history(pipeline):
    pipeline.subsidies(amount_zero=True)
    pipeline.tick()
    pipeline.tick()
    assert pipeline.chats() == []


def test_a_run_failing_on_a_broken_source_is_one_alert(pipeline, tmp_path):
    pipeline.tick()
    broken = tmp_path / "irve-broken.csv"
    broken.write_bytes(b"id_pdc_itinerance,nom_station\nX,Y\n")
    result = pipeline.run(
        dg.AssetSelection.assets("bornes_recharge").upstream(), overrides={"irve": str(broken)}
    )
    assert not result.success
    pipeline.tick()
    [text] = pipeline.chats()
    assert text.splitlines()[0] == (
        "**[cle-pipeline] Caudebec-lès-Elbeuf (76165): run of __ephemeral_asset_job__ failed "
        "(irve)**"
    )
    [failure] = [line for line in text.splitlines() if line.startswith("- irve: ")]
    assert failure.startswith("- irve: SourceFormatError: ")
    assert "irve-broken.csv" in failure and "missing column" in failure
    assert f"Run: {UI}/runs/{result.run_id}" in text


def test_a_failed_warn_check_in_a_successful_run_is_one_alert(pipeline):
    @dg.asset(name="bornes_recharge")
    def points() -> int:
        return 2

    @dg.asset_check(asset=points, blocking=False, description="Power under 400 kW.")
    def puissance_plausible() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "failing_rows": 2,
                "failure_sample": dg.MetadataValue.md("| id | kW |\n|---|---|\n| a | 900 |"),
            },
        )

    pipeline.tick()
    result = dg.materialize([points, puissance_plausible], instance=pipeline.instance)
    assert result.success
    pipeline.tick()
    [text] = pipeline.chats()
    assert "check puissance_plausible of bornes_recharge warns (2 rows)" in text
    assert "| a | 900 |" in text
    assert "A warning only: bornes_recharge was built and its file written as usual." in text


def test_an_unreachable_webhook_does_not_break_the_sensor(pipeline, capfd):
    # Resources are rebuilt from their configuration: a new one, not a pydantic copy.
    pipeline.alerts = pipeline.channels(webhook_url=f"http://127.0.0.1:9/hooks/{TOKEN}")
    pipeline.tick()
    pipeline.subsidies(amount_zero=True)
    result = pipeline.tick()
    assert json.loads(result.cursor)["failing"] == {
        "subventions:amount_above_zero": pipeline.instance.get_runs()[0].run_id
    }
    [mail] = pipeline.mail.messages  # e-mail still goes
    assert "amount_above_zero" in mail["Subject"]
    logged = capfd.readouterr().err
    assert "the chat webhook could not be reached (ConnectionError)" in logged
    assert TOKEN not in logged and PASSWORD not in logged
    assert pipeline.tick().skip_reason is not None  # and ticks on


@pytest.mark.parametrize(
    ("asset", "partition", "last", "again"),
    [
        ("irve", None, "Last built: ", "(built "),
        # A release's materialization is a checked file published, not a build.
        (
            "release/bornes_recharge",
            "76165",
            "Last released (a checked file published): ",
            "(released ",
        ),
    ],
)
def test_a_source_or_release_gone_stale_gives_one_alert_and_a_notice_when_fresh(
    pipeline, asset, partition, last, again
):
    from dagster._core.definitions.freshness import FreshnessState, FreshnessStateChange

    key = dg.AssetKey.from_user_string(asset)

    def freshness(state: FreshnessState, previous: FreshnessState) -> None:
        # What the freshness daemon records when an asset's state changes.
        pipeline.instance.report_runless_asset_event(
            FreshnessStateChange(
                key=key,
                new_state=state,
                previous_state=previous,
                state_change_timestamp=1.0,
            )
        )

    pipeline.instance.report_runless_asset_event(dg.AssetMaterialization(key, partition=partition))
    freshness(FreshnessState.PASS, FreshnessState.UNKNOWN)
    quiet = pipeline.tick(alert_on_stale_assets)
    assert quiet.skip_reason.skip_message.startswith("no change of freshness")
    freshness(FreshnessState.FAIL, FreshnessState.PASS)
    pipeline.tick(alert_on_stale_assets)
    pipeline.tick(alert_on_stale_assets)
    [stale] = pipeline.chats()
    assert stale.splitlines()[0] == f"**[cle-pipeline] 76165: {asset} is stale**"
    assert last in stale
    assert ("Last built" in stale) == (asset == "irve")
    assert "Expected: updated daily, stale after 2 days." in stale
    assert f"Asset: {UI}/assets/{asset}" in stale
    freshness(FreshnessState.PASS, FreshnessState.FAIL)
    pipeline.tick(alert_on_stale_assets)
    fresh = pipeline.chats()[1]
    assert fresh.splitlines()[0] == f"**[cle-pipeline] 76165: {asset} is fresh again**"
    assert f"{asset} is fresh again {again}" in fresh
    assert len(pipeline.mail.messages) == 2


@pytest.mark.parametrize("name", ["alert_on_failed_checks_and_runs", "alert_on_stale_assets"])
def test_the_alert_sensors_run_by_default_and_say_what_they_do(definitions, name):
    sensor = definitions.resolve_sensor_def(name)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert "alert" in sensor.description
