"""Old addresses from a migrated blog: a WordPress query permalink, or a path nothing else
answers, sent on with a 301."""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from dateline.posts.models import Redirect
from dateline.posts.paths import local_path_problem

# WordPress's plain permalinks name the page in the query of its front page (`/?p=1`),
# which our home page would answer with 200; they are looked up before it runs. The
# import stores each post's and page's such address in the Redirect table.
WORDPRESS_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "m", "feed")
WORDPRESS_FRONT = ("/", "/index.php")  # a blog in a folder: `/blog/?p=1` too
_MONTH = re.compile(r"(\d{4})(\d{2})?\d{0,8}")
_FEEDS = {"rss2": "/feeds/posts/default?alt=rss", "rss": "/feeds/posts/default?alt=rss",
          "atom": "/feeds/posts/default", "rdf": "/feeds/posts/default?alt=rss",
          "comments-rss2": "/feeds/comments/default?alt=rss"}  # fmt: skip


class RedirectFallbackMiddleware:
    """Answer a WordPress query permalink, or turn a 404 into a 301, from the Redirect
    table (a pretty permalink asked for without its trailing slash too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reading = request.method in ("GET", "HEAD")
        if reading and request.path.endswith(WORDPRESS_FRONT) and request.GET:
            target = self._wordpress(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code != 404 or not reading:
            return response
        candidates = [request.path]
        if not request.path.endswith("/"):
            candidates.append(request.path + "/")
        target = _redirect_for(candidates)
        if target and target != request.path:
            return HttpResponsePermanentRedirect(target)
        return response

    def _wordpress(self, request: HttpRequest) -> str | None:
        key = next((k for k in WORDPRESS_KEYS if k in request.GET), None)
        if key is None:
            return None
        value = request.GET[key]
        if key == "m" and (month := _MONTH.fullmatch(value)):
            year, number = month.group(1), month.group(2)
            return f"/{year}/{number}/" if number and "01" <= number <= "12" else f"/{year}/"
        if key == "feed" and value in _FEEDS:
            return _FEEDS[value]
        folder = request.path.removesuffix("index.php")
        query = f"?{key}={value}"
        return _redirect_for([folder + query, f"{folder}index.php{query}"])


def _redirect_for(old_paths: list[str]) -> str | None:
    """The stored target of the first old path that has one. Checked again on the way out:
    a row written before paths were checked, or by hand, never sends a reader offsite."""
    found = dict(
        Redirect.objects.filter(old_path__in=old_paths).values_list("old_path", "new_path")
    )
    for old in old_paths:
        target = found.get(old)
        if target and local_path_problem(target) is None:
            return target
    return None
