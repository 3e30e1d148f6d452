"""The database → records → an export file (Blogger, WXR) or a Markdown folder.

Reads in chunks of posts, each followed by its comments (parents first), so
the WXR writer can nest them and memory stays bounded by one chunk.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage

from dateline.comments.models import Comment
from dateline.core.batching import in_batches
from dateline.posts.models import Label, Post, Redirect
from dateline.posts.paths import label_path

from .blogger_writer import write_blogger
from .comment_text import text_to_html
from .markdown_writer import write_markdown
from .records import CommentRecord, PostRecord, Record, SiteRecord
from .wxr_writer import write_wxr

ExportFormat = Literal["blogger", "wxr", "markdown"]
FORMATS: tuple[ExportFormat, ...] = ("blogger", "wxr", "markdown")
CHUNK = 500  # posts read at once: their comments and labels are held until written


def site_record() -> SiteRecord:
    """The blog's title and description come from settings (there is no site model); every
    label, and the old addresses that lead to a label's page, from the database."""
    prefix = label_path("")
    to_labels = Redirect.objects.filter(new_path__startswith=prefix).order_by("old_path")
    return SiteRecord(
        title=settings.DATELINE_SITE_TITLE,
        description=settings.DATELINE_SITE_DESCRIPTION,
        labels=tuple(Label.objects.order_by("name").values_list("name", flat=True)),
        label_paths=tuple(
            (old, unquote(new.removeprefix(prefix)))
            for old, new in to_labels.values_list("old_path", "new_path")
        ),
    )


def _post_import_id(post: Post) -> str:
    return post.import_ref or f"dateline:{post.pk}"


def _lead_image(post: Post, fmt: ExportFormat) -> str:
    """Markdown gets the file to copy beside the post; XML formats get our media URL."""
    if not post.lead_image:
        return ""
    if fmt == "markdown":
        return default_storage.path(post.lead_image.name)
    return settings.MEDIA_URL + post.lead_image.name


def post_record(post: Post, old_paths: list[str], fmt: ExportFormat) -> PostRecord:
    """One stored post as a record; a Markdown body comes with its HTML for the XML
    formats, whose other readers need HTML (the source travels beside it)."""
    as_html = fmt != "markdown" and post.body_format == Post.BodyFormat.MARKDOWN
    return PostRecord(
        import_id=_post_import_id(post),
        title=post.title,
        body=post.body_source,
        body_format=post.body_format,
        body_html=post.body_html if as_html else "",
        kind=post.kind,
        status=post.status,
        published=post.published_at,
        updated=post.updated_at,
        path=post.path or "",
        slug=post.slug,
        labels=tuple(sorted(label.name for label in post.labels.all())),
        author_name=(post.author.get_full_name() or post.author.get_username())
        if post.author
        else "",
        author_login=post.author.get_username() if post.author else "",
        author_email=post.author.email if post.author else "",
        excerpt=post.excerpt,
        lead_image=_lead_image(post, fmt),
        lead_image_caption=post.lead_image_caption,
        source_url=post.source.url if post.source else "",
        source_name=post.source.publisher if post.source else "",
        old_paths=tuple(sorted(old_paths)),
    )


def _comment_record(comment: Comment, post_ref: str, refs: dict[int, str]) -> CommentRecord:
    return CommentRecord(
        import_id=refs[comment.pk],
        post_import_id=post_ref,
        author_name=comment.author_name,
        body=text_to_html(comment.body),
        published=comment.created_at,
        parent_import_id=refs.get(comment.parent_id, "") if comment.parent_id else "",
        author_email=comment.author_email,
        author_url=comment.author_url,
        status=comment.status,
    )


def _threaded(comments: list[Comment]) -> Iterator[Comment]:
    """Comments in time order, but never a reply before the comment it answers."""
    ids = {c.pk for c in comments}
    replies: defaultdict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        replies[comment.parent_id if comment.parent_id in ids else None].append(comment)
    stack = list(reversed(replies[None]))
    while stack:
        comment = stack.pop()
        yield comment
        stack.extend(reversed(replies[comment.pk]))


def _chunk_records(ids: list[int], redirects: dict[str, list[str]], fmt: ExportFormat):
    posts = Post.objects.filter(pk__in=ids).order_by("pk")
    posts = posts.select_related("source", "author").prefetch_related("labels")
    by_post: defaultdict[int, list[Comment]] = defaultdict(list)
    for comment in Comment.objects.filter(post_id__in=ids).order_by("created_at", "pk"):
        by_post[comment.post_id].append(comment)
    for post in posts:
        yield post_record(post, redirects.get(post.path or "", []), fmt)
        refs = {c.pk: c.import_ref or f"dateline:c{c.pk}" for c in by_post[post.pk]}
        for comment in _threaded(by_post[post.pk]):
            yield _comment_record(comment, _post_import_id(post), refs)


def export_records(fmt: ExportFormat = "wxr") -> Iterator[Record]:
    """The site, then every post, page and draft, each followed by its comments."""
    yield site_record()
    redirects: defaultdict[str, list[str]] = defaultdict(list)
    for old, new in Redirect.objects.values_list("old_path", "new_path"):
        redirects[new].append(old)
    ids = list(Post.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in in_batches(ids, CHUNK):
        yield from _chunk_records(chunk, redirects, fmt)


def _write_file(target: Path, write) -> Counter[str]:
    """Write beside the target and rename, so a failed export leaves no half file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        counts = write(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


def export_to(
    fmt: ExportFormat, target: Path, *, base_url: str = "", generated: datetime | None = None
) -> Counter[str]:
    """Export the whole blog; return counts of what was written and what was left out.

    `generated` pins the file's own time, so the same blog exports to the same bytes.
    """
    records = export_records(fmt)
    if fmt == "markdown":
        return write_markdown(records, target)
    if fmt == "blogger":
        return _write_file(
            target,
            lambda out: write_blogger(records, out, base_url=base_url, generated=generated),
        )
    base_url = base_url or "http://localhost"
    return _write_file(
        target, lambda out: write_wxr(records, out, base_url=base_url, generated=generated)
    )
