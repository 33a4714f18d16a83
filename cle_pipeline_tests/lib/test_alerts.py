"""Alert messages (pure) and the two channels against real servers on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from cle_pipeline.lib.alerts import (
    MAX_SAMPLE_CHARS,
    Alert,
    AlertChannels,
    CheckResult,
    check_failed,
    check_recovered,
    fresh_again,
    gone_stale,
    inbox_unreadable,
    run_failed,
    scrub,
)
from cle_pipeline_tests.http_server import local_server
from cle_pipeline_tests.smtp_server import self_signed_certificate, smtp_server

COMMUNE = "Caudebec-lès-Elbeuf (76165)"
LINK = "http://127.0.0.1:3000/runs/abc"
SAMPLE = "| ligne_source | montant |\n|---:|---:|\n| 3 | 0 |"
FAILED = CheckResult(
    "subventions",
    "amount_above_zero",
    passed=False,
    severity="ERROR",
    blocking=True,
    failing_rows=1,
    failure_sample=SAMPLE,
    description="Every montant is above zero.",
)
LOG = logging.getLogger("test_alerts")


def test_a_failed_blocking_check_names_everything_the_reader_needs():
    alert = check_failed(COMMUNE, FAILED, LINK)
    assert alert.subject == (
        "[cle-pipeline] Caudebec-lès-Elbeuf (76165): check amount_above_zero of subventions "
        "failed (1 row)"
    )
    assert alert.body.splitlines()[:4] == [
        "Commune: Caudebec-lès-Elbeuf (76165)",
        "Dataset: subventions",
        "Check: amount_above_zero — Every montant is above zero.",
        "Failing rows: 1",
    ]
    assert SAMPLE in alert.body
    assert "subventions.csv was not written: the last published file is kept" in alert.body
    assert alert.body.endswith(f"Run: {LINK}")


def test_a_failed_warn_check_says_the_file_was_written():
    warning = CheckResult("bornes_recharge", "puissance_plausible", False, "WARN", False, 12)
    alert = check_failed(COMMUNE, warning, LINK)
    assert alert.subject.endswith("check puissance_plausible of bornes_recharge warns (12 rows)")
    assert "A warning only: bornes_recharge was built and its file written" in alert.body


def test_a_long_sample_is_cut_and_says_so():
    rows = "\n".join(f"| {n} | {'x' * 200} |" for n in range(100))
    alert = check_failed(COMMUNE, CheckResult("d", "c", False, "ERROR", True, 100, rows), LINK)
    assert len(alert.body) < MAX_SAMPLE_CHARS + 1000
    assert "… (cut; the whole sample is in the UI)" in alert.body


def test_recovery_run_failure_stale_and_inbox_messages():
    recovered = check_recovered(COMMUNE, FAILED, LINK)
    assert recovered.subject.endswith("check amount_above_zero of subventions passes again")
    failed = run_failed(COMMUNE, "build_commune", [("irve", "SourceFormatError: x.csv: …")], LINK)
    assert failed.subject.endswith("run of build_commune failed (irve)")
    assert "- irve: SourceFormatError: x.csv: …" in failed.body
    built = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    stale = gone_stale(
        COMMUNE, "irve", "daily", timedelta(days=2), built, "u", now=built + timedelta(days=3)
    )
    assert stale.subject.endswith("irve is stale")
    assert "Last built: 2026-03-01 06:00 UTC (3 days ago)." in stale.body
    assert "Expected: updated daily, stale after 2 days." in stale.body
    assert gone_stale(COMMUNE, "irve", None, None, None, "u").body.splitlines()[2:4] == [
        "Never built.",
        "Expected: updated regularly.",
    ]
    release = gone_stale(
        COMMUNE,
        "release/irve",
        "daily",
        None,
        built,
        "u",
        now=built + timedelta(hours=5),
        release=True,
    )
    assert release.body.splitlines()[2:5] == [
        "Last released (a checked file published): 2026-03-01 06:00 UTC (5 hours ago).",
        "Expected: updated daily.",
        "Look at the dataset's last runs and its blocking checks (a failed check holds the "
        "release back, and the last good file stays published), and at its sources.",
    ]
    never = gone_stale(COMMUNE, "release/irve", None, None, None, "u", release=True)
    assert never.body.splitlines()[2] == "Never released."
    assert fresh_again(COMMUNE, "release/irve", built, "u", release=True).body.splitlines()[1] == (
        "Asset: release/irve is fresh again (released 2026-03-01 06:00 UTC)."
    )
    assert fresh_again(COMMUNE, "irve", built, "u").body.splitlines()[1] == (
        "Asset: irve is fresh again (built 2026-03-01 06:00 UTC)."
    )
    unreadable = inbox_unreadable(
        COMMUNE, "/in/76165", "s.xlsx", "encrypted", ["subventions_inbox"]
    )
    assert "File: /in/76165/s.xlsx" in unreadable.body
    assert "Not rebuilt until a readable file arrives: subventions_inbox." in unreadable.body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("POST https://hooks.example/services/T0/B1/SeCrEt failed", "POST [redacted] failed"),
        ("with url: /services/T0/B1/SeCrEt (Caused by …)", "with url: [redacted] (Caused by …)"),
        ("login p4ssw0rd refused", "login [redacted] refused"),
        ("https://user:pw@files.example/x.csv", "https://[redacted]@files.example/x.csv"),
    ],
)
def test_scrub_removes_secrets_and_url_credentials(text, expected):
    channels = AlertChannels(
        webhook_url="https://hooks.example/services/T0/B1/SeCrEt", smtp_password="p4ssw0rd"
    )
    assert scrub(text, channels.secrets()) == expected


def test_channels_are_off_until_configured():
    assert AlertChannels().channels() == []
    assert AlertChannels(smtp_host="mail").channels() == []  # no recipient
    assert AlertChannels(webhook_url="http://h/x", smtp_host="m", email_to="a@b").channels() == [
        "chat",
        "e-mail",
    ]
    assert AlertChannels().send(Alert("s", "b"), LOG) == []


# A login without TLS is what the loopback test server allows; real servers get STARTTLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_an_alert_reaches_the_webhook_and_the_mailbox_with_login():
    with local_server() as chat, smtp_server(user="alerts", password="p4ssw0rd") as mail:
        channels = AlertChannels(
            webhook_url=f"{chat.url}/hooks/t0k3n",
            smtp_host=mail.host,
            smtp_port=mail.port,
            smtp_user="alerts",
            smtp_password="p4ssw0rd",
            smtp_starttls="false",
            email_from="cle@mairie.example",
            email_to="donnees@mairie.example, dgs@mairie.example",
        )
        assert channels.send(Alert("Subject é", "Body with p4ssw0rd"), LOG) == ["chat", "e-mail"]
    [(path, body)] = chat.posts
    assert path == "/hooks/t0k3n"
    assert json.loads(body) == {"text": "**Subject é**\nBody with [redacted]"}
    [message] = mail.messages
    assert mail.logins == ["alerts"]
    assert message["Subject"] == "Subject é"
    assert message["From"] == "cle@mairie.example"
    assert message["To"] == "donnees@mairie.example, dgs@mairie.example"
    assert message.get_content().strip() == "Body with [redacted]"


def test_the_mail_goes_over_starttls_by_default(tmp_path, monkeypatch):
    certificate = self_signed_certificate(tmp_path)
    # The test certificate is the only one trusted: the connection must be upgraded and the
    # server's certificate checked against it.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with smtp_server(user="alerts", password="p4ssw0rd", certificate=certificate) as mail:
        channels = AlertChannels(
            smtp_host=mail.host,
            smtp_port=mail.port,
            smtp_user="alerts",
            smtp_password="p4ssw0rd",
            email_to="donnees@mairie.example",
        )
        assert channels.smtp_starttls == "true"
        assert channels.send(Alert("Over TLS", "body"), LOG) == ["e-mail"]
        plain = AlertChannels(
            smtp_host=mail.host, smtp_port=mail.port, smtp_starttls="false", email_to="a@b.example"
        )
        assert plain.send(Alert("In clear", "body"), LOG) == []  # refused without STARTTLS
    assert [message["Subject"] for message in mail.messages] == ["Over TLS"]
    assert mail.logins == ["alerts"]


def test_an_unreachable_or_failing_webhook_is_logged_without_its_token(caplog):
    with local_server() as chat, smtp_server() as mail:
        chat.serve("/hooks/t0k3n", b"", status=500)
        mailing = {
            "smtp_host": mail.host,
            "smtp_port": mail.port,
            "smtp_starttls": "false",
            "email_to": "donnees@mairie.example",
        }
        failing = AlertChannels(webhook_url=f"{chat.url}/hooks/t0k3n", **mailing)
        unreachable = AlertChannels(webhook_url="http://127.0.0.1:9/hooks/t0k3n", **mailing)
        with caplog.at_level(logging.INFO):
            assert failing.send(Alert("one", "b"), LOG) == ["e-mail"]
            assert unreachable.send(Alert("two", "b"), LOG) == ["e-mail"]
    assert len(mail.messages) == 2
    assert "alert not sent by chat (HTTPError: the chat webhook answered HTTP 500): one" in (
        caplog.text
    )
    assert "the chat webhook could not be reached (ConnectionError)" in caplog.text
    assert "t0k3n" not in caplog.text
