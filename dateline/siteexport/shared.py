"""The sidebar as one file every mirrored page includes, so one post's change rewrites one
file, not every page.

The sidebar's widgets (labels with their counts, the archive by month, the pages) are the
same on every page and move with every publish. The mirror's pages carry an SSI line in
their place, which nginx (`ssi on;`, deploy/nginx.conf) replaces with the shared file
before the page leaves: the reader gets the same bytes the live server answers, the
sidebar in the HTML, no script needed. The file lives under a dot folder, which no
mirrored URL uses, and nginx serves it only to its own includes (`internal`).

A host that serves files as they are (a CDN, a static-only host) runs no SSI:
`DATELINE_STATIC_MIRROR_SSI=false` embeds the sidebar in every page again, and then a
change to it rebuilds every page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from dateline.serving.sidebar import shown_instead, sidebar_html

SIDEBAR_URL = "/.dateline/sidebar.html"
SIDEBAR_FILE = SIDEBAR_URL.lstrip("/")
INCLUDE = f'<!--# include virtual="{SIDEBAR_URL}" -->'
_INCLUDE = INCLUDE.encode()
_SSI = b"<!--#"


def enabled() -> bool:
    return bool(settings.DATELINE_STATIC_MIRROR_SSI)


@contextmanager
def including() -> Iterator[None]:
    """Pages rendered in this block name the shared sidebar instead of embedding it."""
    if not enabled():
        yield
        return
    with shown_instead(INCLUDE):
        yield


def sidebar_bytes() -> bytes:
    """The shared file: the widgets exactly as a live page embeds them."""
    return str(sidebar_html()).encode()


def foreign_directive(body: bytes) -> bool:
    """Whether a page holds an SSI command other than the sidebar's own include. Stored
    HTML loses its comments (core.sanitize), so none should; a page that did would have
    nginx run it, so it stays on the live server instead."""
    return _SSI in body.replace(_INCLUDE, b"")


def expand(body: bytes, sidebar: bytes) -> bytes:
    """A mirrored file as nginx sends it: the include replaced by the shared file."""
    return body.replace(_INCLUDE, sidebar)


def served(root: Path, name: str) -> bytes:
    """What a reader gets for the mirror's file `name` (tests compare it with the live site)."""
    body = (root / name).read_bytes()
    if _INCLUDE not in body:
        return body
    return expand(body, (root / SIDEBAR_FILE).read_bytes())
