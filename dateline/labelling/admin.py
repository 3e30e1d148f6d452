"""Label suggestions in the post admin: this app, above posts, composes posts' own
`PostAdmin` with its box and registers the result in its place, so posts never imports it.

The suggestions box is read-only by design: the author adds what fits in the Labels field,
so nothing is ever labelled silently.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dateline.labelling.services import suggest_for_post
from dateline.posts.admin import PostAdmin
from dateline.posts.models import Post

FIELD = "suggested_labels"
HELP = "Never applied automatically: add the ones that fit to Labels above."


def _detail(label: str, reason: str) -> str:
    """The reason without its leading "Label — ", which the list already shows in bold."""
    prefix = f"{label} — "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


def suggestions_html(post: Post) -> SafeString:
    """A list of suggestions with reasons, new labels marked; none already on the post."""
    suggestions = suggest_for_post(post)
    if not suggestions:
        return format_html("<p>{}</p>", "No suggestions for this text.")
    rows = (
        (s.label, " (new label)" if s.new else "", _detail(s.label, s.reason)) for s in suggestions
    )
    items = format_html_join("", "<li><strong>{}</strong>{} — {}</li>", rows)
    return format_html(
        '<ul class="dateline-suggested-labels">{}</ul><p class="help">{}</p>', items, HELP
    )


class SuggestedLabelsMixin:
    """Add a read-only "Suggested labels" box after the Labels field of a saved post."""

    @admin.display(description="Suggested labels")
    def suggested_labels(self, post: Post) -> SafeString:
        return suggestions_html(post)

    def get_readonly_fields(self, request: HttpRequest, obj: Post | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return [*fields, FIELD] if obj is not None and FIELD not in fields else fields

    def get_fieldsets(self, request: HttpRequest, obj: Post | None = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None:
            return fieldsets
        placed = []
        for name, options in fieldsets:
            fields = list(options.get("fields", ()))
            if "labels" in fields and FIELD not in fields:
                fields.insert(fields.index("labels") + 1, FIELD)
            placed.append((name, {**options, "fields": fields}))
        if not any(FIELD in options["fields"] for _name, options in placed):
            placed.append(("Suggested labels", {"fields": [FIELD]}))
        return placed


class SuggestingPostAdmin(SuggestedLabelsMixin, PostAdmin):
    """posts' PostAdmin with the suggestions box."""


admin.site.unregister(Post)
admin.site.register(Post, SuggestingPostAdmin)
