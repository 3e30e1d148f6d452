"""The local web every link-check test uses, and settings that let the checker reach it
through DATELINE_FETCH_ALLOW (not the clipping tests' loopback switch)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sources import web
from tests.sources.web import ARTICLE, BOT_WALL, HOME, PARKED, SORRY, Site


@pytest.fixture
def checking_settings(settings) -> None:
    settings.DATELINE_CLIP_ALLOW_LOOPBACK = False
    settings.DATELINE_FETCH_ALLOW = "127.0.0.0/8"
    settings.DATELINE_SOURCE_HOST_INTERVAL = 0
    settings.DATELINE_SOURCE_CHECK_TIMEOUT = 1
    settings.DATELINE_WAYBACK_URL = "off"


@pytest.fixture(scope="session")
def news() -> Iterator[Site]:
    """A news site whose stories answer in every way a dying one does."""
    site = Site(
        {
            "/": web.page(HOME),
            "/story": web.page(ARTICLE),
            "/deleted": web.NOT_FOUND,
            "/removed": web.page(b"<p>gone</p>", 410),
            "/old-story": web.redirect("/"),
            "/old-report": web.redirect("/errors/not-found.html"),
            "/errors/not-found.html": web.page(b"<p>Sorry</p>"),
            "/moved": web.redirect("/2009/moved-story"),
            "/2009/moved-story": web.page(ARTICLE),
            "/www-only": web.redirect("/www-only/"),
            "/www-only/": web.page(ARTICLE),
            "/walled": web.page(BOT_WALL, 403),
            "/rate-limited": web.page(b"<p>slow down</p>", 429),
            "/challenge": web.page(BOT_WALL, 503),
            "/flapping": web.flapping(503, 200, 503, 503, 200),
            "/broken": web.page(b"<p>oops</p>", 500),
            "/slow": web.slow(2.5),
            "/no-head": web.head_refused,
            "/private/story": web.page(ARTICLE),
            "/robots.txt": web.page(b"User-agent: *\nDisallow: /private/\n", ctype="text/plain"),
        }
    )
    yield site
    site.close()


@pytest.fixture(scope="session")
def soft_site() -> Iterator[Site]:
    """A site that answers every missing path with 200 and its "sorry" page."""
    site = Site({"/story": web.page(ARTICLE), "/lost": web.page(SORRY)}, web.page(SORRY))
    yield site
    site.close()


@pytest.fixture(scope="session")
def parked_site() -> Iterator[Site]:
    """A lapsed domain: every path is the registrar's parking page."""
    site = Site({}, web.page(PARKED))
    yield site
    site.close()


@pytest.fixture
def refused_url() -> str:
    """An address on loopback where nothing listens (connection refused)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.19", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.19:{port}/story"
