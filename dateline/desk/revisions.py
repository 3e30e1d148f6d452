"""A post's history: record a revision when the text changes, diff two, restore one."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dateline.desk.models import Revision
from dateline.posts.models import Post


def record(
    post: Post,
    user: Any,
    *,
    autosaved: bool = False,
    title: str | None = None,
    body_source: str | None = None,
) -> Revision | None:
    """Record this text (the post's own by default) unless the newest revision holds it.

    An autosave replaces the newest revision when that one was also an autosave by the
    same author; an explicit save of autosaved text marks that revision as saved.
    """
    title = post.title if title is None else title
    body_source = post.body_source if body_source is None else body_source
    author = user if getattr(user, "pk", None) else None
    latest = post.revisions.first()
    if latest is not None and latest.same_text(title, body_source):
        if latest.autosaved and not autosaved:
            latest.autosaved = False
            latest.save(update_fields=["autosaved"])
        return None
    if autosaved and latest is not None and latest.autosaved and latest.author == author:
        latest.title, latest.body_source, latest.created_at = title, body_source, timezone.now()
        latest.save(update_fields=["title", "body_source", "created_at"])
        return latest
    return Revision.objects.create(
        post=post,
        title=title,
        body_source=body_source,
        created_at=timezone.now(),
        author=author,
        autosaved=autosaved,
    )


def keep_current(post: Post) -> None:
    """Record the stored text before it changes, for posts older than the desk's history
    (a clip, an import, the admin), so what was there can always be restored."""
    if post.pk and not post.revisions.exists():
        stored = Post.objects.filter(pk=post.pk).values("title", "body_source", "author").first()
        if stored:
            Revision.objects.create(
                post=post,
                title=stored["title"],
                body_source=stored["body_source"],
                created_at=timezone.now(),
                author_id=stored["author"],
            )


def unsaved_autosave(post: Post) -> Revision | None:
    """An autosave newer than the post's own text (a published post's edits not yet saved)."""
    latest = post.revisions.first()
    if latest is None or not latest.autosaved or latest.same_text(post.title, post.body_source):
        return None
    return latest


@transaction.atomic
def restore(post: Post, revision: Revision, user: Any) -> Post:
    """Make the revision's text the post's, keeping the current text in the history."""
    keep_current(post)
    post.title, post.body_source = revision.title, revision.body_source
    post.body_format = Post.BodyFormat.MARKDOWN
    post.full_clean()
    post.save()
    record(post, user)
    return post


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


def diff(old: tuple[str, str], new: tuple[str, str], context: int = 3) -> list[DiffLine]:
    """Line differences of title and body between two texts (difflib's unified diff)."""
    old_lines = [f"Title: {old[0]}", "", *old[1].splitlines()]
    new_lines = [f"Title: {new[0]}", "", *new[1].splitlines()]
    lines = []
    for line in difflib.unified_diff(old_lines, new_lines, n=context, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "context")
        lines.append(DiffLine(kind, line[1:] if kind != "hunk" else line))
    return lines
