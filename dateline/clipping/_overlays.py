"""Cookie consent banners, which a page lays over its content.

They are written into the HTML like content and often hold more prose than a short
post (a consent manager's purposes run to hundreds of words), so trafilatura can take
one for the article, or keep it beside a forum thread's posts. A reader never reads
them as the page; they go before any pass runs. They are known by the names consent
managers give their containers: every modal dialog (`aria-modal`, `<dialog>`) was
tried too, but shops put their product details and menus in such drawers, and taking
them out changed trafilatura's reading of the rest for the worse.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from dateline.clipping._parse import detach_keeping_tail

# Names the common consent managers and cookie banners give their containers.
_CONSENT = re.compile(
    r"onetrust|cookiebot|cookie-?consent|cookie_consent|cookie[-_](banner|notice|law|bar)"
    r"|consent-(banner|manager)|gdpr",
    re.I,
)
# The ids and classes that could match, found in C by a part every spelling shares
# ("Cookie", "cookie"); the pattern then runs on those few alone.
_NAMES = etree.XPath(
    "(//body//*/@id | //body//*/@class)[contains(., 'ookie') or contains(., 'onsent')"
    " or contains(., 'netrust') or contains(., 'neTrust') or contains(., 'gdpr')"
    " or contains(., 'GDPR')]"
)


def drop_overlays(tree: HtmlElement) -> None:
    """Remove every consent banner from `tree`, keeping the text after each."""
    banners = {name.getparent(): None for name in _NAMES(tree) if _CONSENT.search(name)}
    for element in banners:  # under <body>, so each has a parent
        if not _holds_content(element):
            detach_keeping_tail(element)


def _holds_content(element: etree._Element) -> bool:
    """A wrapper around the page that says a banner is shown (`class="has-cookie-bar"`)."""
    return next(element.iterdescendants("main", "article", "h1"), None) is not None
