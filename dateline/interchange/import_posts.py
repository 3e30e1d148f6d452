"""PostRecords → Post rows, a batch at a time, with the same results as `Post.save()`.

Bulk INSERT/UPDATE instead of one save per post (an import of 10,000 posts
must take seconds), so the derived fields `save()` fills in (clean title,
rendered body, slug, path) come from the same pure functions here. Paths are
checked against an in-memory map of every stored path instead of a query each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from dateline.core.text import clean_text
from dateline.posts import paths
from dateline.posts.models import Post, Source
from dateline.posts.services import stored_image_name

from .bulk import ids_by, insert_models
from .errors import ImportFileError
from .import_authors import AuthorWriter
from .import_legacy import LegacyPosts
from .import_links import LabelWriter, RedirectWriter
from .local_files import LocalFileRefused, LocalFiles
from .prepare import PostBody, post_body, post_source
from .records import PostRecord

if TYPE_CHECKING:
    from .summary import ImportSummary

# What the article shows, and what it is made from: a re-import that changes none of
# these changes nothing. The image is compared by its name (a FieldFile changes in place).
COMPARED = (
    *(name for name in Post.SHOWN_FIELDS if name != "lead_image"),
    "status", "body_source", "body_format", "excerpt", "slug", "source_id",
)  # fmt: skip
TITLE_MAX, SLUG_MAX, CAPTION_MAX = 300, 100, 500


class PostWriter:
    """Writes posts batch by batch; remembers import ref → id for comments."""

    def __init__(self, summary: ImportSummary, local_files: LocalFiles) -> None:
        self.summary = summary
        self.local_files = local_files
        self.ids: dict[str, int] = {}
        self.written: set[int] = set()  # created or updated, for `posts_imported`
        stored = Post.objects.filter(path__isnull=False).values_list("path", "import_ref")
        self.path_owner: dict[str, str | None] = dict(stored)
        self.authors = AuthorWriter(summary)
        self.labels = LabelWriter(summary)
        self.redirects = RedirectWriter(summary)
        self.legacy = LegacyPosts(summary)

    def write(self, records: Sequence[PostRecord], bodies: Sequence[PostBody | None]) -> None:
        """Store a batch; `bodies` holds each body if rendered ahead (see `prepare`), or None."""
        stored = ids_by(Post, "import_ref", [r.import_id for r in records])
        existing = {
            p.import_ref: p
            for p in Post.objects.filter(pk__in=stored.values()).select_related("source")
        }
        existing.update(self.legacy.adopt(records, existing, self.path_owner))
        posts, new, changed = [], [], []
        for record, body in zip(records, bodies, strict=True):
            self._count(record)
            post = existing.get(record.import_id) or Post(import_ref=record.import_id)
            if self._apply(post, record, body):
                (changed if post.pk else new).append(post)
            posts.append(post)
        self._store(new, changed, records)
        self.ids.update((p.import_ref, p.pk) for p in posts)
        self.written.update(p.pk for p in [*new, *changed])
        self.labels.set_labels(records, self.ids, {p.pk for p in new})
        self.redirects.add_records(records, {p.import_ref: p.path for p in posts})

    def _count(self, record: PostRecord) -> None:
        if record.import_id in self.ids or not record.import_id:
            raise ImportFileError(
                "the same id appears twice" if record.import_id else "post has no id",
                entry=record.import_id or record.title,
            )
        self.ids[record.import_id] = 0  # claimed; the real id comes after the INSERT
        if record.kind == "page":
            self.summary.pages += 1
        elif record.status == "draft":
            self.summary.drafts += 1
        else:
            self.summary.posts += 1

    def _apply(self, post: Post, record: PostRecord, body: PostBody | None) -> bool:
        """Set what the record says, as `Post.save()` would derive it."""
        before = tuple(getattr(post, name) for name in COMPARED)
        image_before = post.lead_image.name
        source_before = (post.source.url, post.source.publisher) if post.source else None
        post.title = " ".join(clean_text(record.title).split())[:TITLE_MAX]
        post.kind, post.status = record.kind, record.status
        post.excerpt = clean_text(record.excerpt)
        post.lead_image_caption = clean_text(record.lead_image_caption).strip()[:CAPTION_MAX]
        post.published_at = record.published or post.published_at
        post.slug = (record.slug or post.slug or paths.slug_for(post.title))[:SLUG_MAX]
        post.author_id = self.authors.user_id(record) or post.author_id
        self._body(post, record, body)
        self._image(post, record)
        self._source(post, record)
        if post.status == Post.Status.PUBLISHED and not post.published_at:
            post.published_at = timezone.now()
        self._path(post, record)
        source_after = (post.source.url, post.source.publisher) if post.source else None
        after = tuple(getattr(post, name) for name in COMPARED)
        return (
            post.pk is None
            or before != after
            or image_before != post.lead_image.name
            or source_before != source_after
            or (record.updated is not None and record.updated != post.updated_at)
        )

    def _body(self, post: Post, record: PostRecord, body: PostBody | None) -> None:
        """Render only a new or changed body (unless it came rendered)."""
        source = body.source if body else post_source(record)
        if post.pk is None or (source, record.body_format) != (post.body_source, post.body_format):
            rendered = body or post_body(record)
            post.body_source, post.body_format = source, record.body_format
            post.body_html = rendered.html
            if rendered.changes:
                title = record.title or "(untitled)"
                self.summary.changed.append(
                    f"{record.import_id} ({title}): " + ", ".join(rendered.changes)
                )

    def _image(self, post: Post, record: PostRecord) -> None:
        """A local file is copied into media (only through `local_files`, which keeps the
        import inside its own folder); our own media URL is kept as is."""
        image = record.lead_image
        if not image:
            return
        media_name = image.removeprefix(settings.MEDIA_URL)
        if image.startswith(settings.MEDIA_URL) and default_storage.exists(media_name):
            post.lead_image.name = media_name
        elif image.lower().startswith(("http://", "https://")):
            self.summary.notes["lead image on another site not downloaded"] += 1
        else:
            try:
                data, extension = self.local_files.read_image(image)
            except LocalFileRefused as refused:
                self.summary.notes[f"lead image not read: {refused}"] += 1
                return
            post.lead_image.name = stored_image_name(data, image, extension)

    def _source(self, post: Post, record: PostRecord) -> None:
        if not record.source_url:
            post.source = None
            return
        source = post.source or Source()
        source.url, source.publisher = record.source_url, record.source_name
        post.source = source

    def _path(self, post: Post, record: PostRecord) -> None:
        """Keep the path the post had; generate Blogger's when it had none (or a taken one)."""
        wanted = record.path or post.path or ""
        problem = paths.post_path_problem(wanted) if wanted else None
        if wanted and not problem and self._free(wanted, record.import_id):
            self._claim(post, wanted)
            return
        if wanted:
            reason = problem or "already used by another post"
            self.summary.notes[f"path {reason}; stored at a new path"] += 1
        if post.status != Post.Status.PUBLISHED:
            self._claim(post, None)
            return
        slug, suffix = paths.slug_for(post.slug), 2
        candidate = paths.post_path_for(post, slug)
        while not self._free(candidate, record.import_id):
            candidate = paths.post_path_for(post, f"{slug}-{suffix}")
            suffix += 1
        self._claim(post, candidate)
        if problem:  # the old address keeps working, if it is one of this site's
            self.redirects.add(wanted, candidate)

    def _free(self, path: str, import_id: str) -> bool:
        return self.path_owner.get(path, import_id) == import_id

    def _claim(self, post: Post, path: str | None) -> None:
        if post.path and post.path != path and self.path_owner.get(post.path) == post.import_ref:
            del self.path_owner[post.path]
        post.path = path
        if path:
            self.path_owner[path] = post.import_ref

    def _store(self, new: list[Post], changed: list[Post], records: Sequence[PostRecord]) -> None:
        self._store_sources([*new, *changed])
        now = timezone.now()
        updated = {r.import_id: r.updated for r in records if r.updated}
        for post in changed:
            post.updated_at = updated.get(post.import_ref, now)
        for post in new:  # stamped here, as auto_now(_add) would, but with the file's time
            # A file that gives no edit time: last edited when published (as WordPress
            # takes it), not all at the import's moment, which made every entry of a feed
            # "updated" at once and left orderby=updated no order.
            published = post.published_at if post.published_at and post.published_at < now else now
            post.created_at, post.updated_at = now, updated.get(post.import_ref, published)
        if new:
            insert_models(Post, new, key="import_ref")
        fields = [*COMPARED, "lead_image", "updated_at"]
        Post.objects.bulk_update(changed, fields, batch_size=500)
        self.summary.changes["posts created"] += len(new)
        self.summary.changes["posts updated"] += len(changed)

    def _store_sources(self, posts: list[Post]) -> None:
        sources = [p.source for p in posts if p.source is not None]
        stored = [s for s in sources if s.pk is not None]
        Source.objects.bulk_create([s for s in sources if s.pk is None], batch_size=500)
        Source.objects.bulk_update(stored, ["url", "publisher"], batch_size=500)
        for post in posts:
            post.source = post.source  # sets source_id from the Source saved just now
