"""Imports started from the admin: store the upload, record the job, run it, report.

The view and the background task both go through here. A job is claimed
(queued → running) in its own small write before the import's transaction
opens, so the job page sees "running" at once; counts while it runs come from
the progress file, and the summary or the error is written after the commit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
import uuid
from collections import Counter
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import get_valid_filename

from .errors import ImportFileError
from .import_file import import_file
from .importing import ImportSummary
from .models import ImportJob, imports_dir
from .progress import ProgressFile, clear_progress

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong while importing. Nothing was changed. The server log has the details."
)


def new_job(
    upload: UploadedFile, *, dry_run: bool, fetch_images: bool, user: Any, strict: bool = False
) -> ImportJob:
    """Keep the upload in DATA_DIR/imports/<random>/ and record the job (not yet queued)."""
    name = get_valid_filename(upload.name or "") or "export.xml"
    relative = f"{uuid.uuid4().hex}/{name}"
    target = imports_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return ImportJob.objects.create(
        file_name=(upload.name or name)[:255],
        stored_name=relative,
        size=upload.size or 0,
        dry_run=dry_run,
        fetch_images=fetch_images,
        strict=strict,
        created_by=user if getattr(user, "pk", None) else None,
    )


def run_job(job_id: int) -> ImportJob | None:
    """Run a queued job once; a job deleted (or already claimed) meanwhile is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    progress = ProgressFile(job.pk)
    try:
        summary = _import(job, progress)
    except ImportFileError as error:
        _finish(job, ImportJob.State.FAILED, error=_named(error, job) + "\nNothing was changed.")
    except Exception:
        logger.exception("Import of %s (job %s) failed unexpectedly", job.file_name, job.pk)
        _finish(job, ImportJob.State.FAILED, error=UNEXPECTED)
    else:
        _finish(job, ImportJob.State.DONE, summary=summary_data(summary))
    finally:
        clear_progress(job.pk)
        discard_upload(job)
    return job


def _import(job: ImportJob, progress: ProgressFile) -> ImportSummary:
    path = job.upload_path
    if path is None or not path.exists():
        raise ImportFileError("the uploaded file is no longer there; upload it again")
    summary = import_file(
        path,
        dry_run=job.dry_run,
        fetch_images=job.fetch_images,
        progress=progress.records,
        image_progress=progress.images,
        uploaded=True,
        strict=job.strict,
    )
    stored = str(path)  # entries left out are named by the file as uploaded
    summary.problems = [
        dataclasses.replace(p, file=job.file_name) if p.file == stored else p
        for p in summary.problems
    ]
    return summary


def _named(error: ImportFileError, job: ImportJob) -> str:
    """The error as the author knows the file: by its uploaded name, not our storage path."""
    stored = str(job.upload_path) if job.upload_path else ""
    file = job.file_name if not error.file or error.file == stored else error.file
    return str(ImportFileError(error.reason, file=file, line=error.line, entry=error.entry))


def _finish(job: ImportJob, state: str, **fields: Any) -> None:
    """Write the outcome, only if the row still exists."""
    fields.update(state=state, finished_at=timezone.now())
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def discard_upload(job: ImportJob) -> None:
    """Remove the uploaded file (and its folder): the summary is what the job keeps."""
    path = job.upload_path
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(path.parent) if path.parent != imports_dir() else path.unlink()


def summary_data(summary: ImportSummary) -> dict[str, Any]:
    """The summary as JSON: the seven counts, reasons, notes, what changed, the blog's title,
    and each entry left out (as "FILE, line N, entry ID: reason", named as uploaded)."""

    def items(counter: Counter[str]) -> dict[str, int]:
        return {key: value for key, value in sorted(counter.items()) if value}

    site = summary.site
    return {
        "counts": summary.counts(),
        "skipped": items(summary.skipped),
        "notes": items(summary.notes),
        "changes": items(summary.changes),
        "dry_run": summary.dry_run,
        "site_title": site.title if site else "",
        "site_time_zone": site.time_zone if site else "",
        "problems": [str(problem) for problem in summary.problems],
        "changed": summary.changed,
    }
