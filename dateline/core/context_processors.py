"""What every page's layout needs: the blog's name and the sidebar."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict:
    """Sidebar data is lazy, so pages that do not show it (admin, feeds) run no query."""
    from dateline.posts import selectors

    return {
        "site_title": settings.DATELINE_SITE_TITLE,
        "site_description": settings.DATELINE_SITE_DESCRIPTION,
        "sidebar_labels": SimpleLazyObject(lambda: list(selectors.label_counts())),
        "sidebar_archive": SimpleLazyObject(selectors.archive_counts),
        "sidebar_pages": SimpleLazyObject(
            lambda: list(selectors.Post.objects.pages().only("title", "path").order_by("title"))
        ),
    }
