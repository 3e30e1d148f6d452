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

from lxml import etree
from lxml.html import HtmlElement

from dateline.clipping._parse import detach_keeping_tail

_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
# Names the common consent managers and cookie banners give their containers.
_CONSENT_NAMES = (
    "onetrust",
    "cookiebot",
    "cookieconsent",
    "cookie-consent",
    "cookie_consent",
    "cookie-banner",
    "cookie_banner",
    "cookie-notice",
    "cookie_notice",
    "cookie-law",
    "cookie-bar",
    "consent-banner",
    "consent-manager",
    "gdpr",
)
_NAMED = " or ".join(
    f"contains({_LOWER.format(attribute)}, '{name}')"
    for attribute in ("@id", "@class")
    for name in _CONSENT_NAMES
)
_OVERLAYS = etree.XPath(f"//body//*[{_NAMED}]")


def drop_overlays(tree: HtmlElement) -> None:
    """Remove every dialog and consent banner from `tree`, keeping the text after each."""
    for element in _OVERLAYS(tree):  # under <body>, so each has a parent
        detach_keeping_tail(element)
