"""Markdown or HTML source → sanitized HTML, the only way a body becomes markup."""

import html
import re

from markdown_it import MarkdownIt

from dateline.core.sanitize import sanitize_post_html

_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_H1_TAG = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def _demote_h1(html: str) -> str:
    """The page's only h1 is the post title, so a body's top headings become h2."""
    return _H1_TAG.sub(r"<\1h2", html)


def render_markdown(source: str) -> str:
    return sanitize_post_html(_demote_h1(_markdown.render(source)))


def render_html(source: str) -> str:
    return sanitize_post_html(_demote_h1(source))


def render_body(source: str, body_format: str) -> str:
    """Render a stored body; raw HTML inside Markdown is allowed, then sanitized."""
    if body_format == "html":
        return render_html(source)
    return render_markdown(source)


_FIRST_CUT = 1024  # characters of markup read first; doubled until enough words
# A tag of sanitized markup, where every "<" starts a tag and every attribute value is
# double-quoted with its quotes escaped: a ">" in a value (the sanitizer escapes those too)
# cannot end the tag early.
_SANITIZED_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')


def _text_of(sanitized: str) -> str:
    """strip_tags, then entities decoded, for sanitized markup only: Django's strip_tags
    parses with HTMLParser, and was a twentieth of a static build."""
    return html.unescape(_SANITIZED_TAG.sub("", sanitized))


def text_head(body_html: str, words: int) -> str:
    """Plain text (entities decoded) of the start of a rendered body, holding at least its
    first `words` words whole, or all of it when it has fewer.

    A rendered body is sanitized: comments are gone and every other "<", in text and in
    attributes alike, is escaped, so each "<" starts a tag. Cut there, the markup before it
    strips to the start of the whole body's text; only its last word may go on past the cut,
    so one word more is read than is promised (and shows that more follow).
    """
    size = _FIRST_CUT
    while size < len(body_html):
        cut = body_html.find("<", size)
        if cut == -1:
            break
        text = _text_of(body_html[:cut])
        if len(text.split(maxsplit=words)) > words:
            return text
        size = cut * 2
    return _text_of(body_html)
