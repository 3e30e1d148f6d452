"""Background checking: a task checks the sources that are due, then queues itself to
run again within the hour; `dateline worker` makes sure one is queued when it starts.
"Check now" in the desk queues one source."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dateline.posts.models import Source
from dateline.sources import archiving, checking

logger = logging.getLogger(__name__)
BATCH = 500  # sources per run: a run never holds the worker for a whole day
EVERY = timedelta(hours=1)
# A run still marked running this long after it started was abandoned: its worker was
# killed or crashed, and nothing else will ever mark it finished. BATCH checks, each a
# few fetches bounded by the fetch timeout and the per-host pause, end within it; should
# a live run outlast it, a second run overlaps it and hosts still get their pauses.
ABANDONED_AFTER = timedelta(hours=24)


@task()
def check_due_sources() -> int:
    """Check up to BATCH due sources; how many were checked."""
    try:
        checked = checking.check_many(checking.due()[:BATCH])
    finally:
        _queue_next()
    return len(checked)


@task()
def check_source_now(source_id: int) -> str:
    """Check one source (the desk's "check now"); its new state, or "gone"."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    return checking.check_source(source).health.state


@task()
def archive_clipped_source(source_id: int) -> str:
    """Save a clipped story's page at the Internet Archive (DATELINE_ARCHIVE_ON_CLIP)."""
    return archiving.archive_source(source_id)


def queue_archive(sender: object, source_id: int, **kwargs: object) -> None:
    """`clipping.signals.source_clipped`: queue the save once the clip commits."""
    if archiving.enabled():
        transaction.on_commit(partial(archive_clipped_source.enqueue, source_id))


def queue_check(source_id: int) -> None:
    """Queue a check of one source once the current transaction commits."""
    transaction.on_commit(partial(check_source_now.enqueue, source_id))


def _queue_next() -> None:
    if not check_due_sources.get_backend().supports_defer:
        return  # the test backend runs tasks at once: queuing again would never end
    check_due_sources.using(run_after=timezone.now() + EVERY).enqueue()


def ensure_scheduled() -> bool:
    """Queue the checking task unless one is waiting or running (the database queue
    only); whether one was queued. A run marked running past ABANDONED_AFTER is marked
    failed instead of counted: otherwise a worker killed mid-run would stop checking for
    good."""
    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    if not check_due_sources.get_backend().supports_defer:
        return False
    runs = DBTaskResult.objects.filter(task_path=check_due_sources.module_path)
    abandoned = runs.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - ABANDONED_AFTER
    )
    abandoned.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="dateline.sources.tasks.Abandoned",
        traceback=f"Still marked running {ABANDONED_AFTER} after it started: its worker "
        "stopped without finishing it.",
    )
    pending = runs.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    if pending.exists():
        return False
    check_due_sources.enqueue()
    return True
