"""Each request that reaches a view runs in the blog's stored time zone and language."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dateline.site_settings.current import applied


class BlogSettingsMiddleware:
    """Sits inside the page cache: a cached answer was already rendered in the settings
    it was cached under (a settings change moves the content version), so only requests
    that render pay for the look-up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with applied():
            return self.get_response(request)
