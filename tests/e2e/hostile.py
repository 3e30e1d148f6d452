"""Builders for the XSS corpus test: put every vector in every field a user or a file controls.

Each builder writes through the path real input takes: `Post.save()` (the admin and
`post add`), the comment form's POST, `clipping.drafts` (the /clip/ job), and the
interchange services (`dateline import`). Fields have length limits, so vectors are packed
into as few values as fit, and a vector longer than a field is cut (still hostile).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from dateline.clipping import drafts
from dateline.clipping.models import ClipJob
from dateline.comments.forms import start_token
from dateline.comments.models import Comment
from dateline.interchange.services import import_records, open_records
from dateline.posts.models import Label, Post
from tests.e2e.xss_vectors import HTML_VECTORS, VECTORS, Vector

WHEN = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)
SEARCH_WORD = "hostile"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def pack(texts: Iterable[str], limit: int, separator: str = " ") -> list[str]:
    """Greedy: as many texts per value as fit in `limit` characters; a longer one is cut."""
    values: list[str] = []
    current = ""
    for text in texts:
        text = text[:limit]
        joined = f"{current}{separator}{text}" if current else text
        if len(joined) <= limit:
            current = joined
            continue
        values.append(current)
        current = text
    if current:
        values.append(current)
    return values


def texts(vectors: Sequence[Vector] = VECTORS) -> list[str]:
    return [v.text for v in vectors]


def lead_image_name() -> str:
    """One small stored image the hostile posts share as their lead image."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), (120, 20, 20)).save(buffer, format="PNG")
    return default_storage.save("images/2024/04/hostile.png", ContentFile(buffer.getvalue()))


@dataclass
class HostileSite:
    """What the builders made, and where to look for it."""

    posts: list[Post] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    body_posts: list[Post] = field(default_factory=list)  # bodies holding the whole corpus
    commented: Post | None = None
    clip_job: ClipJob | None = None
    comments_refused: int = 0
    comments_stored: int = 0
    imports: Counter[str] = field(default_factory=Counter)


# --- posts, captions and labels (as the admin or `post add` writes them) ----------------
def build_posts(site: HostileSite) -> None:
    image = lead_image_name()
    labels = [Label.objects.create(name=name) for name in pack(texts(), 100)]
    site.labels.extend(labels)
    body_text = "\n\n".join([f"A {SEARCH_WORD} story.", *texts()])
    captions = pack(texts(), 500)
    for number, (fmt, body) in enumerate(
        [(Post.BodyFormat.MARKDOWN, body_text), (Post.BodyFormat.HTML, body_text)]
    ):
        post = _post(f"The whole corpus in a {fmt} body", body, fmt, captions[number], image, 0)
        post.labels.set(labels)
        site.body_posts.append(post)
    titles = pack(texts(), 300)
    for number, title in enumerate(titles, start=1):
        caption = captions[number % len(captions)]
        post = _post(title, f"A {SEARCH_WORD} title.", Post.BodyFormat.MARKDOWN, caption, image,
                     number)  # fmt: skip
        post.labels.add(labels[number % len(labels)])
        site.posts.append(post)
    site.posts[:0] = site.body_posts


def _post(title: str, body: str, fmt: str, caption: str, image: str, number: int) -> Post:
    post = Post(
        title=title, body_source=body, body_format=fmt, lead_image_caption=caption,
        status=Post.Status.PUBLISHED, published_at=WHEN + timedelta(minutes=number),
    )  # fmt: skip
    post.lead_image.name = image
    post.save()
    return post


# --- comments, through the real form -----------------------------------------------------
def build_comments(site: HostileSite, post: Post) -> None:
    """Names, web sites and text from the corpus, each comment POSTed as a reader would."""
    site.commented = post
    names = pack(texts(), 100)
    bodies = pack(texts(), 4000, separator="\n\n")
    for number, name in enumerate(names):
        vector = VECTORS[number % len(VECTORS)].text
        data = {
            "author_name": name,
            "author_email": "",
            "author_url": "https://example.com/?q=" + "".join(vector.split()),
            "body": bodies[number] if number < len(bodies) else f"Comment {number}.",
            "website": "",
            "started": start_token(0),
        }
        client = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")  # under the rate limit
        response = client.post(f"/comments/post/{post.pk}/", data)
        if response.status_code == 303:
            site.comments_stored += 1
        else:
            assert response.status_code == 400, response.status_code
            site.comments_refused += 1
            # Refused for its web site or a null character (forms refuse both): send it
            # again without them.
            data = {key: value.replace("\x00", "") for key, value in data.items()}
            data["author_url"] = ""
            response = Client(REMOTE_ADDR=f"198.51.101.{number + 1}").post(
                f"/comments/post/{post.pk}/", data
            )
            assert response.status_code == 303, response.content[:2000]
            site.comments_stored += 1
    for comment in Comment.objects.filter(post=post):
        comment.status = Comment.Status.APPROVED
        comment.save()  # as the admin's approve action does


# --- a clipped page ----------------------------------------------------------------------
def clipped_page_html() -> str:
    """A news page whose every part (head metadata, body, figure) carries vectors."""
    head_values = pack(texts(HTML_VECTORS), 250)
    meta = "".join(
        f'<meta {kind}="{name}" content="{escape(head_values[n % len(head_values)])}">'
        for n, (kind, name) in enumerate([
            ("property", "og:title"), ("name", "author"), ("property", "og:site_name"),
            ("name", "description"), ("property", "og:description"),
        ])
    )  # fmt: skip
    paragraphs = "".join(
        f"<p>Paragraph {n} of a {SEARCH_WORD} clipped article, long enough for an extractor "
        f"to keep it as body text. {chunk}</p>\n"
        for n, chunk in enumerate(pack(texts(HTML_VECTORS), 600))
    )
    page = (
        "<!DOCTYPE html><html lang='en'><head>"
        f"<title>{head_values[0]}</title>{meta}"
        '<link rel="canonical" href="javascript:alert(/xss-canonical/.source)">'
        '<meta property="og:url" content="javascript:alert(/xss-ogurl/.source)">'
        '<meta property="og:image" content="javascript:alert(/xss-ogimage/.source)">'
        f"</head><body><article><h1>{head_values[1]}</h1>{paragraphs}"
        f"<figure><img src='javascript:alert(/xss-figure/.source)'>"
        f"<figcaption>{head_values[2]}</figcaption></figure>"
        "</article></body></html>"
    )
    # Control characters stay in: links holding them (`java\x00script:`, `&#14;`) once made
    # the clip fail; clipping/_links.py now drops them before the sanitizer judges the link.
    return page


def build_clip(site: HostileSite, user) -> Post:
    """A /clip/ job run on pasted HTML, then published with hostile labels."""
    selection = " ".join(texts()[:20]).replace("\x00", "")  # the /clip/ form refuses NUL
    job = drafts.new_job(
        "https://news.invalid/2024/04/hostile-story.html",
        html=clipped_page_html(), title=VECTORS[0].text, selection=selection, user=user,
    )  # fmt: skip
    job = drafts.run_job(job.pk)
    assert job is not None and job.state == ClipJob.State.DONE, job and job.error
    post = job.post
    post.status = Post.Status.PUBLISHED
    post.published_at = WHEN + timedelta(hours=2)
    post.save()
    post.labels.set(site.labels[:3])
    site.clip_job = job
    site.posts.append(post)
    return post


# --- imported files ------------------------------------------------------------------------
def _xml_text(text: str) -> str:
    return xml_escape(_XML_INVALID.sub("", text))


def _xml_attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def _cdata(text: str) -> str:
    return "<![CDATA[" + _XML_INVALID.sub("", text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


_KIND = "http://schemas.google.com/blogger/2008/kind#"


def blogger_export() -> str:
    """A legacy Blogger export: hostile titles, bodies, labels, comment authors, URLs, text."""
    titles = pack(texts(), 300)
    labels = pack(texts(), 100)[:12]
    entries = []
    for number in range(2):
        post_id = f"tag:blogger.com,1999:blog-666.post-{number}"
        categories = "".join(
            f"<category scheme='http://www.blogger.com/atom/ns#' term={_xml_attr(label)}/>"
            for label in labels
        )
        body = f"<p>An imported {SEARCH_WORD} post.</p>" + "".join(texts())
        entries.append(
            f"<entry><id>{post_id}</id><published>2024-04-0{number + 2}T10:00:00Z</published>"
            f"<category scheme='http://schemas.google.com/g/2005#kind' term='{_KIND}post'/>"
            f"{categories}<title type='text'>{_xml_text(titles[number])}</title>"
            f"<content type='html'>{_xml_text(body)}</content>"
            f"<link rel='alternate' type='text/html' "
            f"href='http://hostile.blogspot.com/2024/04/imported-{number}.html'/>"
            "<author><name>Author</name></author></entry>\n"
        )
    for number, vector in enumerate(texts()[:40]):
        uri = ["javascript:alert(/xss-uri/.source)", "https://example.com/?" + vector][number % 2]
        entries.append(
            f"<entry><id>tag:blogger.com,1999:blog-666.post-9{number:03d}</id>"
            "<published>2024-04-03T10:00:00Z</published>"
            f"<category scheme='http://schemas.google.com/g/2005#kind' term='{_KIND}comment'/>"
            f"<title type='text'>c</title><content type='html'>{_xml_text(vector)}</content>"
            f"<author><name>{_xml_text(vector[:100])}</name><uri>{_xml_text(uri)}</uri></author>"
            "<thr:in-reply-to xmlns:thr='http://purl.org/syndication/thread/1.0' "
            "ref='tag:blogger.com,1999:blog-666.post-0'/></entry>\n"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n"
        "<id>tag:blogger.com,1999:blog-666</id><title type='text'>Hostile</title>\n"
        + "".join(entries)
        + "</feed>\n"
    )


def wxr_export() -> str:
    """A WordPress export: hostile titles, content, tags, post meta and comments."""
    titles = pack(texts(), 300)
    tags = pack(texts(), 100)[12:24]
    items = []
    for number in range(2):
        categories = "".join(
            f'<category domain="post_tag" nicename="t{n}">{_cdata(tag)}</category>'
            for n, tag in enumerate(tags)
        )
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>_dateline_{key}</wp:meta_key>"
            f"<wp:meta_value>{_cdata(value)}</wp:meta_value></wp:postmeta>"
            for key, value in [
                ("source_url", "javascript:alert(/xss-source-url/.source)//https://x.example/"),
                ("source_name", texts()[number]),
                ("lead_image_caption", titles[-1 - number]),
            ]
        )
        comments = "".join(
            f"<wp:comment><wp:comment_id>{number}{n:03d}</wp:comment_id>"
            f"<wp:comment_author>{_cdata(vector[:100])}</wp:comment_author>"
            f"<wp:comment_author_url>{_xml_text('https://example.com/?' + vector)}"
            "</wp:comment_author_url>"
            "<wp:comment_date_gmt>2024-04-03 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content>{_cdata(vector)}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>"
            "</wp:comment>"
            for n, vector in enumerate(texts()[40 * number : 40 * number + 40])
        )
        body = f"<p>A WordPress {SEARCH_WORD} post.</p>" + "".join(texts())
        items.append(
            f"<item><title>{_xml_text(titles[number + 2])}</title>"
            f"<link>https://hostile.example.org/2024/04/wxr-{number}/</link>"
            "<pubDate>Wed, 03 Apr 2024 08:30:00 +0000</pubDate>"
            f"<content:encoded>{_cdata(body)}</content:encoded>"
            f"<wp:post_id>{number + 1}</wp:post_id>"
            "<wp:post_date_gmt>2024-04-03 08:30:00</wp:post_date_gmt>"
            f"<wp:post_name>wxr-{number}</wp:post_name><wp:status>publish</wp:status>"
            f"<wp:post_type>post</wp:post_type>{categories}{meta}{comments}</item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Hostile</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>\n" + "".join(items) + "</channel></rss>\n"
    )


def build_imports(site: HostileSite, folder: Path) -> None:
    """Both exports through the interchange services, as `dateline import` runs them."""
    before = set(Post.objects.values_list("pk", flat=True))
    for name, text in [("blogger.xml", blogger_export()), ("wxr.xml", wxr_export())]:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        skipped: Counter[str] = Counter()
        summary = import_records(open_records(path, skipped=skipped), reader_skipped=skipped)
        site.imports[f"{name} posts"] += summary.posts
        site.imports[f"{name} comments"] += summary.comments
    site.posts.extend(Post.objects.exclude(pk__in=before).order_by("pk"))
