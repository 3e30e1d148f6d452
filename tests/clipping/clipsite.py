"""A small news site on the tests' 127.0.0.1 server, and settings that let clips reach it.

The pages are our own prose shaped like a news story (lead image and caption,
subheadings, a block quote, a list, a second figure); the images are real PNGs.
Import `news_site_fixture` and `clip_storage_fixture` into a test module to use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clipping.conftest import ROUTES, LocalServer
from tests.conftest import png_bytes

FERRY = (Path(__file__).parent / "fixtures" / "rope-ferry.html").read_bytes()
FERRY_TITLE = "Valley village brings its rope ferry back into service"
LEAD_PNG = png_bytes((200, 120, 40))
CROSSING_PNG = png_bytes((20, 140, 90))


def _page(body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200):
    return lambda h: h._send(status, ctype, body)


def _huge_png(h) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "image/png")
    h.send_header("Content-Length", str(50_000_000))
    h.end_headers()
    h.wfile.write(LEAD_PNG)


SITE = {
    "/stories/rope-ferry": _page(FERRY),
    "/stories/rope-ferry-again": _page(FERRY),
    "/img/ferry-morning.png": _page(LEAD_PNG, "image/png"),
    "/img/ferry-crossing.png": _page(CROSSING_PNG, "image/png"),
    "/stories/empty": _page((Path(__file__).parent / "fixtures" / "no-article.html").read_bytes()),
    "/stories/huge-image": _page(
        FERRY.replace(b"/img/ferry-crossing.png", b"/img/huge.png"), "text/html"
    ),
    "/img/huge.png": _huge_png,
}


@pytest.fixture(name="news_site")
def news_site_fixture(server: LocalServer) -> Iterator[LocalServer]:
    """The test server, also serving SITE's pages for the duration of one test."""
    ROUTES.update(SITE)
    try:
        yield server
    finally:
        for path in SITE:
            ROUTES.pop(path, None)


@pytest.fixture(name="clip_storage")
def clip_storage_fixture(settings, tmp_path: Path, server: LocalServer) -> Path:
    """Media and snapshots in this test's own directory; clips may reach the test server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SNAPSHOT_ROOT = tmp_path / "snapshots"
    settings.DATELINE_CLIP_TEST_PORTS = (server.port,)
    settings.DATELINE_CLIP_TIMEOUT = 5
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    """Every file under media and snapshots (what a failed clip must not leave)."""
    return sorted(p for p in root.rglob("*") if p.is_file())
