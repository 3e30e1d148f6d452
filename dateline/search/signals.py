"""Signals only maintain derived data: here, the search index (queued until commit).

Bulk `QuerySet.update()` sends no signal; run `dateline search rebuild` after one.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from dateline.posts.models import Label, Post, Source
from dateline.posts.signals import posts_imported
from dateline.search import indexing


def _post_changed(sender, instance: Post, **kwargs) -> None:
    indexing.schedule([instance.pk])


def _labels_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """`post.labels.…` names one post; `label.posts.…` names posts in `pk_set`."""
    if not reverse:
        if action.startswith("post_"):
            indexing.schedule([instance.pk])
    elif action == "pre_clear":
        indexing.schedule(instance.posts.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        indexing.schedule(pk_set or ())


def _label_changed(sender, instance: Label, created: bool = False, **kwargs) -> None:
    """A renamed label, new aliases, or a deleted label change its posts' documents."""
    if not created:
        indexing.schedule(instance.posts.values_list("pk", flat=True))


def _source_changed(sender, instance: Source, created: bool = False, **kwargs) -> None:
    if not created:
        indexing.schedule(instance.posts.values_list("pk", flat=True))


def _posts_imported(sender, post_ids, **kwargs) -> None:
    """Imports write in bulk (no post_save) and announce the posts they wrote instead."""
    indexing.schedule(post_ids)


def connect() -> None:
    """Called from `SearchConfig.ready()`; dispatch uids make it safe to call twice."""
    posts_imported.connect(_posts_imported, dispatch_uid="search-import")
    post_save.connect(_post_changed, sender=Post, dispatch_uid="search-post-save")
    post_delete.connect(_post_changed, sender=Post, dispatch_uid="search-post-delete")
    m2m_changed.connect(
        _labels_changed, sender=Post.labels.through, dispatch_uid="search-post-labels"
    )
    post_save.connect(_label_changed, sender=Label, dispatch_uid="search-label-save")
    pre_delete.connect(_label_changed, sender=Label, dispatch_uid="search-label-delete")
    post_save.connect(_source_changed, sender=Source, dispatch_uid="search-source-save")
    pre_delete.connect(_source_changed, sender=Source, dispatch_uid="search-source-delete")
