"""Background clipping: the task takes a job id, re-loads it, and tolerates its deletion.

Enqueued only once the transaction that created (or re-queued) the job has
committed, so a worker never looks for a row it cannot see yet.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django_tasks import task

from dateline.clipping import drafts


@task()
def run_clip_job(job_id: int) -> str:
    """Fetch, extract and save one clip; returns the job's final state ("gone" if deleted)."""
    job = drafts.run_job(job_id)
    return job.state if job is not None else "gone"


def enqueue_clip(job_id: int) -> None:
    """Queue the job when the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(run_clip_job.enqueue, job_id))
