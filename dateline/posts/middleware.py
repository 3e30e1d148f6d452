"""Old addresses from a migrated blog: consulted only when nothing else answered."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from dateline.posts.models import Redirect
from dateline.posts.paths import local_path_problem


class RedirectFallbackMiddleware:
    """Turn a 404 into a 301 when the Redirect table knows the old path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = (
            Redirect.objects.filter(old_path=request.path)
            .values_list("new_path", flat=True)
            .first()
        )
        # Checked again on the way out: a row written before paths were checked, or by
        # hand in the database, must still never send a reader to another site.
        if target and target != request.path and local_path_problem(target) is None:
            return HttpResponsePermanentRedirect(target)
        return response
