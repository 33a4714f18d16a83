"""The `udata_server` session fixture: the real data.gouv.fr server software on 127.0.0.1.

udata's dependency tree (Flask, Celery, mongoengine, pinned pymongo…) must not mix with
Dagster's, so udata lives in its own virtual environment, `.venv-udata/` at the project root,
built by `make udata` (which `make test` depends on) from `requirements-udata.txt`, and runs as a
subprocess (`udata_server.py`) started and stopped by pid. MongoDB is mongomock, inside that
process. Facts of the API observed against it: `NOTES.md` beside this file.

udata checks the `schema` of a resource against a catalog: the one of `../shared/schemas/`
(relative to the project root) is served on 127.0.0.1 from a thread of the pytest process. The
fixture skips when the udata venv or the catalog is missing; a server that does not start is an
error.

Environment variables (optional): `UDATA_VENV` (another venv), `UDATA_STARTUP_TIMEOUT` (s).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.http_server import Answer, Request, local_server

HERE = Path(__file__).resolve().parent
SERVER_SCRIPT = HERE / "udata_server.py"
SCHEMA_CATALOG = PROJECT_ROOT.parent / "shared" / "schemas" / "catalog.json"


def udata_python() -> Path:
    return Path(os.environ.get("UDATA_VENV", PROJECT_ROOT / ".venv-udata")) / "bin" / "python"


def free_port() -> int:
    """A port free right now on 127.0.0.1 (the server may still lose a race for it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_file_dir(directory: Path) -> Iterator[str]:
    """Serve the files of `directory` over http on 127.0.0.1; yield its base URL.

    udata fetches SCHEMA_CATALOG_URL with `requests` on the first schema it validates, so the
    catalog must be reachable over http, not as a file path.
    """

    def respond(request: Request) -> Answer:
        path = (directory / request.path.split("?")[0].lstrip("/")).resolve()
        if directory.resolve() not in path.parents or not path.is_file():
            return Answer(404)
        return Answer(200, path.read_bytes())

    with local_server() as server:
        server.respond("/", respond)
        yield server.url


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(log_path: Path, size: int = 4000) -> str:
    try:
        return log_path.read_text(errors="replace")[-size:]
    except OSError:
        return "<no log>"


def stop_process(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM the server by pid, SIGKILL it if it has not exited after `grace` s."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)


class _EarlyExit(Exception):
    pass


def _wait_ready(
    proc: subprocess.Popen[bytes], state_file: Path, started: float, timeout: float
) -> dict[str, Any]:
    while time.monotonic() < started + timeout:
        if proc.poll() is not None:
            raise _EarlyExit(f"udata server exited with code {proc.returncode}")
        if state_file.exists():
            # Written by rename, so it is complete whenever it exists.
            state: dict[str, Any] = json.loads(state_file.read_text())
            if _http_ok(f"{state['api_url']}/site/"):
                return state
        time.sleep(0.2)
    raise TimeoutError(f"udata server not ready after {timeout:.0f}s")


@contextlib.contextmanager
def run_udata_server(
    python: Path, workdir: Path, schema_catalog_url: str | None = None, attempts: int = 3
) -> Iterator[dict[str, Any]]:
    """Start udata_server.py, wait until its API answers, yield its state, stop it.

    Retries on a fresh port when the process dies early (e.g. it lost the race for the port
    `free_port` picked).
    """
    timeout = float(os.environ.get("UDATA_STARTUP_TIMEOUT", "120"))
    last_error = ""
    for attempt in range(1, attempts + 1):
        port = free_port()
        state_file = workdir / f"state-{attempt}.json"
        log_path = workdir / f"udata-{attempt}.log"
        cmd = [
            str(python),
            str(SERVER_SCRIPT),
            *("--port", str(port)),
            *("--fs-root", str(workdir / f"fs-{attempt}")),
            *("--state-file", str(state_file)),
        ]
        if schema_catalog_url:
            cmd += ["--schema-catalog-url", schema_catalog_url]
        # udata calls back into 127.0.0.1 (schema catalog); never via a proxy.
        env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
        started = time.monotonic()
        with open(log_path, "wb") as log:
            # Own session: a Ctrl-C in the pytest terminal must not reach the server before the
            # fixture's teardown does.
            proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workdir,
                start_new_session=True,
            )  # fmt: skip
        try:
            state = _wait_ready(proc, state_file, started, timeout)
        except _EarlyExit as exc:
            last_error = f"{exc}\n{_log_tail(log_path)}"
            continue
        except BaseException:  # incl. Ctrl-C: never leave the server behind
            stop_process(proc)
            raise RuntimeError(f"udata server not ready:\n{_log_tail(log_path)}") from None
        state.update(
            server_pid=proc.pid,
            startup_seconds=round(time.monotonic() - started, 2),
            log_file=str(log_path),
            fs_root=str(workdir / f"fs-{attempt}"),
        )
        try:
            yield state
        finally:
            stop_process(proc)
        return
    raise RuntimeError(f"udata server exited early {attempts} times; last:\n{last_error}")


@pytest.fixture(scope="session")
def udata_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A running udata on 127.0.0.1, shared by the whole session.

    Yields the state file's dict: api_url, api_key (user A, admin of the organization),
    outsider_api_key (user B, no membership), organization_id, organization_slug, plus
    server_pid, startup_seconds, log_file, fs_root and schema_catalog_url.
    """
    python = udata_python()
    if not python.exists():
        pytest.skip(f"no udata virtual environment at {python.parent.parent}: run `make udata`")
    if not SCHEMA_CATALOG.is_file():
        pytest.skip(f"no schema catalog at {SCHEMA_CATALOG} (shared/ beside the project)")
    workdir = tmp_path_factory.mktemp("udata")
    with serve_file_dir(SCHEMA_CATALOG.parent) as base:
        catalog_url = f"{base}/{SCHEMA_CATALOG.name}"
        with run_udata_server(python, workdir, catalog_url) as state:
            state["schema_catalog_url"] = catalog_url
            yield state
