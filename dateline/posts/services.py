"""Small writes shared by the apps that create posts (clipping, imports).

Records become posts in one place, `dateline.interchange.importing.import_records`,
which `dateline post add`, the demo and every import use.
"""

import hashlib
from pathlib import PurePath

from django.utils.text import slugify

from dateline.core.mediastore import store_media
from dateline.posts.labels import label_key
from dateline.posts.models import Label


def labels_named(names: tuple[str, ...] | list[str]) -> list[Label]:
    """The labels with these names, created when new; matching ignores case."""
    labels = []
    for name in names:
        label = Label.objects.filter(key=label_key(name)).first()
        labels.append(label or Label.objects.create(name=name))
    return labels


def image_name(data: bytes, original_name: str, extension: str) -> str:
    """The media name an image's bytes are kept under: made from their hash, so the same
    bytes are stored once, whoever brings them; the original name only makes it readable."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    stem = slugify(PurePath(original_name).stem)[:40] or "image"
    return f"images/{digest[:2]}/{digest}-{stem}.{extension}"


def stored_image_name(data: bytes, original_name: str, extension: str) -> str:
    """Store a checked image in media under `image_name`; the same bytes once.

    `data` must have passed `core.rasters.check_raster`, which gave `extension`.
    """
    name = image_name(data, original_name, extension)
    store_media(name, data)  # an existing copy of the same bytes is reused
    return name
