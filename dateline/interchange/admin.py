"""Imports in the admin: an upload page that queues a background import, and its job page.

`Imports > Add import` is the upload form; an import's own page shows its
progress (refreshing itself every two seconds with a meta refresh: the CSP
allows no inline script) until it shows the summary or the error.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from . import jobs
from .forms import ImportUploadForm, too_large_message
from .models import ImportJob
from .progress import read_progress
from .tasks import enqueue_import

COUNT_NAMES = ("posts", "drafts", "pages", "labels", "comments", "redirects", "skipped")
REQUEST_OVERHEAD = 64 * 1024  # the form's other fields and multipart boundaries


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "state", "dry_run", "fetch_images", "created_by", "created_at"]
    list_filter = ["state", "dry_run"]
    search_fields = ["file_name", "error"]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """Refuse an oversized upload from its Content-Length, before reading a byte of it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.DATELINE_IMPORT_MAX_BYTES + REQUEST_OVERHEAD
        if request.method == "POST" and (not length.isdigit() or int(length) > limit):
            return self._upload_page(request, ImportUploadForm(), error=too_large_message())
        return csrf_protect(self._upload)(request)

    # The admin wraps views in csrf_protect, which would read (and spool) the whole upload
    # before the size check above; the check runs first, then `_upload` is CSRF-protected.
    add_view.csrf_exempt = True  # type: ignore[attr-defined]

    def _upload(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self._upload_page(request, ImportUploadForm())
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._upload_page(request, form)
        data = form.cleaned_data
        with transaction.atomic():
            job = jobs.new_job(
                data["file"], dry_run=data["dry_run"], fetch_images=data["fetch_images"],
                strict=data["strict"], user=request.user,
            )  # fmt: skip
            enqueue_import(job.pk)
        return redirect(reverse("admin:interchange_importjob_change", args=[job.pk]))

    def _upload_page(self, request: HttpRequest, form: ImportUploadForm, error: str = "") -> Any:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a blog",
            "form": form,
            "error": error,
            "max_bytes": settings.DATELINE_IMPORT_MAX_BYTES,
        }
        status = 413 if error else 200
        template = "admin/interchange/importjob/upload.html"
        return TemplateResponse(request, template, context, status=status)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """The job page: progress while it runs, then its summary or its error."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "progress": {} if job.finished else read_progress(job.pk),
            "counts": _counts(job.summary.get("counts", {})),
        }
        return TemplateResponse(request, "admin/interchange/importjob/job.html", context)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a job is a record of what happened: viewed, deleted, never edited

    def delete_model(self, request: HttpRequest, obj: ImportJob) -> None:
        jobs.discard_upload(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ImportJob]) -> None:
        for job in queryset:
            jobs.discard_upload(job)
        super().delete_queryset(request, queryset)


def _counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(name, counts[name]) for name in COUNT_NAMES if name in counts]
