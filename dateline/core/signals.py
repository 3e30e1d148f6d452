"""Signals only maintain derived data: any change readers could see bumps the content version."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from dateline.core.versioning import bump_version

WATCHED_MODELS = ("posts.Post", "posts.Label", "posts.Source", "posts.Redirect",
                  "comments.Comment")  # fmt: skip


def _bump(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures bring their own state
    bump_version()


def connect() -> None:
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_bump, sender=model, dispatch_uid=f"version-save-{label}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"version-delete-{label}")
    labels_through = apps.get_model("posts.Post").labels.through
    m2m_changed.connect(_bump, sender=labels_through, dispatch_uid="version-post-labels")
    # Imports write in bulk (no post_save); they announce what they wrote instead.
    from dateline.interchange.importing import posts_imported

    posts_imported.connect(_bump, dispatch_uid="version-import")
