"""The blog's title, description and language for every Jinja2 page."""

from django.http import HttpRequest

from dateline.site_settings.current import for_request


def blog(request: HttpRequest) -> dict:
    effective = for_request(request)
    return {
        "site_title": effective.title,
        "site_description": effective.description,
        "LANGUAGE_CODE": effective.language,
    }
