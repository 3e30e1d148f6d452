"""Background imports: the task takes a job id, re-loads it, and tolerates its deletion.

Enqueued only once the transaction that created the job has committed, so a
worker never looks for a row (or a file) it cannot see yet.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django_tasks import task

from . import jobs


@task()
def run_import_job(job_id: int) -> str:
    """Import one uploaded file; returns the job's final state ("gone" if deleted)."""
    job = jobs.run_job(job_id)
    return job.state if job is not None else "gone"


def enqueue_import(job_id: int) -> None:
    """Queue the job when the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(run_import_job.enqueue, job_id))
