"""A small local web for link checks: each site is a real HTTP server on its own
loopback address (127.0.0.N), so hosts are distinct as on the internet, with routes
that answer as dying news sites do."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ARTICLE = (
    b"<!DOCTYPE html><html><head><title>Rope ferry back in service</title></head><body>"
    b"<article><h1>Rope ferry back in service</h1><p>The valley village brought its rope "
    b"ferry back after two years; the crossing takes four minutes.</p></article></body></html>"
)
SORRY = (
    b"<!DOCTYPE html><html><head><title>Valley News</title></head><body><h1>Sorry</h1>"
    b"<p>We could not find what you were looking for. Try our front page.</p></body></html>"
)
PARKED = (
    b"<!DOCTYPE html><html><head><title>valley-news.example</title></head><body>"
    b"<p>This domain is for sale! Buy this domain today.</p><p>Related searches</p></body></html>"
)
BOT_WALL = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<div id='challenge-platform'>Checking your browser</div></body></html>"
)
HOME = b"<!DOCTYPE html><html><head><title>Front page</title></head><body>News</body></html>"

Handler = Callable[["_Handler"], None]
_addresses = itertools.count(20)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def _answer(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        site.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
        route = site.routes.get(path, site.fallback)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html", **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def page(body: bytes, status: int = 200, ctype: str = "text/html; charset=utf-8") -> Handler:
    return lambda h: h.send(status, body, ctype)


def redirect(location: str, status: int = 301) -> Handler:
    return lambda h: h.send(status, b"", Location=location)


def flapping(*statuses: int) -> Handler:
    """Answers each request (HEAD or GET) with the next status in turn."""
    turn = itertools.cycle(statuses)

    def route(h: _Handler) -> None:
        status = next(turn)
        h.send(status, ARTICLE if status == 200 else b"<p>busy</p>")

    return route


def head_refused(h: _Handler) -> None:
    """A server that answers HEAD with 405 but GET with the page."""
    if h.command == "HEAD":
        h.send(405, b"")
    else:
        h.send(200, ARTICLE)


def slow(seconds: float) -> Handler:
    def route(h: _Handler) -> None:
        time.sleep(seconds)
        h.send(200, ARTICLE)

    return route


NOT_FOUND = page(b"<p>nothing here</p>", 404)


class Site:
    """One host: a ThreadingHTTPServer on 127.0.0.N with its own routes."""

    def __init__(
        self,
        routes: dict[str, Handler] | None = None,
        fallback: Handler = NOT_FOUND,
        ip: str | None = None,
    ):
        self.ip = ip or f"127.0.0.{next(_addresses)}"
        self.routes: dict[str, Handler] = dict(routes or {})
        self.fallback = fallback
        self.requests: list[tuple[str, str, str]] = []
        self.httpd = ThreadingHTTPServer((self.ip, 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.site = self  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://{self.ip}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def wayback_stand_in(copies: dict[str, str]) -> Site:
    """The availability API: {"archived_snapshots": {"closest": …}} for the URLs in
    `copies` (URL → the copy's address), an empty answer for any other."""

    def available(h: _Handler) -> None:
        query = parse_qs(urlsplit(h.path).query)
        url = query.get("url", [""])[0]
        snapshots = {}
        if url in copies:
            stamp = query.get("timestamp", ["20070101"])[0]
            snapshots = {"closest": {"available": True, "url": copies[url],
                                     "timestamp": stamp, "status": "200"}}  # fmt: skip
        body = json.dumps({"url": url, "archived_snapshots": snapshots}).encode()
        h.send(200, body, "application/json")

    return Site({"/wayback/available": available})
