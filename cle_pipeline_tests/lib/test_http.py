"""The one HTTP policy, against a real server on 127.0.0.1: retries, Retry-After, deadline."""

import io
import itertools
import logging
import re
import time

import pytest

from cle_pipeline.lib.http import (
    DeadlineExceeded,
    TransferProgress,
    attempts_of,
    mask_credentials,
    retrying_session,
)
from cle_pipeline_tests.http_server import local_server


def test_retry_after_is_honoured_rather_than_the_backoff():
    with local_server() as server:
        url = server.serve("/busy.json", b"{}", failures=1, failure_status=503, retry_after="1")
        response = retrying_session(retries=2, backoff_seconds=0.01).get(url, timeout=5)
    route = server.routes["/busy.json"]
    assert (response.status_code, attempts_of(response), route.hits) == (200, 2, 2)
    assert route.hit_times[1] - route.hit_times[0] >= 1.0


def test_a_retry_after_past_the_deadline_gives_up_at_once():
    with local_server() as server:
        url = server.serve("/busy.json", b"{}", failures=1, failure_status=429, retry_after="30")
        session = retrying_session(2, 0.01, deadline=time.monotonic() + 5)
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded) as raised:
            session.get(url, timeout=5)
    assert time.monotonic() - started < 1
    assert str(raised.value) == (
        "attempt 1 answered HTTP 429; the next one (in 30 s) would be past the deadline"
    )


def test_server_errors_are_retried_with_backoff_then_returned():
    waits: list[str] = []
    with local_server() as server:
        url = server.serve("/down.json", b"{}", failures=99)
        response = retrying_session(3, 0.05, report=waits.append).get(url, timeout=5)
    assert (response.status_code, attempts_of(response)) == (500, 4)
    assert waits == [
        "attempt 1 answered HTTP 500; next attempt in 0 s",
        "attempt 2 answered HTTP 500; next attempt in 0 s",
        "attempt 3 answered HTTP 500; next attempt in 0 s",
    ]
    # urllib3's backoff: none before the first retry, then 0.1 s, 0.2 s.
    gaps = [b - a for a, b in itertools.pairwise(server.routes["/down.json"].hit_times)]
    assert gaps[0] < 0.1 and 0.1 <= gaps[1] < 0.2 <= gaps[2]


def test_a_post_is_never_repeated_by_the_policy():
    with local_server() as server:
        server.serve("/hook", b"", status=503)
        response = retrying_session(3, 0.01).post(server.url + "/hook", data=b"x", timeout=5)
    assert (response.status_code, len(server.posts)) == (503, 1)


def test_no_cookie_is_kept():
    with local_server() as server:
        url = server.serve("/a", b"{}", headers={"Set-Cookie": "session=abc; Path=/"})
        session = retrying_session(0, 0)
        session.get(url, timeout=5)
        session.get(url, timeout=5)
    assert [headers.get("Cookie") for _, headers in server.requests] == [None, None]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("http://user:password@host/x.csv", "http://***@host/x.csv"),
        ("https://token@host:8443/x", "https://***@host:8443/x"),
        ("http://host/x?mail=a@b.fr", "http://host/x?mail=a@b.fr"),
        ("/data/irve.csv", "/data/irve.csv"),
        (
            "ftp://u:p@h/a failed, then http://v:q@h/b",
            "ftp://***@h/a failed, then http://***@h/b",
        ),
    ],
)
def test_mask_credentials(text, masked):
    assert mask_credentials(text) == masked


class Lines(logging.Logger):
    def __init__(self) -> None:
        super().__init__("lines")
        self.lines: list[str] = []

    def info(self, message, *args, **kwargs):  # type: ignore[override]
        self.lines.append(message)


def test_progress_goes_to_the_log_and_to_a_terminal_line():
    log, terminal = Lines(), io.StringIO()
    progress = TransferProgress("irve.csv", 3_000_000, log, terminal=terminal, log_every=0)
    progress.drawn -= 1  # as if the last line were drawn a second ago
    progress.advance(1_500_000)
    progress.finish()
    assert re.fullmatch(
        r"irve\.csv: downloading 1\.5 MB of 3\.0 MB in 0 s \(\d+\.\d MB/s\)", log.lines[0]
    )
    assert re.fullmatch(r"irve\.csv: downloaded 1\.5 MB in 0 s \(\d+\.\d MB/s\)", log.lines[1])
    drawn = terminal.getvalue()
    assert drawn.startswith("\rirve.csv: downloading 1.5 MB of 3.0 MB in 0 s (")
    assert drawn.endswith("MB/s)\x1b[K\n")
    assert drawn.count("\r") == 2
