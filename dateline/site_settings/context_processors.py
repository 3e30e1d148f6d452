"""The blog's title, description and language for every Jinja2 page."""

from django.http import HttpRequest

from dateline.site_settings.current import current


def blog(request: HttpRequest) -> dict:
    effective = current()
    return {
        "site_title": effective.title,
        "site_description": effective.description,
        "LANGUAGE_CODE": effective.language,
    }
