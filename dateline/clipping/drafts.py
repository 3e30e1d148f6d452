"""A clip as the author lives it: a job that runs (or fails and is retried), then a draft
that is edited, labelled and saved or published.

The background task and the views both go through here, so the state a job
reports and the way a draft becomes a post are decided in one place.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from dateline.clipping.errors import ClipError
from dateline.clipping.models import ClipJob
from dateline.clipping.services import ClipOptions, ClipResult, clip_html, clip_url
from dateline.core.text import strip_control_chars
from dateline.posts.models import Post
from dateline.posts.services import labels_named

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong while clipping that page. Try again; if it keeps failing, "
    "the server log has the details."
)


def new_job(url: str, *, html: str = "", title: str = "", selection: str = "",
            as_excerpt: bool = False, user: Any = None) -> ClipJob:  # fmt: skip
    """Record a clip request; the caller enqueues it (see tasks.enqueue_clip).

    Control characters are dropped first: pasted pages may hold NUL, which PostgreSQL
    text cannot store, and nothing a reader sees needs them.
    """
    return ClipJob.objects.create(
        url=strip_control_chars(url).strip(),
        html=strip_control_chars(html),
        title_hint=strip_control_chars(title)[:500],
        selection=strip_control_chars(selection),
        as_excerpt=as_excerpt,
        created_by=user if getattr(user, "pk", None) else None,
    )


def run_job(job_id: int) -> ClipJob | None:
    """Run a queued job; a job deleted meanwhile is skipped (and never re-created)."""
    claimed = ClipJob.objects.filter(pk=job_id, state=ClipJob.State.QUEUED).update(
        state=ClipJob.State.FETCHING, updated_at=timezone.now()
    )
    job = ClipJob.objects.select_related("created_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    job.attempts += 1
    _update(job, attempts=job.attempts, error="")
    try:
        result = _clip(job)
    except ClipError as error:
        _update(job, state=ClipJob.State.FAILED, error=error.message, finished_at=timezone.now())
        return job
    except Exception:
        logger.exception("Clip of %s failed unexpectedly", job.url)
        _update(job, state=ClipJob.State.FAILED, error=UNEXPECTED, finished_at=timezone.now())
        return job
    _update(job, state=ClipJob.State.DONE, post=result.post, body_html=result.full_html,
            html="", finished_at=timezone.now())  # fmt: skip
    return job


def _clip(job: ClipJob) -> ClipResult:
    options = ClipOptions(
        as_excerpt=job.as_excerpt,
        selection=job.selection,
        title_hint=job.title_hint,
        author=job.created_by,
    )

    def progress(state: str) -> None:
        _update(job, state=state)

    if job.html:
        return clip_html(job.html, job.url, options, progress)
    return clip_url(job.url, options, progress)


def _update(job: ClipJob, **fields: Any) -> None:
    """Write only these fields, and only if the row still exists."""
    for name, value in fields.items():
        setattr(job, name, value)
    ClipJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **fields)


def retry_job(job: ClipJob) -> bool:
    """Put a failed job back in the queue; False when it had not failed."""
    return bool(
        ClipJob.objects.filter(pk=job.pk, state=ClipJob.State.FAILED).update(
            state=ClipJob.State.QUEUED, error="", finished_at=None, updated_at=timezone.now()
        )
    )


def confirm(post: Post, labels: tuple[str, ...], *, publish: bool) -> Post:
    """The command line's confirmation: add the given labels, publish when asked."""
    with transaction.atomic():
        if labels:
            post.labels.add(*labels_named(list(labels)))
        if publish:
            post.status = Post.Status.PUBLISHED
            post.save()
    return post
