"""sitemap.xml: every visible post and page, and every label page with posts.

Up to the protocol's 50,000 URLs it is one `urlset`; a bigger blog gets a `sitemapindex`
at /sitemap.xml naming `/sitemap.xml?page=N`, each a `urlset` of the next 50,000 (posts
newest first, then labels), so no post is left out of the map.

Written directly rather than through django.contrib.sitemaps: its per-item objects and
template grow with the blog, and the static mirror re-renders the sitemap
on every post edit (its lastmod changes). The posts' rows are read as the database driver
gives them (the ORM's converters cost more than the rest of the file). The output is the
same `urlset` the framework gave, with the same escaping, local dates and X-Robots-Tag
(a test compares the two, on SQLite and PostgreSQL).
"""

from datetime import datetime
from html import escape  # what Django's escape() calls, without its lazy-string wrapper

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from dateline.core.pagequery import reads
from dateline.core.urlvalues import page_number
from dateline.posts import paths
from dateline.posts.models import Label, Post
from dateline.posts.rawrows import local_times, raw_rows, zones

MAX_URLS = 50_000  # the protocol's limit for one file (and for one index)
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_HEAD = _XML + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
_INDEX_HEAD = _XML + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'


def _post_rows(start: int, stop: int) -> list[tuple[str, str | datetime]]:
    """(path, updated_at) of the visible posts from `start` to `stop`, newest first, as the
    driver returns them."""
    query = (
        Post.objects.visible().order_by("-published_at", "-id").values_list("path", "updated_at")
    )
    return raw_rows(query[start:stop]) if stop > start else []


# The dates of the last sitemap's times, with the zones they were worked out in.
_last_dates: tuple[tuple, dict] = ((), {})


def _lastmods(times: list[str | datetime]) -> list[str]:
    """Each time's local date; a time the last sitemap of this process had keeps its date
    (after one edit, every other post's time is as it was, and working out dates is much
    of the file's time)."""
    global _last_dates
    key = zones(Post.objects.db)
    known = _last_dates[1] if _last_dates[0] == key else {}
    local = local_times(Post.objects.db)
    found = {}
    for value in times:
        day = known.get(value)
        found[value] = day if day is not None else local(value).date().isoformat()
    _last_dates = (key, found)
    return [found[value] for value in times]


def _labels_with_posts() -> QuerySet:
    """The labels `selectors.label_counts()` lists (those with a published post), by name,
    asked through the link table: the posts' filter is then answered from an index
    instead of every post's row."""
    links = Post.labels.through.objects.filter(post__in=Post.objects.published())
    found = Label.objects.filter(pk__in=links.values("label_id")).order_by("name")
    return found.values_list("name", flat=True)


def _xml(body: list[str]) -> HttpResponse:
    response = HttpResponse("".join(body), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """The one urlset, or, past MAX_URLS, the index (no `page`) or its `page`-th urlset."""
    base = f"{request.scheme}://{request.get_host()}"
    raw_page = request.GET.get("page")
    post_count = Post.objects.visible().count()
    labels = _labels_with_posts()
    files = -(-(post_count + labels.count()) // MAX_URLS)
    if files <= 1:
        if raw_page is not None:
            raise Http404("This sitemap is one file: /sitemap.xml.")
        return _urlset(base, post_count, labels, 0)
    if raw_page is None:
        return _xml([
            _INDEX_HEAD,
            *(f"<sitemap><loc>{escape(base)}/sitemap.xml?page={n}</loc></sitemap>\n"
              for n in range(1, files + 1)),
            "</sitemapindex>\n",
        ])  # fmt: skip
    page = page_number(raw_page)
    if page > files:
        raise Http404(f"No such page: the sitemap has {files}.")
    reads(request, "page", page)
    return _urlset(base, post_count, labels, (page - 1) * MAX_URLS)


def _urlset(base: str, post_count: int, labels: QuerySet, start: int) -> HttpResponse:
    """The urlset of MAX_URLS entries from `start` in posts (newest first), then labels."""
    stop = start + MAX_URLS
    posts = _post_rows(start, min(stop, post_count))
    first_label = max(start - post_count, 0)
    labels = list(labels[first_label : max(stop - post_count, 0)])
    lastmods = _lastmods([updated for _, updated in posts])
    lines = [_HEAD]
    lines += [
        f"<url><loc>{escape(base + path)}</loc><lastmod>{day}</lastmod>"
        "<changefreq>monthly</changefreq></url>\n"
        for (path, _), day in zip(posts, lastmods, strict=True)
    ]
    lines += [
        f"<url><loc>{escape(base + paths.label_path(name))}</loc>"
        "<changefreq>weekly</changefreq></url>\n"
        for name in labels
    ]
    lines.append("</urlset>\n")
    return _xml(lines)
