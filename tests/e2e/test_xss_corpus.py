"""The XSS corpus (tests/e2e/xss_vectors.py, 150 vectors) in every field a user or an
imported file controls, loaded in Chromium on every page, feed and admin page that shows it.

A vector that runs raises a dialog, logs its marker or sets the title to it; markup that
would run on a click or hover (event handlers, script URLs, frames, <base>) is found in the
DOM. Pages are opened with the Content-Security-Policy bypassed, so the test proves the
markup is clean rather than that the CSP caught it. Requests to other hosts are refused, so
nothing leaves the machine. Many vectors share each page, so the corpus loads ~70 pages.
"""

from __future__ import annotations

import html
import re
from base64 import b64decode
from functools import partial
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from dateline.clipping.models import Snapshot
from dateline.comments.models import Comment
from dateline.core.sanitize import is_clean, sanitize_comment_html
from dateline.posts.models import Post, Source
from tests.e2e.hostile import (
    SEARCH_WORD,
    HostileSite,
    build_clip,
    build_comments,
    build_imports,
    build_posts,
    pack,
    texts,
)
from tests.e2e.xss_vectors import HTML_VECTORS, MARKDOWN_VECTORS, VECTORS

pytestmark = pytest.mark.django_db(transaction=True)

RAN = re.compile(r"xss-[\w-]+")

# Run after the page has loaded and painted twice (autofocus, animations and load events
# have fired by then): markup that could still run script, and the document's title.
PROBE = """async () => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const found = [];
    const note = el => found.push(el.outerHTML.slice(0, 160));
    const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background',
        'dynsrc', 'lowsrc', 'values', 'to', 'from', 'poster', 'codebase'];
    const scriptUrl = /^(javascript|vbscript|livescript|data:(?!image\\/|,$))/;
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
            if (name.startsWith('on') || name === 'srcdoc') note(el);
            else if (urlAttrs.includes(name) && scriptUrl.test(value)) note(el);
            // A meta's content acts only with http-equiv (refresh); a sharing card's
            // (og:title, twitter:title) is text other sites show.
            else if (el.localName === 'meta' && el.hasAttribute('http-equiv') &&
                     name === 'content' && /url=(javascript|vbscript|data:)/.test(value)) note(el);
            else if (name === 'style' && /expression|javascript|behavior/.test(value)) note(el);
        }
    }
    // The one frame we put there ourselves: the editor's preview of the post, from this
    // origin; its own page is probed at its address (see the paths below).
    const ownPreview = el => {
        const url = new URL(el.src, location.href);
        return el.id === 'preview-frame' && url.origin === location.origin &&
            url.pathname.startsWith('/desk/posts/') && url.pathname.endsWith('/frame/');
    };
    for (const el of document.querySelectorAll(
            'iframe, frame, frameset, object, embed, applet, base, meta[http-equiv=refresh i]'))
        if (!ownPreview(el)) note(el);
    for (const script of document.querySelectorAll('script')) {
        // Data blocks (JSON, the post page's JSON-LD) are never run.
        const data = ['application/json', 'application/ld+json'].includes(script.type);
        const inline = !script.src && !data;
        if (inline || (script.src && new URL(script.src).origin !== location.origin))
            note(script);
    }
    return {title: document.title, leftovers: found};
}"""


@pytest.fixture
def hostile_site(settings, tmp_path) -> HostileSite:
    """The corpus in posts, captions, labels, comments, a clip and two imported exports."""
    settings.DATELINE_PAGE_SIZE = 500  # every hostile post on the home page at once
    settings.DATELINE_FEED_SIZE = 500
    settings.DATELINE_CLIP_MAX_IMAGES = 0  # the clipped page's images are never fetched
    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pass 1 phrase")
    site = HostileSite()
    build_posts(site)
    build_comments(site, site.body_posts[0])
    build_clip(site, editor)
    build_imports(site, tmp_path)
    return site


def browse(new_page, live_server, *, staff: bool = False):
    """A page with the CSP bypassed that may only reach the test server."""
    page = new_page(bypass_csp=True)
    origin = live_server.url

    def only_here(route) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", only_here)
    if staff:
        client = Client()
        client.force_login(get_user_model().objects.get(username="editor"))
        cookie = client.cookies["sessionid"].value
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": origin}])
    return page


def check(page, path: str | None = None) -> list[str]:
    """Load `path` (or look at the page as it is) and say what ran or could run."""
    if path is not None:
        response = page.goto(path)
        if response is None or response.status != 200:
            return [f"{path}: status {response and response.status}"]
    where = path or page.url
    found = page.evaluate(PROBE)
    problems = [f"{where}: dialog {d}" for d in page.watch.dialogs]
    problems += [f"{where}: console {line}" for line in page.watch.console
                 if RAN.fullmatch(line.split(": ", 1)[-1])]  # fmt: skip
    problems += [f"{where}: uncaught {error}" for error in page.watch.errors]
    if RAN.fullmatch(found["title"]):
        problems.append(f"{where}: title set to {found['title']}")
    problems += [f"{where}: could run script: {html}" for html in found["leftovers"]]
    if urlsplit(page.url).scheme not in ("http", "https"):
        problems.append(f"{where}: navigated to {page.url}")
    page.watch.dialogs.clear()
    page.watch.console.clear()
    page.watch.errors.clear()
    return problems


def label_paths(site: HostileSite) -> list[str]:
    pages = [label.get_absolute_url() for label in site.labels[:6]]
    feeds = [
        "/feeds/posts/default/-/" + label.get_absolute_url().removeprefix("/search/label/")
        for label in site.labels[:2]
    ]
    return pages + feeds


def test_the_corpus_is_large_and_names_each_vector():
    assert len(VECTORS) >= 100
    assert len(HTML_VECTORS) >= 100 and len(MARKDOWN_VECTORS) >= 20
    markers = [v.marker for v in VECTORS]
    assert len(set(markers)) == len(markers)
    unnamed = [v.text for v in VECTORS if v.marker not in readable(v.text)]
    assert unnamed == []


def readable(text: str) -> str:
    """The vector with character references and base64 payloads decoded."""
    decoded = [
        b64decode(chunk + "==").decode("latin-1")
        for chunk in re.findall(r"base64,([\w+/=]+)", text)
    ]
    return html.unescape(text) + "".join(decoded)


def test_every_stored_body_is_already_clean(hostile_site):
    """What we store is what the sanitizer gives back unchanged: nothing left for nh3."""
    site = hostile_site
    assert site.comments_stored >= 50 and site.comments_refused > 0
    assert site.imports["blogger.xml posts"] == 2 and site.imports["wxr.xml posts"] == 2
    assert site.imports["blogger.xml comments"] == 40 and site.imports["wxr.xml comments"] == 80
    for post in Post.objects.all():
        assert is_clean(post.body_html), post.title
        assert "<script" not in post.body_html.lower()
    for comment in Comment.objects.all():
        assert sanitize_comment_html(comment.body_html) == comment.body_html, comment.pk
        assert "<script" not in comment.body_html.lower()
    snapshots = list(Snapshot.objects.all())
    assert snapshots
    for snapshot in snapshots:
        assert is_clean(snapshot.article_html)


def test_no_vector_runs_on_any_public_page_or_feed(new_page, live_server, hostile_site):
    site = hostile_site
    page = browse(new_page, live_server)
    commented = site.commented
    visible = [p for p in site.posts if p.is_visible]
    sources = Source.objects.filter(posts__in=visible).distinct()
    paths = [
        "/", "/2024/", "/2024/04/", f"/search?q={SEARCH_WORD}", *label_paths(site),
        "/feeds/posts/default", "/feeds/posts/default?alt=rss",
        "/feeds/comments/default", "/feeds/comments/default?alt=rss",
        f"/feeds/{commented.pk}/comments/default", "/sitemap.xml",
        *(post.path for post in visible),
        *(f"/sources/{source.pk}/" for source in sources),
    ]  # fmt: skip
    assert len(visible) >= 30 and sources.count() >= 3
    problems = []
    for path in paths:
        problems += check(page, path)
    assert not problems, "\n".join(problems)


def test_input_reflected_back_runs_nothing(new_page, live_server, hostile_site):
    """A search for a vector, and a refused comment form re-shown with what was typed."""
    page = browse(new_page, live_server)
    problems = []
    for query in pack(texts(), 600)[:6]:
        problems += check(page, f"/search?q={quote(query)}")
    post = hostile_site.commented
    bodies = pack(texts(), 4000)
    for number, (name, body) in enumerate(zip(pack(texts(), 100), bodies, strict=False)):
        page.goto(post.path)
        page.get_by_label("Name").fill(name)
        page.get_by_label("Web site (optional)").fill(
            f"javascript:alert(/xss-site-{number}/.source)"
        )
        page.get_by_label("Comment", exact=True).fill(body)
        page.get_by_role("button", name="Publish your comment").click()
        expect(page.locator(".field-error").first).to_be_visible()  # refused, and re-shown
        problems += check(page)
    assert not problems, "\n".join(problems)


def test_no_vector_runs_in_the_admin_or_the_clip_pages(new_page, live_server, hostile_site):
    site = hostile_site
    page = browse(new_page, live_server, staff=True)
    clip_post = site.clip_job.post
    imported = [p for p in site.posts if p.import_ref]
    comments = list(Comment.objects.order_by("pk")[:3])
    paths = [
        "/admin/posts/post/", f"/admin/posts/post/?q={SEARCH_WORD}",
        *(f"/admin/posts/post/{post.pk}/change/"
          for post in [*site.body_posts, site.posts[3], clip_post, *imported]),
        "/admin/comments/comment/", "/admin/comments/comment/?status__exact=approved",
        *(f"/admin/comments/comment/{comment.pk}/change/" for comment in comments),
        "/admin/posts/label/", f"/admin/posts/label/{site.labels[0].pk}/change/",
        "/admin/posts/source/",
        *(f"/admin/posts/source/{source.pk}/change/" for source in Source.objects.all()),
        "/admin/clipping/clipjob/", "/admin/clipping/snapshot/",
        f"/clip/jobs/{site.clip_job.pk}/", f"/sources/{clip_post.source_id}/",
        *(f"/desk/posts/{post.pk}/{frame}" for post in [*site.body_posts, clip_post, *imported]
          for frame in ("", "frame/")),
        "/desk/", "/desk/posts/", "/desk/comments/",
    ]  # fmt: skip
    problems = []
    for path in paths:
        problems += check(page, path)
    assert not problems, "\n".join(problems)


def test_the_probe_notices_a_title_a_dialog_or_a_lingering_frame(new_page, live_server):
    """The checks above can fail: each way a vector shows itself is caught."""
    page = browse(new_page, live_server)
    poisoned = {
        "/poisoned/title": "<title>t</title><img src=x onerror=document.title=/xss-1/.source>",
        "/poisoned/dialog": "<script>alert(/xss-2/.source)</script>",
        "/poisoned/frame": "<p>text</p><iframe srcdoc='<p>x</p>'></iframe>",
        "/poisoned/url": '<a href=" java\tscript:alert(1)">x</a>',
    }
    for path, body in poisoned.items():
        page.route(live_server.url + path, partial(fulfill_html, html=body))
        assert check(page, path), path


def fulfill_html(route, html: str) -> None:
    route.fulfill(status=200, content_type="text/html", body=html)
