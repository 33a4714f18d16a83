"""A real HTTP server on 127.0.0.1 for the tests: the only kind of peer a test talks to.

`serve` gives a path a fixed answer (with scripted failures, delays, truncation, ETag);
`respond` hands every request under a path to a function, for fakes of an API (udata, the
service directory, Overpass) that answer from their own state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers on one path.

    `failures` answers `failure_status` (500) that many times first, with `Retry-After:
    retry_after` when set; `truncate_at` sends a full Content-Length but only that many bytes,
    then closes; `delay` waits before answering (for time-outs); `etag` enables conditional
    requests (304); `headers` are added to the answer (a redirect's `Location`)."""

    body: bytes
    status: int = 200
    content_type: str = "application/octet-stream"
    failures: int = 0
    failure_status: int = 500
    retry_after: str | None = None
    truncate_at: int | None = None
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hits: int = 0
    hit_times: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Request:
    """One request as a responder sees it (`path` with its query string)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    """A responder's answer; `delay` waits before sending it."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Callable[[Request], Answer]


@dataclass
class LocalServer:
    """`requests`: (path, headers) of every GET; `posts`: (path, body) of every POST, answered
    by the route's status (200 when the path has no route), e.g. a chat webhook."""

    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    responders: dict[str, Responder] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    posts: list[tuple[str, bytes]] = field(default_factory=list)

    def serve(self, path: str, body: bytes, **options: object) -> str:
        self.routes[path] = Route(body=body, **options)  # type: ignore[arg-type]
        return self.url + path

    def respond(self, prefix: str, responder: Responder) -> str:
        """Every request (any method) whose path starts with `prefix` goes to `responder`."""
        self.responders[prefix] = responder
        return self.url + prefix

    def responder_for(self, path: str) -> Responder | None:
        matching = [prefix for prefix in self.responders if path.startswith(prefix)]
        return self.responders[max(matching, key=len)] if matching else None


def _handler(server_state: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def handle_any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.command == "GET":
                server_state.requests.append((self.path, dict(self.headers)))
            responder = server_state.responder_for(self.path)
            if responder is not None:
                request = Request(self.command, self.path, dict(self.headers), body)
                self.send(responder(request))
            elif self.command == "GET":
                self.send_route(server_state.routes.get(self.path))
            else:
                server_state.posts.append((self.path, body))
                route = server_state.routes.get(self.path)
                self.send(Answer(route.status if route else 200, b"ok", "text/plain"))

        do_GET = do_POST = do_PUT = handle_any

        def send(self, answer: Answer) -> None:
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)

        def send_route(self, route: Route | None) -> None:
            if route is None:
                self.send_error(404)
                return
            route.hits += 1
            route.hit_times.append(time.monotonic())
            if route.delay:
                time.sleep(route.delay)
            if route.failures > 0:
                route.failures -= 1
                retry_after = {"Retry-After": route.retry_after} if route.retry_after else {}
                self.send(Answer(route.failure_status, headers=retry_after))
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
