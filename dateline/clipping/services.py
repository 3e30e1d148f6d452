"""Clip a story: a URL (fetched) or pasted HTML becomes a draft Post with its Source.

One call does it all or nothing: extraction, images into media, the snapshot
file and the rows (Source, Post, Snapshot) in one transaction. When anything
fails, the files this clip created are removed and no row is left behind, and
the error's `.message` says what happened in words the author can act on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

from dateline.clipping import snapshot
from dateline.clipping.allow import configured_allow
from dateline.clipping.bounded import extract_with_deadline
from dateline.clipping.errors import NotAWebAddress
from dateline.clipping.extract import ExtractedArticle, PageLimits
from dateline.clipping.fetch import PAGE_POLICY, FetchPolicy, fetch
from dateline.clipping.images import MediaFiles, localize_body_images
from dateline.clipping.models import ClipJob, Snapshot
from dateline.clipping.signals import source_clipped
from dateline.core.links import linkable_url
from dateline.core.text import clean_text
from dateline.posts.models import Post, Source
from dateline.posts.tomarkdown import html_to_markdown

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
EXCERPT_WORDS = 60


@dataclass(frozen=True)
class ClipOptions:
    """How the author wants the draft: excerpt or full text, their selection, the author."""

    as_excerpt: bool = False
    selection: str = ""
    title_hint: str = ""
    author: Any = None  # a User, or None from the command line


@dataclass(frozen=True)
class ClipResult:
    """The new draft and what it was made from; `earlier` are posts clipped from the same URL."""

    post: Post
    source: Source
    snapshot: Snapshot
    full_html: str
    earlier: list[Post] = field(default_factory=list)


@dataclass(frozen=True)
class _Page:
    url: str
    content: str | bytes  # what the extractor reads
    raw: bytes  # what the snapshot keeps
    content_type: str = "text/html"
    status: int | None = None


def page_policy() -> FetchPolicy:
    """The fetch limits from settings; loopback only when settings/test.py allows it."""
    policy = replace(
        PAGE_POLICY,
        max_bytes=settings.DATELINE_CLIP_MAX_BYTES,
        total_timeout=float(settings.DATELINE_CLIP_TIMEOUT),
        allow=configured_allow(),
    )
    if getattr(settings, "DATELINE_CLIP_ALLOW_LOOPBACK", False):
        ports = frozenset({*policy.allowed_ports, *settings.DATELINE_CLIP_TEST_PORTS})
        policy = replace(policy, allow_loopback=True, allowed_ports=ports)
    return policy


def page_limits() -> PageLimits:
    """What extraction takes on, from settings."""
    return PageLimits(
        max_bytes=settings.DATELINE_CLIP_MAX_HTML_BYTES,
        max_elements=settings.DATELINE_CLIP_MAX_ELEMENTS,
    )


def extract(content: str | bytes, url: str) -> ExtractedArticle:
    """The article on a page, within the size, element and time limits in settings."""
    seconds = float(settings.DATELINE_CLIP_EXTRACT_TIMEOUT)
    return extract_with_deadline(content, url, page_limits(), seconds)


def image_policy() -> FetchPolicy:
    images = page_policy().for_images()
    return replace(images, max_bytes=settings.DATELINE_CLIP_IMAGE_MAX_BYTES)


def clip_url(
    url: str, options: ClipOptions = ClipOptions(), progress: Progress | None = None
) -> ClipResult:
    """Fetch `url` and clip the article on it into a draft."""
    report = progress or _quiet
    report(ClipJob.State.FETCHING)
    fetched = fetch(url.strip(), page_policy())
    content: str | bytes = fetched.body
    if fetched.charset:
        try:
            content = fetched.body.decode(fetched.charset)
        except (LookupError, UnicodeDecodeError):
            content = fetched.body  # let the extractor sniff the encoding
    page = _Page(fetched.url, content, fetched.body, fetched.content_type, fetched.status)
    return _clip(page, options, report)


def clip_html(
    html: str | bytes,
    url: str,
    options: ClipOptions = ClipOptions(),
    progress: Progress | None = None,
) -> ClipResult:
    """Clip pasted (or saved) HTML of the page at `url`; the page itself is not fetched."""
    url = url.strip()
    if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).hostname:
        raise NotAWebAddress()
    raw = html.encode("utf-8") if isinstance(html, str) else html
    return _clip(_Page(url, html, raw), options, progress or _quiet)


def _quiet(state: str) -> None:
    pass


def _clip(page: _Page, options: ClipOptions, progress: Progress) -> ClipResult:
    progress(ClipJob.State.EXTRACTING)
    article = extract(page.content, page.url)
    progress(ClipJob.State.SAVING)
    files = MediaFiles(image_policy(), settings.DATELINE_CLIP_MAX_IMAGES)
    blob: snapshot.StoredBlob | None = None
    try:
        lead = files.image(article.lead_image_url) if article.lead_image_url else None
        full_html = localize_body_images(article.body_html, files)
        blob = snapshot.store(page.raw)
        with transaction.atomic():
            result = _save(page, article, options, lead, full_html, blob)
    except BaseException:
        files.discard()
        if blob is not None:
            snapshot.discard(blob)
        raise
    return result


def _save(
    page: _Page,
    article: ExtractedArticle,
    options: ClipOptions,
    lead: str | None,
    full_html: str,
    blob: snapshot.StoredBlob,
) -> ClipResult:
    now = timezone.now()
    source = _create_source(page, article, now)
    lead_url = default_storage.url(lead) if lead else None
    # The caption describes the story's picture: kept even when the picture could not be
    # fetched (the editor says so, and the Source keeps the picture's original address).
    caption = article.lead_image_caption or None
    stored = Snapshot.objects.create(
        source=source,
        sha256=blob.sha256,
        path=blob.path,
        size=blob.size,
        content_type=_cut(page.content_type, 100),
        url=page.url,
        fetched_at=now,
        title=_cut(article.title, 500),
        article_html=snapshot.archive_html(full_html, lead_url, caption if lead else None),
    )
    excerpt = excerpt_for(article, options.selection)
    body_html = compose_body(full_html, excerpt, source, as_excerpt=options.as_excerpt)
    post = Post(
        title=_cut(article.title or options.title_hint or source.display_name, 300),
        status=Post.Status.DRAFT,
        body_format=Post.BodyFormat.MARKDOWN,  # the desk's editor edits Markdown, never HTML
        body_source=html_to_markdown(body_html),
        excerpt=excerpt,
        lead_image_caption=_cut(caption, 500),
        author=options.author,
        source=source,
    )
    post.lead_image.name = lead or ""
    post.save()
    source_clipped.send(sender=Source, source_id=source.pk, url=source.url)
    return ClipResult(post, source, stored, full_html, earlier_clips(post))


def _create_source(page: _Page, article: ExtractedArticle, now: datetime) -> Source:
    return Source.objects.create(
        url=article.url,
        canonical_url=article.canonical_url or "",
        publisher=_cut(article.publisher, 200),
        original_title=_cut(article.title, 500),
        original_author=_cut(article.author, 200),
        original_date=_as_aware(article.published),
        original_image_url=_cut(linkable_url(article.lead_image_url or ""), 2000),
        fetched_at=now,
        http_status=page.status,
    )


def excerpt_for(article: ExtractedArticle, selection: str = "") -> str:
    """The author's selection, else the page's description, else its opening words."""
    for candidate in (selection, article.description or ""):
        text = " ".join(clean_text(candidate).split())
        if text:
            return text[:2000]
    words = article.body_text.split()
    opening = " ".join(words[:EXCERPT_WORDS])
    return opening + (" …" if len(words) > EXCERPT_WORDS else "")


def compose_body(full_html: str, excerpt: str, source: Source, *, as_excerpt: bool) -> str:
    """The post body: the full article, or the excerpt quoted with a link to the story."""
    if not as_excerpt:
        return full_html
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in excerpt.split("\n\n") if p.strip())
    link = f'<a href="{escape(source.url)}">{escape(source.display_name)}</a>'
    return f"<blockquote>{paragraphs}</blockquote>\n<p>Read the full story at {link}.</p>"


def earlier_clips(post: Post) -> list[Post]:
    """Posts clipped before this one whose source has this post's URL or canonical URL."""
    source = post.source
    if source is None:
        return []
    urls = {u for u in (source.url, source.canonical_url) if u}
    same = Q(source__url__in=urls) | Q(source__canonical_url__in=urls)
    return list(Post.objects.filter(same, pk__lt=post.pk).order_by("-pk")[:5])


def _cut(value: str | None, limit: int) -> str:
    return (value or "")[:limit]


def _as_aware(value: datetime | None) -> datetime | None:
    """A page's date without a zone ("2024-06-14") is read in the blog's time zone."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)
