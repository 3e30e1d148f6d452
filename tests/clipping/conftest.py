"""A real HTTP server on 127.0.0.1 and a record of every socket connection attempt.

Connections are observed with the interpreter's `socket.connect` audit event,
not with mocks, so "refused before any connection" is a fact about sockets.
"""

from __future__ import annotations

import contextlib
import gzip
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dateline.clipping.fetch import PAGE_POLICY, FetchPolicy

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (FIXTURES / "article.html").read_bytes()
LATIN1 = "<p>caf\xe9</p>".encode("latin-1")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

_connects: list[tuple[object, ...]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect" and _connects is not None:
        _connects.append(args[1] if isinstance(args[1], tuple) else (args[1],))


sys.addaudithook(_audit)  # hooks cannot be removed; it records only while a test listens


@pytest.fixture
def connections() -> Iterator[list[tuple[object, ...]]]:
    """Every (host, port, ...) this process tries to connect a socket to during the test."""
    global _connects
    _connects = []
    try:
        yield _connects
    finally:
        _connects = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers)))  # type: ignore[attr-defined]
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            return self._send(404, "text/html", b"<p>nothing here</p>")
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)  # the client may hang up on purpose (size or time cap)

    def _send(self, status: int, ctype: str | None, body: bytes, **headers: str) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self._send(status, "text/html", b"", Location=location)


def _article(h: _Handler) -> None:
    h._send(200, "text/html; charset=utf-8", ARTICLE)


def _chain(steps: int) -> Callable[[_Handler], None]:
    def route(h: _Handler) -> None:
        h.redirect(f"/hop/{steps - 1}" if steps > 1 else "/article")

    return route


def _slow(h: _Handler) -> None:
    time.sleep(3)
    h._send(200, "text/html", ARTICLE)


def _trickle(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(60):  # one byte every 50 ms: every single read is quick, the whole is not
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.05)


def _huge_declared(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(50_000_000))
    h.end_headers()
    h.wfile.write(b"<p>" + b"a" * 1000)


def _huge_undeclared(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Connection", "close")
    h.end_headers()
    for _ in range(200):
        h.wfile.write(b"<p>" + b"a" * 10_000 + b"</p>")
    h.close_connection = True


def _gzip_bomb(h: _Handler) -> None:
    h._send(200, "text/html", gzip.compress(b" " * 20_000_000), Content_Encoding="gzip")


def _gzipped(h: _Handler) -> None:
    h._send(200, "text/html; charset=utf-8", gzip.compress(ARTICLE), Content_Encoding="gzip")


def _headers(h: _Handler) -> None:
    lines = [f"<p>{k}: {v}</p>" for k, v in h.headers.items()]
    h._send(200, "text/html", "\n".join(lines).encode())


ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/article": _article,
    "/latin1": lambda h: h._send(
        200, "text/html; charset=ISO-8859-1", "<p>caf\xe9</p>".encode("latin-1")
    ),
    "/xhtml": lambda h: h._send(200, "application/xhtml+xml", ARTICLE),
    "/image.png": lambda h: h._send(200, "image/png", PNG),
    "/no-type": lambda h: h._send(200, None, ARTICLE),
    "/gone": lambda h: h._send(410, "text/html", b"gone"),
    "/broken": lambda h: h._send(500, "text/html", b"oops"),
    "/forbidden": lambda h: h._send(403, "text/html", b"no"),
    "/relative": lambda h: h.redirect("article", 301),
    "/loop": lambda h: h.redirect("/loop"),
    "/to-metadata": lambda h: h.redirect("http://169.254.169.254/latest/meta-data/"),
    "/to-private": lambda h: h.redirect("http://10.1.2.3:8080/admin"),
    "/to-file": lambda h: h.redirect("file:///etc/passwd"),
    "/no-location": lambda h: h._send(302, "text/html", b"moved somewhere"),
    "/slow": _slow,
    "/trickle": _trickle,
    "/huge-declared": _huge_declared,
    "/huge-undeclared": _huge_undeclared,
    "/gzip-bomb": _gzip_bomb,
    "/gzipped": _gzipped,
    "/headers": _headers,
    **{f"/hop/{n}": _chain(n) for n in range(1, 10)},
}


@dataclass
class LocalServer:
    host: str
    port: int
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


@pytest.fixture(scope="session")
def _server() -> Iterator[tuple[ThreadingHTTPServer, LocalServer]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    info = LocalServer("127.0.0.1", httpd.server_address[1])
    httpd.requests = info.requests  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, info
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(_server: tuple[ThreadingHTTPServer, LocalServer]) -> LocalServer:
    info = _server[1]
    info.requests.clear()
    return info


@pytest.fixture
def local_policy(server: LocalServer) -> FetchPolicy:
    """The only policy that may reach 127.0.0.1, and only on the test server's port."""
    ports = frozenset({*PAGE_POLICY.allowed_ports, server.port})
    return replace(PAGE_POLICY, allow_loopback=True, allowed_ports=ports, total_timeout=5.0)
