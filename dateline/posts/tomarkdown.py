"""HTML (a clipped article, a body stored as HTML) → Markdown the author edits.

The desk's editor only edits Markdown: a raw-HTML body invites broken markup and hides
what the reader will see. markdownify (a maintained converter) does the work; figures,
which Markdown cannot express, stay one short `<figure>` line that our renderer keeps
(raw HTML inside Markdown is allowed there, then sanitized like every body).
"""

from __future__ import annotations

import re
from html import escape

from markdownify import ATX, MarkdownConverter

from dateline.core.sanitize import sanitize_post_html

# Text that Markdown would read as markup is escaped with a backslash (CommonMark): tags,
# entities, code and link brackets anywhere; emphasis marks at word edges; and the block
# markers ("# ", "- ", "1. ", "> ") at the start of a line.
_ANYWHERE = re.compile(r"([\\`<\[\]*])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_EDGE_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_BLOCK_MARK = re.compile(r"(^|\n)(\s*)(#{1,6}|[-+>])(?=\s|$)")
_LIST_NUMBER = re.compile(r"(^|\n)(\s*\d{1,9})([.)])(?=\s|$)")


class _BodyConverter(MarkdownConverter):
    """ATX headings, "-" bullets, and each figure kept whole as one HTML line."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        text = _ANYWHERE.sub(r"\\\1", text)
        text = _ENTITY.sub(r"\\&", text)
        text = _EDGE_UNDERSCORE.sub(r"\\_", text)
        text = _BLOCK_MARK.sub(r"\1\2\\\3", text)
        return _LIST_NUMBER.sub(r"\1\2\\\3", text)

    def convert_figure(self, el, text: str, parent_tags: set[str]) -> str:
        image = el.find("img")
        caption = el.find("figcaption")
        if image is None or not image.get("src"):
            return f"\n\n{text.strip()}\n\n" if text.strip() else ""
        return (
            "\n\n"
            + figure_html(
                image.get("src", ""),
                image.get("alt", ""),
                caption.get_text(" ", strip=True) if caption else "",
            )
            + "\n\n"
        )


def figure_html(src: str, alt: str, caption: str) -> str:
    """The figure the editor inserts for an uploaded image, on one line."""
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption.strip() else ""
    return f'<figure><img src="{escape(src)}" alt="{escape(alt)}">{figcaption}</figure>'


def html_to_markdown(html: str) -> str:
    """Markdown for a body of HTML; sanitized first, so nothing unsafe is carried over."""
    if not html.strip():
        return ""
    converter = _BodyConverter(heading_style=ATX, bullets="-")
    markdown = converter.convert(sanitize_post_html(html))
    lines = [line.rstrip() for line in markdown.strip().splitlines()]
    collapsed: list[str] = []
    for line in lines:  # at most one blank line between blocks
        if line or (collapsed and collapsed[-1]):
            collapsed.append(line)
    return "\n".join(collapsed) + "\n"
