"""What every page's layout needs from core: the sidebar (the blog's title, description and
language come from site_settings.context_processors, as the desk stores them)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dateline.serving.sidebar import sidebar_html


def site(request: HttpRequest) -> dict:
    """The sidebar is lazy, so pages that do not show it (admin, feeds) run no query."""
    return {"sidebar_html": SimpleLazyObject(sidebar_html)}
