"""sitemap.xml: every visible post and page, and every label page with posts, in one file.

Written directly rather than through django.contrib.sitemaps: its per-item objects and
template took 0.44 s for a 10,000-post blog, and the static mirror re-renders the sitemap
on every post edit (its lastmod changes). The output is the same `urlset` the framework
gave, with the same escaping, local dates and X-Robots-Tag (a test compares the two).
"""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_safe

from dateline.posts import paths, selectors
from dateline.posts.models import Post

MAX_URLS = 50_000  # the protocol's limit for one file; beyond it, an index would be needed
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    base = f"{request.scheme}://{request.get_host()}"
    posts = list(
        Post.objects.visible()
        .order_by("-published_at", "-id")
        .values_list("path", "updated_at")[:MAX_URLS]
    )
    labels = selectors.label_counts().values_list("name", flat=True)[: MAX_URLS - len(posts)]
    lines = [_HEAD]
    lines += [
        f"<url><loc>{escape(base + path)}</loc>"
        f"<lastmod>{timezone.localtime(updated):%Y-%m-%d}</lastmod>"
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
