"""A real Redis server on 127.0.0.1 for the tests (Debian's redis-server): the Celery broker.

Memory only (no snapshot, no append-only file), stopped afterwards. A server that cannot start
is an error, never a skip (`make servers` installs the package).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cle_pipeline_tests.postgres_server import free_port

START_SECONDS = 30


def answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def redis_server() -> Iterator[str]:
    """The server's URL, `redis://127.0.0.1:<port>`."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).is_file():
        raise RuntimeError(
            "redis-server not found: `make servers` installs Debian's redis-server (as root)"
        )
    folder = Path(tempfile.mkdtemp(prefix="cle-redis-"))
    port = free_port()
    log = folder / "redis.log"
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--logfile", str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + START_SECONDS
        while not answers_ping(port):
            if server.poll() is not None or time.monotonic() > deadline:
                output = log.read_text(errors="replace") if log.exists() else ""
                raise RuntimeError(f"redis-server did not start on port {port}:\n{output[-2000:]}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)
