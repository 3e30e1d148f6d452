"""A path holding a NUL character names no page: a 404 before anything looks it up.

No stored path, label or redirect can hold NUL (PostgreSQL's text refuses it), so every
lookup of such a path could only miss, and on PostgreSQL it was a 500 instead (the driver
refuses to send it): the post, label and redirect lookups all took the path as it came.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse


class NulPathMiddleware:
    """Answer 404 for any path holding NUL, ahead of the views and the redirect table."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("No page's address holds a NUL character.")
        return self.get_response(request)
