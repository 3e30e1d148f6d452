"""HTML → lxml tree, as a browser would build it where libxml2 does not.

libxml2 parses HTML 4 with its own error recovery. Where a page's markup is broken in
a way HTML5 recovers from differently, the two trees can differ in what matters most:
`<button><div>…<div></button>` is closed at `</button>` by a browser, but libxml2
keeps the button open, so everything after it, `<main>` included, ends up inside the
button (and the page header around it), which extraction throws away as page chrome.
Such a page is parsed again with an HTML5 parser (lexbor, through selectolax), whose
output libxml2 then reads back faithfully. Some pages do put `<main>` inside their
header's `<nav>` even in a browser's tree; the main part is then lifted out of it.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    fromstring,
)
from selectolax.lexbor import LexborHTMLParser
from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html

# trafilatura's parser settings (trafilatura.utils.HTML_PARSER), with one change:
# lxml.html picks each element's Python class in a Python callback, run every time
# lxml hands an element to Python (a few thousand times a page, by trafilatura and
# by us), which showed in a clip's profile. Every element here is a plain HtmlElement,
# chosen in C; the form-field classes it gives up are used by neither.
_PARSER = etree.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=HtmlComment,
        pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )
)
# Page chrome that extraction prunes; a main part inside it is lost with it.
_CHROME = ("header", "nav", "footer", "aside", "button")
# In a browser's tree a button holds no main part or article, nor does a link.
_NEVER_AROUND = {"main": {*_CHROME, "a"}, "article": {"button", "a"}}


def load_html(html: str | bytes) -> HtmlElement | None:
    """The page's tree: `trafilatura.utils.load_html` with our parser, then repaired.

    The same decoding, repairs and checks as trafilatura; None when it is no HTML page.
    """
    text = decode_file(html)
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    tree = _libxml2_tree(text)
    if tree is not None and dubious and len(tree) < 2:
        return None  # not an HTML page (trafilatura's own test)
    if tree is None:
        return None
    landmarks = list(tree.iter("main", "article"))  # one walk of the tree serves both checks
    if any(_misnested(landmark) for landmark in landmarks):
        reparsed = _html5_tree(text)
        if reparsed is not None:
            tree, landmarks = reparsed, list(reparsed.iter("main", "article"))
    _lift_mains([landmark for landmark in landmarks if landmark.tag == "main"])
    return tree


def _misnested(landmark: HtmlElement) -> bool:
    never = _NEVER_AROUND[landmark.tag]
    return any(ancestor.tag in never for ancestor in landmark.iterancestors())


def _libxml2_tree(text: str) -> HtmlElement | None:
    tree: HtmlElement | None
    retried = False
    try:
        tree = fromstring(text, parser=_PARSER)
    except ValueError:  # a str that declares its encoding: lxml wants bytes
        tree, retried = _from_bytes(text), True
    except Exception:  # libxml2 gave up on the text; the bytes may still parse
        tree = None
    if (tree is None or len(tree) < 1) and not retried:
        tree = _from_bytes(text)
    return tree


def _from_bytes(text: str) -> HtmlElement | None:
    try:
        return fromstring(text.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:
        return None


def _html5_tree(text: str) -> HtmlElement | None:
    """The tree a browser builds, read back by libxml2 from lexbor's serialisation."""
    serialized = LexborHTMLParser(text).html
    return _from_bytes(serialized) if serialized else None


def lift_main_out_of_chrome(tree: HtmlElement) -> None:
    """Move each `<main>` inside header, nav, footer, aside or button to just after it."""
    _lift_mains(list(tree.iter("main")))


def _lift_mains(mains: list[HtmlElement]) -> None:
    for main in mains:
        chrome = list(main.iterancestors(*_CHROME))
        if chrome:  # an earlier move may have taken this one out already
            detach_keeping_tail(main)
            chrome[-1].addnext(main)


def detach_keeping_tail(element: etree._Element) -> None:
    """lxml's remove() takes the tail text with the element; that text stays in place."""
    parent = element.getparent()
    tail, element.tail = element.tail, None
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
