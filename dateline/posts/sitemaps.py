"""sitemap.xml: every visible post and page, and every label page with posts, in one file.

Written directly rather than through django.contrib.sitemaps: its per-item objects and
template took 0.44 s for a 10,000-post blog, and the static mirror re-renders the sitemap
on every post edit (its lastmod changes). The posts' rows are read as the database driver
gives them (the ORM's converters cost more than the rest of the file). The output is the
same `urlset` the framework gave, with the same escaping, local dates and X-Robots-Tag
(a test compares the two, on SQLite and PostgreSQL).
"""

from datetime import datetime
from html import escape  # what Django's escape() calls, without its lazy-string wrapper

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from dateline.posts import paths, selectors
from dateline.posts.models import Post

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
    sql, params = query[:MAX_URLS].query.get_compiler(query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _local_date(value: str | datetime, stored, zone) -> str:
    """The local date of a DateTimeField value as the driver gives it: naive in the
    connection's zone from SQLite (text without Django's converter), aware from psycopg."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is None and stored is not None:
        value = value.replace(tzinfo=stored)
    if value.tzinfo is not None:
        value = value.astimezone(zone)
    return value.date().isoformat()


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    base = f"{request.scheme}://{request.get_host()}"
    posts = _post_rows()
    labels = selectors.label_counts().values_list("name", flat=True)[: MAX_URLS - len(posts)]
    stored = connections[Post.objects.db].timezone if settings.USE_TZ else None
    zone = timezone.get_current_timezone()
    lines = [_HEAD]
    lines += [
        f"<url><loc>{escape(base + path)}</loc>"
        f"<lastmod>{_local_date(updated, stored, zone)}</lastmod>"
        "<changefreq>monthly</changefreq></url>\n"
        for path, updated in posts
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
