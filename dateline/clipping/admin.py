"""Clip jobs and snapshots in the admin: read-mostly, for finding and tidying up clips."""

from django.contrib import admin

from dateline.clipping.models import ClipJob, Snapshot
from dateline.core.admin_fields import URL_FIELDS_ASSUME_HTTPS


@admin.register(ClipJob)
class ClipJobAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["url", "state", "attempts", "post", "created_by", "created_at"]
    list_filter = ["state"]
    search_fields = ["url", "error"]
    readonly_fields = ["state", "error", "attempts", "post", "created_by", "finished_at"]
    exclude = ["html", "body_html"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["url", "fetched_at", "size", "sha256"]
    search_fields = ["url", "sha256", "title"]
    readonly_fields = ["source", "sha256", "path", "size", "content_type", "url", "fetched_at"]
    exclude = ["article_html"]
