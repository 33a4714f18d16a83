"""A real PostgreSQL server on 127.0.0.1 for the tests: Debian's binaries, a throw-away cluster.

The server refuses to run as root, and CI runs as root: there `initdb` and `pg_ctl` run as the
`postgres` system user that Debian's package creates, through `runuser`. As any other user they
run as that user. A server that cannot start is an error, never a skip (`make servers`
installs the package).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

DEBIAN_BINARIES = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"  # created by Debian's postgresql-common
START_SECONDS = 60


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    database: str

    def environment(self) -> dict[str, str]:
        """The variables `deploy/dagster.postgres.yaml` reads."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USER": self.user,
            "DAGSTER_PG_PASSWORD": self.password,
            "DAGSTER_PG_DB": self.database,
        }

    def connect(self, database: str | None = None):
        import psycopg2  # dagster-postgres's driver

        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=database or self.database,
        )

    def with_new_database(self, database: str) -> PostgresServer:
        """The same server with one more empty database: one per test, so tests sharing a
        server see nothing of each other."""
        connection = self.connect("postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{database}"')
        finally:
            connection.close()
        return replace(self, database=database)

    def query(self, sql: str) -> list[tuple]:
        connection = self.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin_dir() -> Path:
    """Debian installs the server beside its major version, off the PATH: the newest one."""
    versions = sorted(
        (path for path in DEBIAN_BINARIES.glob("*/bin") if (path / "initdb").is_file()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError(
            "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb): "
            "`make servers` installs Debian's postgresql package (as root)"
        )
    return Path(initdb).parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError as error:
        raise RuntimeError(
            f"running as root and no {SERVER_USER!r} system user to run PostgreSQL as: "
            "`make servers` installs Debian's postgresql package, which creates it"
        ) from error
    return ["runuser", "-u", SERVER_USER, "--", *command]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, timeout=START_SECONDS
    )
    if done.returncode != 0:
        raise RuntimeError(f"PostgreSQL {what} failed ({done.returncode}): {done.stderr.strip()}")


@contextmanager
def postgres_server(database: str = "dagster") -> Iterator[PostgresServer]:
    """A fresh cluster in a temporary folder, listening on 127.0.0.1 only, with password
    authentication (scram-sha-256) and one empty database; stopped and deleted afterwards."""
    binaries = postgres_bin_dir()
    # Not pytest's tmp_path: its parent is private to the user running the tests (root), and
    # the server user must reach its data folder.
    root = Path(tempfile.mkdtemp(prefix="cle-postgres-"))
    user, password, port = "cle", "cle-test-password", free_port()
    (root / "password").write_text(password + "\n")
    if os.geteuid() == 0:
        server_user = pwd.getpwnam(SERVER_USER)
        for path in (root, root / "password"):
            os.chown(path, server_user.pw_uid, server_user.pw_gid)
    data, log = root / "data", root / "server.log"
    try:
        _run(
            [
                str(binaries / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                user,
                "--pwfile",
                str(root / "password"),
                "--auth",
                "scram-sha-256",
                "--encoding",
                "UTF8",
                "--no-sync",
            ],
            "initdb",
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
        try:
            _run(
                [str(binaries / "pg_ctl"), "start", "--wait", "--timeout", str(START_SECONDS),
                 "--pgdata", str(data), "--log", str(log), "--options", options],
                "pg_ctl start",
            )  # fmt: skip
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{_tail(log)}") from error
        server = PostgresServer("127.0.0.1", port, user, password, "postgres")
        yield server.with_new_database(database)
    finally:
        if (data / "postmaster.pid").exists():
            _run(
                [str(binaries / "pg_ctl"), "stop", "--pgdata", str(data), "--mode", "immediate"],
                "pg_ctl stop",
            )
        shutil.rmtree(root, ignore_errors=True)


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no server log at {log})"
