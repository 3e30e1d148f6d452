"""Posts, labels, sources and redirects: the blog's content.

Derived fields (rendered HTML, slug, path, label key) are filled in `save()` by
delegating to pure functions, so every write path (admin, CLI, import) agrees.
"""

import html
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Coalesce
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from dateline.core.links import linkable_url
from dateline.core.rasters import validate_uploaded_raster
from dateline.core.text import clean_name, clean_text
from dateline.people.names import display_name
from dateline.posts import paths, rendering
from dateline.posts.labels import label_key, split_aliases
from dateline.posts.rendering import text_head


class Label(models.Model):
    """A label as written ("United States"), unique ignoring case and accents of spelling."""

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, unique=True, editable=False)
    aliases = models.TextField(
        blank=True, help_text="Other words that mean this label, one per line (Iranian, Tehran)."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = clean_name(self.name)
        self.key = label_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return paths.label_path(self.name)

    def clean(self) -> None:
        """Refuse a second label that differs only in case (forms call this; save() relies on
        the unique key as the last guard)."""
        self.name = clean_name(self.name)
        self.key = label_key(self.name)
        if Label.objects.filter(key=self.key).exclude(pk=self.pk).exists():
            raise ValidationError({"name": f"A label named {self.name!r} already exists."})

    @property
    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)


class Source(models.Model):
    """Where a clipped or republished story came from: data, not a line in the body."""

    url = models.URLField(max_length=2000, db_index=True)
    canonical_url = models.URLField(max_length=2000, blank=True, db_index=True)
    publisher = models.CharField(max_length=200, blank=True)
    original_title = models.CharField(max_length=500, blank=True)
    original_author = models.CharField(max_length=200, blank=True)
    original_date = models.DateTimeField(null=True, blank=True)
    original_image_url = models.URLField(
        max_length=2000, blank=True,
        help_text="The story's lead image where it came from (kept when it could not be fetched).",
    )  # fmt: skip
    fetched_at = models.DateTimeField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check_result = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.publisher or self.url

    def save(self, *args, **kwargs) -> None:
        # Clipped and imported pages may carry control characters (NUL breaks PostgreSQL).
        for name in ("url", "canonical_url", "original_image_url", "original_title"):
            setattr(self, name, " ".join(clean_text(getattr(self, name)).split()))
        self.publisher = clean_name(self.publisher)
        self.original_author = clean_name(self.original_author)
        super().save(*args, **kwargs)

    @property
    def link_url(self) -> str:
        """The original's address when it is safe to link (imports may carry anything)."""
        return linkable_url(self.url)

    # Decides where the Source line links once the original is dead: the sources app,
    # above this one, installs its fallback (SourcesConfig.ready); until then, the original.
    link_policy: "Callable[[Source, Post | None], str] | None" = None

    def link_for(self, post: "Post | None" = None) -> str:
        """Where a post's Source line links: the original, or a copy once the original is
        dead (the installed `link_policy`: dateline.sources.fallback)."""
        policy = Source.link_policy
        return policy(self, post) if policy is not None else self.link_url

    @property
    def is_dead(self) -> bool:
        """Link checks found the original gone (3 checks in a row)."""
        return self.last_check_result == "dead"

    @property
    def display_name(self) -> str:
        """The publisher, or the host name when the publisher is unknown."""
        if self.publisher:
            return self.publisher
        return paths.host_of(self.url)


class PostQuerySet(models.QuerySet):
    """The one visibility rule, reused by views, feeds, sitemaps, search and export."""

    def visible(self, now: datetime | None = None) -> "PostQuerySet":
        """Readers see it at `now` (default: the clock; queries compiled once pass a
        placeholder time that is swapped per call)."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def published(self, now: datetime | None = None) -> "PostQuerySet":
        """Published blog posts (not static pages) whose publish time has come."""
        return self.visible(now).filter(kind=Post.Kind.POST)

    def pages(self) -> "PostQuerySet":
        return self.visible().filter(kind=Post.Kind.PAGE)

    def for_listing(self) -> "PostQuerySet":
        """What a list of full posts shows, loaded in a constant number of queries.

        The comment count is a correlated subquery, so the database computes it only for
        the rows a page returns, not for every post before the LIMIT.
        """
        from dateline.comments.models import Comment

        approved = (
            Comment.objects.filter(post=models.OuterRef("pk"), status=Comment.Status.APPROVED)
            .order_by()
            .values("post")
            .annotate(count=models.Count("id"))
            .values("count")
        )
        return (
            self.select_related("source", "author__profile")
            .prefetch_related("labels")
            .annotate(
                approved_comment_count=Coalesce(
                    models.Subquery(approved, output_field=models.IntegerField()), 0
                )
            )
            .order_by("-published_at", "-id")
        )


DESCRIPTION_WORDS = 40  # words of a post's meta description


class Post(models.Model):
    # The post's own columns its article shows (posts/_post.html). The article's memo key,
    # the mirror's fingerprint of a post (siteexport.collect) and an import's test of
    # whether a post changed (interchange.import_posts) all start from this one list, so
    # a column the article starts showing is added here once.
    SHOWN_FIELDS = ("kind", "title", "path", "published_at", "lead_image", "lead_image_caption",
                    "body_html", "author_id")  # fmt: skip

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Static page"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published (scheduled when the time is in the future)"

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        HTML = "html", "HTML"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, allow_unicode=True, blank=True)
    path = models.CharField(
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="The page's address, e.g. /2007/07/slug.html; set on first publish.",
        validators=[paths.validate_post_path],
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    body_source = models.TextField("body", blank=True)
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    body_html = models.TextField(editable=False, blank=True)
    excerpt = models.TextField(blank=True)
    lead_image = models.ImageField(
        upload_to="images/%Y/%m/", blank=True, validators=[validate_uploaded_raster]
    )
    lead_image_caption = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="posts")
    import_ref = models.CharField(
        max_length=500, unique=True, null=True, blank=True, editable=False,
        help_text="The id this post had where it came from (a file, Blogger, WordPress).",
    )  # fmt: skip

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "published_at"]),
            # What the visibility rule and listing order read, by id: a label page sorts
            # its posts found through their links, and reads these columns of every one
            # (SQLite is told to use it: posts.selectors.VISIBLE_BY_ID).
            models.Index(fields=["id", "kind", "status", "published_at"],
                         name="posts_post_visible_by_id"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = " ".join(clean_text(self.title).split())
        self.lead_image_caption = clean_text(self.lead_image_caption).strip()
        self.excerpt = clean_text(self.excerpt)
        self.body_source = clean_text(self.body_source)
        self.body_html = rendering.render_body(self.body_source, self.body_format)
        if not self.slug:
            self.slug = paths.slug_for(self.title)
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.status == self.Status.PUBLISHED and not self.path:
            self.path = paths.unique_post_path(self)
        paths.validate_post_path(self.path)  # every writer, not only forms
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.path or reverse("admin:posts_post_change", args=[self.pk])

    @property
    def byline(self) -> str | None:
        """The author as readers see them (people.names: never the login name)."""
        return display_name(self.author) if self.author_id else None

    @property
    def memo_key(self) -> tuple:
        """Everything a post's article shows (posts/_post.html) in a listing, from what a
        listing reads: a build renders the article once per key (serving/fragments.py)."""
        source = self.source
        labels = getattr(self, "label_list", None)  # as the article reads them
        if labels is None:
            labels = self.labels.all()
        shown = (getattr(self, name) for name in self.SHOWN_FIELDS)
        return (
            self.pk, *(value.name if isinstance(value, FieldFile) else value for value in shown),
            self.byline,
            source and (source.pk, source.link_for(self), source.display_name,
                        source.original_date, source.fetched_at),
            tuple(label.name for label in labels),
            getattr(self, "approved_comment_count", None),
        )  # fmt: skip

    @property
    def meta_description(self) -> str:
        """The excerpt, or the body, as plain text cut to DESCRIPTION_WORDS words, for the
        page's meta tag.

        Only as much of the body is read as those words need: stripping a long body whole
        showed in an uncached post page's profile."""
        if self.excerpt:
            text = html.unescape(strip_tags(self.excerpt))
        else:
            text = text_head(self.body_html, DESCRIPTION_WORDS)
        return truncatewords(text, DESCRIPTION_WORDS)

    @property
    def is_visible(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state(self) -> str:
        """Draft, scheduled or published, as the author thinks of it."""
        if self.status == self.Status.DRAFT:
            return "draft"
        return "published" if self.is_visible else "scheduled"


class Redirect(models.Model):
    """An old address (from a migrated blog) that answers with a 301 to its new home."""

    old_path = models.CharField(max_length=500, unique=True, validators=[paths.validate_local_path])
    new_path = models.CharField(max_length=500, validators=[paths.validate_local_path])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"

    def save(self, *args, **kwargs) -> None:
        paths.validate_local_path(self.old_path)  # every writer: never an open redirect
        paths.validate_local_path(self.new_path)
        super().save(*args, **kwargs)
