"""A real HTTP server on 127.0.0.1 for the tests: the only kind of peer a test talks to."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers on one path.

    `failures` answers 500 that many times first; `truncate_at` sends a full Content-Length but
    only that many bytes, then closes; `delay` waits before answering (for time-outs); `etag`
    enables conditional requests (304); `headers` are added to the answer (a redirect's
    `Location`)."""

    body: bytes
    status: int = 200
    content_type: str = "application/octet-stream"
    failures: int = 0
    truncate_at: int | None = None
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hits: int = 0


@dataclass
class LocalServer:
    """`requests`: (path, headers) of every GET; `posts`: (path, body) of every POST, answered
    by the route's status (200 when the path has no route), e.g. a chat webhook."""

    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    posts: list[tuple[str, bytes]] = field(default_factory=list)

    def serve(self, path: str, body: bytes, **options: object) -> str:
        self.routes[path] = Route(body=body, **options)  # type: ignore[arg-type]
        return self.url + path


def _handler(server_state: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:
            server_state.requests.append((self.path, dict(self.headers)))
            route = server_state.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            route.hits += 1
            if route.delay:
                time.sleep(route.delay)
            if route.failures > 0:
                route.failures -= 1
                self.send_error(500)
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if route.truncate_at is not None:
                self.wfile.write(route.body[: route.truncate_at])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(route.body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            server_state.posts.append((self.path, body))
            route = server_state.routes.get(self.path)
            status = route.status if route else 200
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that timed out closes its end: the broken pipe is the point of the test.
        pass


@contextmanager
def local_server() -> Iterator[LocalServer]:
    state = LocalServer(url="")
    httpd = _QuietServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # A short poll interval: shutdown() waits for it, at the end of every test.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
