"""Comment bodies from exports (HTML of a sort) → the plain text our Comment stores.

Comment.body is text that `render_comment` turns into paragraphs and links,
so an imported body keeps its words, paragraphs, line breaks and link targets
but no markup. Bodies without block markup keep their newlines (WordPress
stores comments that way and adds paragraphs only on display). Converting
the text back with `render_comment` and then here gives the same text, so
exports (which write rendered HTML) round-trip.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import unquote

from django.utils.html import linebreaks, urlize
from lxml import etree

from dateline.core.sanitize import sanitize_comment_html

BLOCK_TAGS = frozenset(
    {"p", "div", "blockquote", "li", "ul", "ol", "pre", "table", "tr", "h1", "h2", "h3", "h4",
     "h5", "h6", "hr", "dl", "dt", "dd"}
)  # fmt: skip
_HAS_BREAKS = re.compile(r"<(?:p|br|div|blockquote|li)\b", re.IGNORECASE)
# Text with nothing for a parser to do but line breaks (most exported comments): no other
# tag, no entity, no CR, nothing `strip_control_chars` removes.
_PLAIN = re.compile(
    r"[^<&\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]*"
    r"(?:<[bB][rR][ \t\n]*/?>[^<&\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]*)*"
)
_BR = re.compile(r"<[bB][rR][ \t\n]*/?>")
_LINKISH = re.compile(r"""(?<![^\s<>"'])[^\s<>"'.@:]*[.@:][^\s<>"']*""")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_PARAGRAPH_GAP = re.compile(r"\n{3,}")
PARAGRAPH = "\n\n"


def _bare(url: str) -> str:
    return _SCHEME.sub("", unquote(url.strip())).removeprefix("mailto:").rstrip("/")


def link_text(text: str, href: str) -> str:
    """A link as text: its words, and its target when the words do not already say it."""
    text, href = text.strip(), (href or "").strip()
    if not href or _bare(text) == _bare(href):
        return text
    if not text:
        return href
    return f"{text} ({href})"


class _Flattener:
    def __init__(self, keep_newlines: bool) -> None:
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []

    def text(self, value: str | None) -> None:
        if value:
            self.parts.append(value if self.keep_newlines else _SPACES.sub(" ", value))

    def element(self, elem: etree._Element) -> None:
        tag = elem.tag if isinstance(elem.tag, str) else ""
        if not tag:  # an HTML comment or processing instruction: only what follows it
            pass
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            inner = _SPACES.sub(" ", "".join(elem.itertext()))
            self.parts.append(link_text(inner, elem.get("href", "")))
        elif tag in {"script", "style"}:
            pass
        else:
            block = tag in BLOCK_TAGS
            if block:
                self.parts.append(PARAGRAPH)
            self.text(elem.text)
            for child in elem:
                self.element(child)
            if block:
                self.parts.append(PARAGRAPH)
        self.text(elem.tail)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML comment: paragraphs as blank lines, <br> as a newline."""
    if not markup.strip():
        return ""
    if _PLAIN.fullmatch(markup):
        return _plain_to_text(markup)
    return _parsed_to_text(markup)


def _tidy(flat: str) -> str:
    """Lines stripped and runs of blanks made one space, as a browser shows them: what
    we store must read back the same from our export, whose `<p>` collapses blanks."""
    lines = [_BLANKS.sub(" ", line).strip() for line in flat.split("\n")]
    return _PARAGRAPH_GAP.sub(PARAGRAPH, "\n".join(lines)).strip()


def _plain_to_text(markup: str) -> str:
    """What `_parsed_to_text` gives for text with only <br> tags, without parsing it."""
    pieces = _BR.split(markup)
    if len(pieces) == 1:
        return _tidy(markup)
    return _tidy("\n".join(_SPACES.sub(" ", piece) for piece in pieces))


def _parsed_to_text(markup: str) -> str:
    keep_newlines = not _HAS_BREAKS.search(markup)
    # One libxml2 call; a stray "</div>" in the comment only ends our wrapper early.
    root = etree.HTML(f"<div>{markup}</div>")
    body = root.find("body") if root is not None else None
    if body is None:
        return markup.strip()
    flat = _Flattener(keep_newlines)
    flat.text(body.text)
    for child in body:
        flat.element(child)
    return _tidy("".join(flat.parts))


@lru_cache(maxsize=65536)
def _urlize_word(word: str) -> str:
    return urlize(word, nofollow=True, autoescape=True)


def _urlize(text: str) -> str:
    """`urlize(text, nofollow=True, autoescape=True)`, word by word, skipping the cheap words.

    Django's urlize splits on `Urlizer.word_split_re` and only looks twice at words
    with ".", "@" or ":"; the others are escaped. Finding those words with one
    regex (`_LINKISH`: a whole word, starting only where a word starts), escaping
    the runs between them and remembering words already seen gives the same
    output several times faster, which is seconds on a 50,000-comment import.
    """
    parts: list[str] = []
    end = 0
    for match in _LINKISH.finditer(text):
        parts.append(html.escape(text[end : match.start()]))
        parts.append(_urlize_word(match.group()))
        end = match.end()
    parts.append(html.escape(text[end:]))
    return "".join(parts)


def render_imported_comment(text: str) -> str:
    """Exactly what `Comment.save()` stores as body_html (`render_comment`), only faster."""
    return sanitize_comment_html(linebreaks(_urlize(text)))


def text_to_html(text: str) -> str:
    """What exports write for a comment: escaped paragraphs and line breaks, nothing added.

    Not `body_html`: Django's urlize drops the "." after "(https://…)." and
    adds links the author never wrote; `html_to_text` reverses this one exactly.
    """
    return linebreaks(text, autoescape=True)
