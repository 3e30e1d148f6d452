"""What a page's address and text say about it: a home page, a not-found page, a parked
domain, a bot wall. Pure functions over strings, so each sign is tested on its own."""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

_NOT_FOUND_URL = re.compile(r"(?<![0-9])404(?![0-9])|not[-_]?found|page[-_]?missing|error[-_]?page")
_NOT_FOUND_TITLE = re.compile(
    r"\b404\b|not found|page (?:does not|doesn't) exist|no longer available|page missing", re.I
)
_PARKED = re.compile(
    r"this domain (?:name )?(?:is|may be) for sale|buy this domain|domain is parked|"
    r"parked (?:free|domain)|sedoparking|parkingcrew|bodis\.com|domain has expired|"
    r"hugedomains|afternic|dan\.com/buy-domain",
    re.I,
)
_PARKING_HOSTS = ("sedo.com", "dan.com", "afternic.com", "hugedomains.com", "parkingcrew.net")
_BOT_WALL = re.compile(
    r"cf-(?:browser-verification|challenge|chl-)|challenge-platform|just a moment\.\.\.|"
    r"attention required! \| cloudflare|are you a robot|verify you are (?:a )?human|"
    r"enable javascript and cookies to continue|ddos-guard|captcha-delivery",
    re.I,
)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.I | re.S)
SIMILAR = 0.9  # text ratio above which a page is "the same page" as the host's not-found one


def is_home(original: str, final: str) -> bool:
    """Sent from a story to the site's front page: the story is gone."""
    was, now = urlsplit(original), urlsplit(final)
    return was.path.strip("/") != "" and now.path.strip("/") in ("", "index.html", "index.php")


def looks_not_found_url(url: str) -> bool:
    """An address that says "404" or "not found" (a redirect to the site's error page)."""
    parts = urlsplit(url)
    return bool(_NOT_FOUND_URL.search(f"{parts.path}?{parts.query}".lower()))


def is_parking_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in _PARKING_HOSTS)


def title_of(body: bytes) -> str:
    found = _TITLE.search(body[:200_000])
    return " ".join(found.group(1).decode("utf-8", "replace").split()) if found else ""


def text_of(body: bytes, limit: int = 20_000) -> str:
    """The words of a page, tags and scripts removed, for comparing two pages."""
    html = body[:200_000].decode("utf-8", "replace")
    return " ".join(_TAGS.sub(" ", html).split())[:limit]


def is_parked(body: bytes) -> bool:
    return bool(_PARKED.search(body[:200_000].decode("utf-8", "replace")))


def is_bot_wall(body: bytes) -> bool:
    return bool(_BOT_WALL.search(body[:200_000].decode("utf-8", "replace")))


def says_not_found(body: bytes) -> bool:
    """A page whose title says it was not found, whatever its status."""
    return bool(_NOT_FOUND_TITLE.search(title_of(body)))


def same_page(text: str, other: str, noise: str = "") -> bool:
    """Whether two page texts are the same page (the not-found page names the missing path,
    so `noise`, that path, is taken out of both first)."""
    if noise:
        text, other = text.replace(noise, ""), other.replace(noise, "")
    if not text and not other:
        return True
    matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
    return matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR
