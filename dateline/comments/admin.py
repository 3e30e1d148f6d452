"""Moderation: approve, mark as spam or remove, one by one or in bulk."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from dateline.comments.models import Comment
from dateline.core.admin_fields import URL_FIELDS_ASSUME_HTTPS


def _set_status(request: HttpRequest, queryset: QuerySet, status: str, verb: str) -> None:
    # save() per comment (not update()) so signals that keep caches fresh see each change.
    changed = 0
    for comment in queryset:
        if comment.status != status:
            comment.status = status
            comment.save(update_fields=["status"])
            changed += 1
    messages.success(request, f"{changed} comment{'s' if changed != 1 else ''} {verb}.")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["author_name", "by_author", "post", "status", "created_at", "short_body"]
    list_filter = ["status", "by_author", "created_at"]
    search_fields = ["author_name", "author_email", "body"]
    list_select_related = ["post"]
    readonly_fields = ["ip_hash", "import_ref", "by_author"]
    raw_id_fields = ["post", "parent"]
    actions = ["approve", "mark_spam", "remove"]

    @admin.display(description="Comment")
    def short_body(self, comment: Comment) -> str:
        return comment.body[:80]

    @admin.action(description="Approve selected comments")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        _set_status(request, queryset, Comment.Status.APPROVED, "approved")

    @admin.action(description="Mark selected comments as spam")
    def mark_spam(self, request: HttpRequest, queryset: QuerySet) -> None:
        _set_status(request, queryset, Comment.Status.SPAM, "marked as spam")

    @admin.action(description="Remove selected comments")
    def remove(self, request: HttpRequest, queryset: QuerySet) -> None:
        _set_status(request, queryset, Comment.Status.REMOVED, "removed")
