"""The sidebar (labels with counts, archive by month, pages), computed once per content version.

Counting every label and month costs tens of milliseconds on a big blog; the answer only
changes when content does, so each process keeps it keyed by the content version.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from dateline.core.versioning import current_version


@dataclass(frozen=True)
class SidebarLabel:
    name: str
    url: str
    post_count: int


@dataclass(frozen=True)
class SidebarPage:
    title: str
    path: str


@dataclass(frozen=True)
class Sidebar:
    labels: list[SidebarLabel]
    archive: list
    pages: list[SidebarPage]


def _build() -> Sidebar:
    from dateline.posts import selectors
    from dateline.posts.models import Post

    labels = [SidebarLabel(label.name, label.get_absolute_url(), label.post_count)
              for label in selectors.labels_with_counts()]  # fmt: skip
    pages = [SidebarPage(title, path) for title, path in
             Post.objects.pages().order_by("title").values_list("title", "path")]  # fmt: skip
    return Sidebar(labels=labels, archive=selectors.archive_counts(), pages=pages)


# What pages show in the sidebar's place while the static mirror renders them: an include
# of the one shared file (siteexport.shared). A context variable, as serving.fragments is.
_shown_instead: ContextVar[str | None] = ContextVar("dateline_sidebar_instead", default=None)


@contextmanager
def shown_instead(markup: str) -> Iterator[None]:
    """Pages rendered in this block show `markup` where the sidebar's widgets go."""
    token = _shown_instead.set(markup)
    try:
        yield
    finally:
        _shown_instead.reset(token)


def sidebar_html() -> SafeString:
    """The labels, pages and archive widgets as markup: rendering 200 labels and a decade of
    months costs more than the rest of a page, and it is the same on every page."""
    instead = _shown_instead.get()
    if instead is not None:
        return mark_safe(instead)  # noqa: S308 - the mirror's own include line
    key = f"dateline:sidebar-html:{current_version()}"
    found = cache.get(key)
    if found is None:
        found = render_to_string("serving/sidebar_widgets.html", {"sidebar": _build()})
        cache.set(key, found, timeout=24 * 3600)
    return mark_safe(found)  # noqa: S308 - rendered by our own autoescaping template
