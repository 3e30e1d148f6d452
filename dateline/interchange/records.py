"""Format-neutral records: one reader per format produces them, one writer stores them.

Every reader (Markdown, Blogger, WordPress) yields these frozen dataclasses and
every writer (database, exports) consumes them, so no format knows another.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

PostKind = Literal["post", "page"]
PostStatus = Literal["published", "draft"]
BodyFormat = Literal["markdown", "html"]
CommentStatus = Literal["pending", "approved", "spam", "removed"]


@dataclass(frozen=True)
class SiteRecord:
    """Blog-wide settings carried by an export (Blogger settings entries, WXR channel)."""

    title: str = ""
    description: str = ""
    comments_allowed: bool = True
    time_zone: str = ""  # Blogger's BLOG_TIME_ZONE: offered, not applied
    labels: tuple[str, ...] = ()  # every category and tag, with posts or not
    label_paths: tuple[tuple[str, str], ...] = ()  # the old addresses of a label's page


@dataclass(frozen=True)
class PostRecord:
    """A post or static page as found in a file.

    `import_id` is the source system's id, naming the source blog
    ("blogger:<blog id>.post-<n>", "wxr:<blog address>/<post id>",
    "markdown:<path>"), and is the key that makes re-imports idempotent.
    A scheduled post is `status="published"` with a future `published`.
    """

    import_id: str
    title: str
    body: str
    body_format: BodyFormat = "html"
    body_html: str = ""  # a Markdown body rendered, for files other systems read as HTML
    kind: PostKind = "post"
    status: PostStatus = "published"
    published: datetime | None = None
    updated: datetime | None = None
    path: str = ""
    slug: str = ""
    labels: tuple[str, ...] = ()
    author_name: str = ""  # as readers see it (a display name)
    author_login: str = ""  # WXR's author_login; "" where the format has none
    author_email: str = ""
    excerpt: str = ""
    lead_image: str = ""
    lead_image_caption: str = ""
    source_url: str = ""
    source_name: str = ""
    old_paths: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class CommentRecord:
    """A reader's comment, tied to its post (and parent comment) by source ids."""

    import_id: str
    post_import_id: str
    author_name: str
    body: str
    published: datetime
    body_format: BodyFormat = "html"
    parent_import_id: str = ""
    author_email: str = ""
    author_url: str = ""
    status: CommentStatus = "approved"


Record = SiteRecord | PostRecord | CommentRecord
