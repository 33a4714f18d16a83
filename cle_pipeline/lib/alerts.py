"""Telling people: the alert messages, and the two channels that carry them (chat and e-mail).

An `Alert` is plain text written for the person who looks after the commune's data: what went
wrong (or right again), for which commune, dataset and check, how many rows with a sample, and
a link to the run in the Dagster UI. The message builders are pure functions (tested without
Dagster or a network); `AlertChannels` sends an alert to a chat webhook that accepts a
Mattermost/Slack JSON body (`{"text": …}`) and by e-mail over SMTP.

Secrets (the webhook URL, which embeds its token, and the SMTP password) never appear in a
message or a log line: every text that leaves goes through `scrub`. A channel that cannot be
reached is logged and skipped; it never stops the sensor that sends the alert.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import dagster as dg
import requests
from pydantic import Field

DEFAULT_UI_URL = "http://127.0.0.1:3000"
SMTPS_PORT = 465
# A chat message stays readable: a sample of ten rows of long values is cut, and says so.
MAX_SAMPLE_CHARS = 3000
PRODUCT = "cle-pipeline"
# `https://user:password@host/…`: the credentials part of a URL met in an error message.
URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+(?::[^/\s@]*)?@", re.I)
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Alert:
    """One message: `subject` (chat title, e-mail subject) and `body` (plain text, markdown
    tables allowed)."""

    subject: str
    body: str

    def text(self) -> str:
        """The alert as one markdown message (the chat's)."""
        return f"**{self.subject}**\n{self.body}"


@dataclass(frozen=True)
class CheckResult:
    """What an alert says about one check evaluation (from its ASSET_CHECK_EVALUATION event)."""

    dataset: str
    check: str
    passed: bool
    severity: str  # ERROR or WARN
    blocking: bool
    failing_rows: int | None = None
    failure_sample: str | None = None
    description: str | None = None

    @property
    def key(self) -> str:
        """`dataset:check`: what an alert is sent once for."""
        return f"{self.dataset}:{self.check}"


def run_url(ui_url: str, run_id: str) -> str:
    """The UI's page of a run."""
    return f"{ui_url.rstrip('/')}/runs/{run_id}"


def asset_url(ui_url: str, asset: str) -> str:
    """The UI's page of an asset."""
    return f"{ui_url.rstrip('/')}/assets/{asset}"


def _sample(text: str | None) -> str:
    if not text:
        return ""
    if len(text) > MAX_SAMPLE_CHARS:
        text = text[:MAX_SAMPLE_CHARS].rsplit("\n", 1)[0]
        text += "\n… (cut; the whole sample is in the UI)"
    return text


def check_failed(commune: str, result: CheckResult, link: str) -> Alert:
    """A check that fails (and was not failing before)."""
    rows = result.failing_rows
    counted = "" if rows is None else f" ({rows} row{'s' if rows != 1 else ''})"
    if result.blocking and result.severity == "ERROR":
        kind, effect = (
            "failed",
            f"{result.dataset}.csv was not written: the last published file is kept, and "
            "nothing downstream of the dataset is built until the check passes.",
        )
    else:
        kind, effect = (
            "warns",
            f"A warning only: {result.dataset} was built and its file written as usual.",
        )
    lines = [
        f"Commune: {commune}",
        f"Dataset: {result.dataset}",
        f"Check: {result.check}" + (f" — {result.description}" if result.description else ""),
        f"Failing rows: {'unknown' if rows is None else rows}",
    ]
    sample = _sample(result.failure_sample)
    if sample:
        lines += ["Sample of the failing rows:", "", sample, ""]
    lines += [effect, f"Run: {link}"]
    return Alert(
        f"[{PRODUCT}] {commune}: check {result.check} of {result.dataset} {kind}{counted}",
        "\n".join(lines),
    )


def check_recovered(commune: str, result: CheckResult, link: str) -> Alert:
    """A check that failed before and passes again."""
    return Alert(
        f"[{PRODUCT}] {commune}: check {result.check} of {result.dataset} passes again",
        "\n".join(
            [
                f"Commune: {commune}",
                f"Dataset: {result.dataset}",
                f"Check: {result.check} passes again (0 failing rows).",
                f"Run: {link}",
            ]
        ),
    )


def run_failed(commune: str, job: str, failures: Iterable[tuple[str, str]], link: str) -> Alert:
    """A run that failed for another reason than its checks (a source that could not be read,
    a bug): each failed step with the first line of its error."""
    failures = list(failures)
    lines = [f"Commune: {commune}", f"Job: {job}"]
    if failures:
        lines.append("Failed steps:")
        lines += [f"- {step}: {message}" for step, message in failures]
    else:
        lines.append("The run failed before any step (see the run's logs).")
    lines += [
        "Datasets downstream of a failed step were not built; their last published files are kept.",
        f"Run: {link}",
    ]
    steps = ", ".join(step for step, _ in failures) or "run"
    return Alert(f"[{PRODUCT}] {commune}: run of {job} failed ({steps})", "\n".join(lines))


def _age(since: datetime, now: datetime) -> str:
    elapsed = now - since
    if elapsed >= timedelta(days=2):
        return f"{elapsed.days} days ago"
    hours = int(elapsed.total_seconds() // 3600)
    return f"{hours} hour{'s' if hours != 1 else ''} ago"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def gone_stale(
    commune: str,
    asset: str,
    cadence: str | None,
    fail_after: timedelta | None,
    last_update: datetime | None,
    link: str,
    now: datetime | None = None,
    release: bool = False,
) -> Alert:
    """An asset whose freshness policy fails: a source not rebuilt, or a dataset's `release`
    (its published file) with no checked file released, for longer than its source's rhythm
    allows."""
    now = now or datetime.now(UTC)
    done, never = (
        ("released (a checked file published)", "Never released.")
        if release
        else ("built", "Never built.")
    )
    seen = (
        f"Last {done}: {_when(last_update)} ({_age(last_update, now)})." if last_update else never
    )
    expected = f"Expected: updated {cadence}" if cadence else "Expected: updated regularly"
    if fail_after is not None:
        expected += f", stale after {_duration(fail_after)}"
    look = (
        "Look at the dataset's last runs and its blocking checks (a failed check holds the "
        "release back, and the last good file stays published), and at its sources."
        if release
        else "Look at the automation sensor's ticks and the last runs of the asset (a source "
        "that cannot be downloaded, a failed check upstream)."
    )
    lines = [f"Commune: {commune}", f"Asset: {asset}", seen, expected + ".", look, f"Asset: {link}"]
    return Alert(f"[{PRODUCT}] {commune}: {asset} is stale", "\n".join(lines))


def fresh_again(
    commune: str, asset: str, last_update: datetime | None, link: str, release: bool = False
) -> Alert:
    """The notice that a stale asset was rebuilt (a source) or released again (a release)."""
    done = "released" if release else "built"
    when = f" ({done} {_when(last_update)})" if last_update else ""
    return Alert(
        f"[{PRODUCT}] {commune}: {asset} is fresh again",
        f"Commune: {commune}\nAsset: {asset} is fresh again{when}.\nAsset: {link}",
    )


def _duration(delta: timedelta) -> str:
    if delta.days >= 1 and delta.seconds == 0:
        return f"{delta.days} day{'s' if delta.days != 1 else ''}"
    return f"{int(delta.total_seconds() // 3600)} hours"


def inbox_unreadable(
    commune: str, folder: str, file_name: str, problem: str, assets: Iterable[str]
) -> Alert:
    """A file of the commune's inbox that cannot be read: nothing is built from it."""
    waiting = ", ".join(assets)
    return Alert(
        f"[{PRODUCT}] {commune}: {file_name} in the inbox cannot be read",
        "\n".join(
            [
                f"Commune: {commune}",
                f"File: {folder}/{file_name}",
                f"Problem: {problem}",
                f"Not rebuilt until a readable file arrives: {waiting}.",
                "The file was left as it is (the pipeline never changes the commune's files): "
                "save a corrected copy in the inbox.",
            ]
        ),
    )


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret and every `user:password@` of a URL replaced."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return URL_CREDENTIALS.sub(rf"\g<scheme>{REDACTED}@", text)


def _flag(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    return value.strip().lower() not in {"", "0", "false", "no", "non", "off"}


class AlertChannels(dg.ConfigurableResource):
    """Where alerts go; a channel left unset is off (alerts are then only logged).

    `webhook_url` (CLE_ALERT_WEBHOOK_URL): a Mattermost or Slack incoming webhook, sent
    `{"text": …}`. E-mail: `smtp_host` (CLE_SMTP_HOST), `smtp_port` (CLE_SMTP_PORT, 587),
    `smtp_user` / `smtp_password` (CLE_SMTP_USER, CLE_SMTP_PASSWORD; no login when empty),
    `smtp_starttls` (CLE_SMTP_STARTTLS, true: upgrade the connection before logging in; port
    465 is TLS from the start),
    `email_from` / `email_to` (CLE_ALERT_EMAIL_FROM, CLE_ALERT_EMAIL_TO, comma-separated).
    `ui_url` (CLE_DAGSTER_UI_URL): the Dagster UI the links point to."""

    # Field descriptions are what the UI's resources page shows: each names its variable.
    webhook_url: str = Field(
        default="",
        description="CLE_ALERT_WEBHOOK_URL — webhook entrant Mattermost ou Slack (secret).",
    )
    smtp_host: str = Field(default="", description="CLE_SMTP_HOST — serveur SMTP des alertes.")
    smtp_port: int = Field(default=587, description="CLE_SMTP_PORT — port SMTP (défaut 587).")
    smtp_user: str = Field(
        default="", description="CLE_SMTP_USER — identifiant SMTP (vide : pas d'authentification)."
    )
    smtp_password: str = Field(
        default="", repr=False, description="CLE_SMTP_PASSWORD — mot de passe SMTP (secret)."
    )
    smtp_starttls: str = Field(
        default="true",
        description="CLE_SMTP_STARTTLS — true : STARTTLS avant l'authentification (le port 465 "
        "est chiffré d'emblée).",
    )
    email_from: str = Field(default="", description="CLE_ALERT_EMAIL_FROM — expéditeur.")
    email_to: str = Field(
        default="", description="CLE_ALERT_EMAIL_TO — destinataires, séparés par des virgules."
    )
    ui_url: str = Field(
        default=DEFAULT_UI_URL,
        description="CLE_DAGSTER_UI_URL — adresse de l'interface Dagster vers laquelle pointent "
        "les liens.",
    )
    timeout_seconds: float = Field(
        default=10.0,
        description="Pas de variable d'environnement : délai d'attente d'un envoi (s).",
    )

    def secrets(self) -> list[str]:
        """What must never appear in a log: the webhook (and its path) and the SMTP password."""
        # An error message may quote the webhook's path alone (`…with url: /hooks/<token>`).
        webhook_path = urlsplit(self.webhook_url).path if self.webhook_url else ""
        return [self.webhook_url, webhook_path if len(webhook_path) > 1 else "", self.smtp_password]

    def recipients(self) -> list[str]:
        """The e-mail addresses of `email_to`."""
        return [address.strip() for address in self.email_to.split(",") if address.strip()]

    def channels(self) -> list[str]:
        """The configured channels: `chat`, `e-mail`."""
        configured = []
        if self.webhook_url:
            configured.append("chat")
        if self.smtp_host and self.recipients():
            configured.append("e-mail")
        return configured

    def run_url(self, run_id: str) -> str:
        """The UI's page of a run."""
        return run_url(self.ui_url or DEFAULT_UI_URL, run_id)

    def asset_url(self, asset: str) -> str:
        """The UI's page of an asset."""
        return asset_url(self.ui_url or DEFAULT_UI_URL, asset)

    def send(self, alert: Alert, log: logging.Logger | dg.DagsterLogManager) -> list[str]:
        """Sends to every configured channel; returns the channels that took the alert. A
        channel that fails is logged (without its secrets) and skipped."""
        alert = Alert(scrub(alert.subject, self.secrets()), scrub(alert.body, self.secrets()))
        delivered = []
        for channel, deliver in (("chat", self._post), ("e-mail", self._mail)):
            if channel not in self.channels():
                continue
            try:
                deliver(alert)
            except (requests.RequestException, smtplib.SMTPException, OSError) as error:
                reason = scrub(f"{type(error).__name__}: {error}", self.secrets())
                log.warning(f"alert not sent by {channel} ({reason}): {alert.subject}")
                continue
            delivered.append(channel)
        if delivered:
            log.info(f"alert sent by {' and '.join(delivered)}: {alert.subject}")
        else:
            log.warning(f"alert (no channel took it): {alert.subject}\n{alert.body}")
        return delivered

    def _post(self, alert: Alert) -> None:
        # An error must not carry the URL (its path is the webhook's token): only its kind.
        try:
            response = requests.post(
                self.webhook_url, json={"text": alert.text()}, timeout=self.timeout_seconds
            )
        except requests.RequestException as error:
            raise requests.ConnectionError(
                f"the chat webhook could not be reached ({type(error).__name__})"
            ) from None
        if response.status_code >= 400:
            raise requests.HTTPError(f"the chat webhook answered HTTP {response.status_code}")

    def _mail(self, alert: Alert) -> None:
        message = EmailMessage()
        message["Subject"] = alert.subject
        message["From"] = self.email_from or f"{PRODUCT}@{self.smtp_host}"
        message["To"] = ", ".join(self.recipients())
        message.set_content(alert.body)
        secure = ssl.create_default_context()
        # Port 465 speaks TLS from the first byte (SMTPS); other ports upgrade with STARTTLS.
        connection = (
            smtplib.SMTP_SSL(
                self.smtp_host, self.smtp_port, timeout=self.timeout_seconds, context=secure
            )
            if self.smtp_port == SMTPS_PORT
            else smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=self.timeout_seconds)
        )
        with connection as smtp:
            if self.smtp_port != SMTPS_PORT and _flag(self.smtp_starttls):
                smtp.starttls(context=secure)
            if self.smtp_user:
                smtp.login(self.smtp_user, self.smtp_password)
            smtp.send_message(message)
