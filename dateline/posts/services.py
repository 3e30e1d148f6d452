"""Writing posts: a PostRecord (from a file, an import or a clip) becomes a stored Post.

Idempotent: a record with an `import_id` already stored updates that post.
"""

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from dateline.interchange.records import PostRecord
from dateline.posts.labels import label_key
from dateline.posts.models import Label, Post, Source


def labels_named(names: tuple[str, ...] | list[str]) -> list[Label]:
    """The labels with these names, created when new; matching ignores case."""
    labels = []
    for name in names:
        label = Label.objects.filter(key=label_key(name)).first()
        labels.append(label or Label.objects.create(name=name))
    return labels


def _source_for(record: PostRecord, current: Source | None) -> Source | None:
    if not record.source_url:
        return None
    source = current or Source()
    source.url = record.source_url
    source.publisher = record.source_name
    source.save()
    return source


def stored_image_name(image_path: str) -> str:
    """Copy an image into media under a content-hashed name; the same bytes are kept once."""
    data = Path(image_path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = f"images/{digest[:2]}/{digest}-{Path(image_path).name}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name


def _author(name: str):
    if not name:
        return None
    return get_user_model().objects.filter(username=name).first()


def save_post_record(record: PostRecord) -> Post:
    """Create or update the post a record describes, with its source, labels and image."""
    post = Post.objects.filter(import_ref=record.import_id).select_related("source").first()
    post = post or Post(import_ref=record.import_id)
    post.title = record.title
    post.kind = record.kind
    post.status = record.status
    post.body_source = record.body
    post.body_format = record.body_format
    post.excerpt = record.excerpt
    post.published_at = record.published or post.published_at
    post.lead_image_caption = record.lead_image_caption
    if record.slug:
        post.slug = record.slug
    if record.path:
        post.path = record.path
    if record.lead_image:
        post.lead_image.name = stored_image_name(record.lead_image)
    post.author = _author(record.author_name) or post.author
    post.source = _source_for(record, post.source)
    post.save()
    post.labels.set(labels_named(record.labels))
    return post


def save_post_records(records: list[PostRecord]) -> list[Post]:
    """Store several records in one transaction: all of them, or none."""
    with transaction.atomic():
        return [save_post_record(record) for record in records]
