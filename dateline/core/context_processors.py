"""What every page's layout needs: the blog's name and the sidebar."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dateline.core.sidebar import sidebar_html


def site(request: HttpRequest) -> dict:
    """The sidebar is lazy, so pages that do not show it (admin, feeds) run no query."""
    return {
        "site_title": settings.DATELINE_SITE_TITLE,
        "site_description": settings.DATELINE_SITE_DESCRIPTION,
        "sidebar_html": SimpleLazyObject(sidebar_html),
    }
