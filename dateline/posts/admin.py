"""Authoring in the Django admin: posts with a rendered preview, labels, sources, redirects."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dateline.core.admin_fields import URL_FIELDS_ASSUME_HTTPS
from dateline.people.roles import may_edit_post
from dateline.posts.models import Label, Post, Redirect, Source


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "state_label", "kind", "published_at", "path"]
    list_filter = ["status", "kind", "labels"]
    search_fields = ["title", "body_source", "path"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["labels", "source"]
    readonly_fields = ["rendered_preview", "import_ref", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "status", "published_at", "labels"]}),
        ("Body", {"fields": ["body_format", "body_source", "rendered_preview", "excerpt"]}),
        ("Lead image", {"fields": ["lead_image", "lead_image_caption"]}),
        ("Source", {"fields": ["source"]}),
        ("Address", {"classes": ["collapse"], "fields": ["slug", "path"]}),
        ("History", {"classes": ["collapse"], "fields": ["author", "import_ref", "created_at",
                                                          "updated_at"]}),
    ]  # fmt: skip

    @admin.display(description="State")
    def state_label(self, post: Post) -> str:
        return post.state

    @admin.display(description="Rendered preview (as saved)")
    def rendered_preview(self, post: Post) -> SafeString:
        # body_html is produced by our sanitizer on save, so it is safe to show as markup.
        return mark_safe(f'<div class="dateline-preview">{post.body_html}</div>')  # noqa: S308

    # Authors change and delete their own posts; editors anyone's (people.roles).
    def has_change_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit_post(request.user, obj.author_id))

    def has_delete_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_edit_post(request.user, obj.author_id))

    def save_model(self, request: HttpRequest, obj: Post, form, change: bool) -> None:
        if not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj: Post) -> str | None:
        return obj.path if obj.is_visible else None


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "alias_summary", "post_count"]
    search_fields = ["name", "aliases"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count

        return super().get_queryset(request).annotate(count=Count("posts"))

    @admin.display(description="Posts", ordering="count")
    def post_count(self, label: Label) -> int:
        return label.count

    @admin.display(description="Aliases")
    def alias_summary(self, label: Label) -> str:
        """Each label's aliases in the list (they are edited on the label's page)."""
        return ", ".join(label.alias_list)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["display_name", "link", "original_date", "fetched_at", "last_check_result"]
    search_fields = ["url", "canonical_url", "publisher", "original_title"]

    @admin.display(description="URL")
    def link(self, source: Source) -> str:
        # Imports store a source URL as the file gave it: only http(s) becomes a link.
        if not source.link_url:
            return source.url
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>', source.link_url, source.url
        )


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]
