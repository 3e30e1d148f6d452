"""Label changes feed the retrain schedule in `tasks.py` (derived data only, no writes here)."""

from typing import Any

from django.db.models.signals import m2m_changed

from dateline.labelling.tasks import note_label_changes
from dateline.posts.models import Post

_CHANGES = {"post_add", "post_remove", "post_clear"}


def _labels_changed(
    sender: Any, action: str, pk_set: set[int] | None = None, **kwargs: Any
) -> None:
    if action in _CHANGES:
        note_label_changes(len(pk_set) if pk_set else 1)


def connect() -> None:
    """Register the handler (called from `LabellingConfig.ready()`)."""
    m2m_changed.connect(
        _labels_changed, sender=Post.labels.through, dispatch_uid="labelling-label-changes"
    )
