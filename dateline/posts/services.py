"""Small writes shared by the apps that create posts (clipping, imports).

Records become posts in one place, `dateline.interchange.importing.import_records`,
which `dateline post add`, the demo and every import use.
"""

import hashlib
from pathlib import Path

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


def stored_image_name(image_path: str) -> str:
    """Copy an image into media under a content-hashed name; the same bytes are kept once."""
    data = Path(image_path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = f"images/{digest[:2]}/{digest}-{Path(image_path).name}"
    store_media(name, data)  # an existing copy of the same bytes is reused
    return name
