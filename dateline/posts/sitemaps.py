"""sitemap.xml: every visible post and page, and every label page with posts, in one file.

Written directly rather than through django.contrib.sitemaps: its per-item objects and
template grow with the blog, and the static mirror re-renders the sitemap
on every post edit (its lastmod changes). The posts' rows are read as the database driver
gives them (the ORM's converters cost more than the rest of the file). The output is the
same `urlset` the framework gave, with the same escaping, local dates and X-Robots-Tag
(a test compares the two, on SQLite and PostgreSQL).
"""

from datetime import datetime
from html import escape  # what Django's escape() calls, without its lazy-string wrapper

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from dateline.posts import paths
from dateline.posts.models import Label, Post
from dateline.posts.rawrows import local_times, raw_rows, zones

MAX_URLS = 50_000  # the protocol's limit for one file; beyond it, an index would be needed
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


def _post_rows() -> list[tuple[str, str | datetime]]:
    """(path, updated_at) of every visible post, newest first, as the driver returns them."""
    query = (
        Post.objects.visible().order_by("-published_at", "-id").values_list("path", "updated_at")
    )
    return raw_rows(query[:MAX_URLS])


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


def _labels_with_posts(limit: int) -> list[str]:
    """The labels `selectors.label_counts()` lists (those with a published post), by name,
    asked through the link table: the posts' filter is then answered from an index
    instead of every post's row."""
    links = Post.labels.through.objects.filter(post__in=Post.objects.published())
    found = Label.objects.filter(pk__in=links.values("label_id")).order_by("name")
    return list(found.values_list("name", flat=True)[:limit])


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    base = f"{request.scheme}://{request.get_host()}"
    posts = _post_rows()
    labels = _labels_with_posts(MAX_URLS - len(posts))
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
    response = HttpResponse("".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
