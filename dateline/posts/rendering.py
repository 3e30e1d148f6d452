"""Markdown or HTML source → sanitized HTML, the only way a body becomes markup."""

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
