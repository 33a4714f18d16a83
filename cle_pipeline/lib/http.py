"""The one way the project talks HTTP: a `requests` session with urllib3's retry policy.

Every GET (national files, the data.gouv.fr and directory APIs, Overpass) goes through
`retrying_session`: 429 and 5xx answers, time-outs and lost connections are retried with an
exponential backoff, a `Retry-After` is honoured, every wait is reported (the run's log and the
terminal), and no wait runs past the caller's deadline. The data.gouv.fr client adds its own
rule for POSTs on top (look for what a lost answer may have created before posting again).

Also here: `mask_credentials`, applied to every URL shown or recorded (`user:password@` in a
source URL), and `TransferProgress`, the bytes and rate of a download.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable, Iterable
from http.cookiejar import DefaultCookiePolicy
from typing import Any, TextIO

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

USER_AGENT = "cle-pipeline (open data of French communes)"
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
# Methods safe to send twice: a POST is never repeated by the policy (see lib/datagouv.py).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT"})

_CREDENTIALS = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")


def mask_credentials(text: str) -> str:
    """`http://user:password@host/x` → `http://***@host/x`, in a URL or in any message
    quoting one: what a URL carries as credentials is never recorded."""
    return _CREDENTIALS.sub(r"\1***@", text)


class DeadlineExceeded(RuntimeError):
    """Waiting for another attempt would run past the caller's deadline."""


class ReportingRetry(Retry):
    """urllib3's `Retry` that reports every wait to `report` and never sleeps past `deadline`
    (a `time.monotonic()` value)."""

    def __init__(
        self,
        *args: Any,
        deadline: float | None = None,
        report: Callable[[str], None] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(*args, **options)
        self.deadline = deadline
        self.report = report

    def new(self, **options: Any) -> ReportingRetry:
        """The policy's next state (urllib3 copies it at every attempt), deadline and report
        kept."""
        options.setdefault("deadline", self.deadline)
        options.setdefault("report", self.report)
        return super().new(**options)

    def sleep(self, response: Any = None) -> None:
        """Waits before the next attempt: `Retry-After` if the server said, else the backoff;
        reported, and refused when it would end past the deadline."""
        retry_after = (
            self.get_retry_after(response)
            if response is not None and self.respect_retry_after_header
            else None
        )
        wait = retry_after if retry_after is not None else self.get_backoff_time()
        attempt = len(self.history)
        why = describe_attempt(self.history[-1]) if self.history else "failed"
        if self.deadline is not None and time.monotonic() + wait > self.deadline:
            raise DeadlineExceeded(
                f"attempt {attempt} {why}; the next one (in {wait:.0f} s) would be past the "
                "deadline"
            )
        if self.report is not None:
            asked = " as the server asked (Retry-After)" if retry_after is not None else ""
            self.report(f"attempt {attempt} {why}; next attempt in {wait:.0f} s{asked}")
        time.sleep(wait)


def describe_attempt(attempt: Any) -> str:
    """`answered HTTP 503`, or `failed (ReadTimeoutError)`, for a `Retry.history` entry."""
    if attempt.status:
        return f"answered HTTP {attempt.status}"
    return f"failed ({type(attempt.error).__name__})" if attempt.error else "failed"


def retrying_session(
    retries: int,
    backoff_seconds: float,
    deadline: float | None = None,
    report: Callable[[str], None] | None = None,
    methods: Iterable[str] = IDEMPOTENT_METHODS,
) -> requests.Session:
    """A session retrying `methods` `retries` times (waits of 0, 2, 4 … × `backoff_seconds`,
    or what `Retry-After` says), never waiting past `deadline`.

    The session keeps no cookie: udata answers with a session cookie that would authenticate
    later calls whatever their key. A 429 or 5xx still there after the last attempt is
    returned as the response (see `attempts_of`), not raised."""
    policy = ReportingRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        allowed_methods=frozenset(methods),
        status_forcelist=RETRIED_STATUSES,
        backoff_factor=backoff_seconds,
        raise_on_status=False,
        respect_retry_after_header=True,
        deadline=deadline,
        report=report,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return session


def attempts_of(response: requests.Response) -> int:
    """How many requests the policy sent to get `response`."""
    retries = getattr(response.raw, "retries", None)
    return len(retries.history) + 1 if retries is not None else 1


def failure_reason(error: requests.RequestException) -> str:
    """What a failed request comes to once the policy gave up: `ReadTimeoutError`,
    `NewConnectionError`…, not requests' wrapper around urllib3's."""
    cause = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError) and cause.reason is not None:
        return type(cause.reason).__name__
    return type(error).__name__


def request_timeout(timeout_seconds: float, deadline: float) -> float:
    """The time-out of one request: the configured one, or what is left before the deadline."""
    return max(0.001, min(timeout_seconds, deadline - time.monotonic()))


class TransferProgress:
    """The bytes and rate of a transfer: a line in the run's log every `log_every` seconds and
    at the end, and a line updated in place when a person watches a terminal."""

    def __init__(
        self,
        label: str,
        total: int | None,
        log: logging.Logger | Any,
        terminal: TextIO | None = None,
        log_every: float = 10.0,
    ) -> None:
        self.label = label
        self.total = total
        self.log = log
        self.terminal = terminal if terminal is not None else _interactive_stderr()
        self.log_every = log_every
        self.done = 0
        self.started = self.logged = self.drawn = time.monotonic()

    def advance(self, count: int) -> None:
        """`count` more bytes arrived."""
        self.done += count
        now = time.monotonic()
        if now - self.logged >= self.log_every:
            self.logged = now
            self.log.info(self.describe(now))
        if self.terminal is not None and now - self.drawn >= 0.5:
            self.drawn = now
            self.terminal.write(f"\r{self.describe(now)}\033[K")
            self.terminal.flush()

    def finish(self) -> None:
        """The transfer is over: its total and rate, in the log and on the terminal line."""
        now = time.monotonic()
        self.log.info(self.describe(now, finished=True))
        if self.terminal is not None:
            self.terminal.write(f"\r{self.describe(now, finished=True)}\033[K\n")
            self.terminal.flush()

    def describe(self, now: float, finished: bool = False) -> str:
        """`irve.csv: downloading 1.5 MB of 3.0 MB in 2 s (0.8 MB/s)`."""
        elapsed = max(now - self.started, 1e-6)
        of = f" of {_megabytes(self.total)}" if self.total and not finished else ""
        verb = "downloaded" if finished else "downloading"
        return (
            f"{self.label}: {verb} {_megabytes(self.done)}{of} in {elapsed:.0f} s "
            f"({_megabytes(self.done / elapsed)}/s)"
        )


def echo_to_terminal(message: str) -> None:
    """A line for the person at the terminal, if there is one (the run's log has it anyway)."""
    if (terminal := _interactive_stderr()) is not None:
        terminal.write(message + "\n")
        terminal.flush()


def _megabytes(count: float) -> str:
    return f"{count / 1e6:.1f} MB"


def _interactive_stderr() -> TextIO | None:
    return sys.stderr if sys.stderr.isatty() else None
