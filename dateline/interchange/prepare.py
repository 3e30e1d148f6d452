"""The half of storing a record that needs no database: cleaned, rendered, sanitized values.

Rendering and sanitizing (Markdown, nh3, urlize) cost more than the INSERTs,
and they are pure functions of the record, so a big import works them out
ahead in a second process (`read_ahead`) and hands the writers `Prepared`
records; the writers compute the same values themselves for a plain record.
Either way the stored values are those `Post.save()` and `Comment.save()` give.
"""

from __future__ import annotations

import html
from typing import Any, NamedTuple

from dateline.core.links import linkable_url
from dateline.core.text import clean_name, clean_text
from dateline.posts.rendering import render_body

from .comment_text import html_to_text, render_imported_comment
from .import_media import safe_media
from .records import CommentRecord, PostRecord, Record

AUTHOR_NAME_MAX, EMAIL_MAX, URL_MAX = 100, 254, 500

ANONYMOUS = "Anonymous"
CommentValues = dict[str, Any]


class PostBody(NamedTuple):
    """A post's stored body: the cleaned source, the sanitized HTML rendered from it, and
    what was made safe or dropped on the way (see `import_media`)."""

    source: str
    html: str
    changes: tuple[str, ...] = ()


class Prepared(NamedTuple):
    """A record with what writing it derives, computed ahead (see `prepare`)."""

    record: PostRecord | CommentRecord
    derived: PostBody | CommentValues


def _source(record: PostRecord) -> tuple[str, tuple[str, ...]]:
    source = clean_text(record.body)
    return safe_media(source) if record.body_format == "html" else (source, ())


def post_source(record: PostRecord) -> str:
    """The body as stored in `body_source` (control characters dropped, an HTML body's
    frames and foreign media made links)."""
    return _source(record)[0]


def post_body(record: PostRecord) -> PostBody:
    """The stored body and its HTML, as `Post.save()` renders it."""
    source, changes = _source(record)
    return PostBody(source, render_body(source, record.body_format), changes)


def _fits(value: str, limit: int) -> str:
    """A value that fits its column, or "" (a cut e-mail or URL is worse than none)."""
    return value if len(value) <= limit else ""


def comment_author(name: str) -> str:
    """The name a comment is shown under: entities decoded (WordPress stores `&laquo;`),
    blanks collapsed; a commenter who left none is "Anonymous", as Blogger and WordPress
    show them (not an empty name before "said…")."""
    return clean_name(html.unescape(name))[:AUTHOR_NAME_MAX] or ANONYMOUS


def author_cut(name: str) -> bool:
    """Whether a commenter's name is longer than the column keeps (the summary says so)."""
    return len(clean_name(html.unescape(name))) > AUTHOR_NAME_MAX


def comment_values(record: CommentRecord, *, rendered: bool = False) -> CommentValues:
    """The stored fields of a record, cleaned exactly as `Comment.save()` cleans them;
    with `rendered`, also its `body_html` (what `render_comment` gives)."""
    body = html_to_text(record.body) if record.body_format == "html" else record.body
    values: CommentValues = {
        "author_name": comment_author(record.author_name),
        "author_email": _fits(record.author_email, EMAIL_MAX),
        "author_url": _fits(linkable_url(record.author_url), URL_MAX),
        "body": clean_text(body).strip(),
        "created_at": record.published,
        "status": record.status,
    }
    if rendered:
        values["body_html"] = render_imported_comment(values["body"])
    return values


def prepare(record: Record, *, comment_html: bool = True) -> Record | Prepared:
    """A post or comment with its derived values; a SiteRecord as it is. Without
    `comment_html`, a comment's HTML is left for the writer to render."""
    if isinstance(record, PostRecord):
        return Prepared(record, post_body(record))
    if isinstance(record, CommentRecord):
        return Prepared(record, comment_values(record, rendered=comment_html))
    return record
