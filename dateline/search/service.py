"""The search page's one service: request parameters in, a typed page of results out.

Every step runs a fixed number of queries whatever the page size: the match window,
facets, one page of ranked ids, their snippets, then the posts as every listing loads
them. Each reads at most the newest MATCH_WINDOW matches, so a common word on a big
blog costs what it costs on a small one; the page then says it shows the best of those.
"""

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString

from dateline.core import memo
from dateline.core.text import strip_control_chars
from dateline.posts import selectors
from dateline.posts.labels import label_key
from dateline.posts.models import Label, Post
from dateline.search.backends import Filters, get_backend
from dateline.search.query import MAX_PREFIX_TERMS, MIN_PREFIX_CHARS, ParsedQuery, parse_query

MAX_LABEL_FILTERS = 5
LABEL_FACETS = 15
SUGGESTIONS = 8


@dataclass(frozen=True)
class SearchParams:
    """What the reader asked for, already parsed; bad values are dropped, not errors."""

    text: str
    labels: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    page: int = 1


@dataclass(frozen=True)
class Result:
    post: Post
    snippet: SafeString


@dataclass(frozen=True)
class MonthFacet:
    month: date
    count: int

    @property
    def last_day(self) -> date:
        following = (self.month.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)


@dataclass
class SearchPage:
    params: SearchParams
    query: ParsedQuery
    total: int = 0
    page_size: int = 10
    results: list[Result] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    unknown_labels: list[str] = field(default_factory=list)
    label_facets: list[tuple[Label, int]] = field(default_factory=list)
    month_facets: list[MonthFacet] = field(default_factory=list)
    suggestions: list[Label] = field(default_factory=list)
    # The database stopped the search at the request's time budget (core.dbbudget).
    too_slow: bool = False
    # More than `total` posts match: the count, the facets and the results are those of
    # the newest `total` matches (search.backends.base.MATCH_WINDOW).
    more: bool = False

    @property
    def notices(self) -> list[str]:
        """What of the reader's query was not searched as typed, in words for the page."""
        found = []
        if self.query.short_prefixes:
            found.append(
                f"Searched as whole words (a word start needs {MIN_PREFIX_CHARS} letters "
                f"before the *): {_listed(self.query.short_prefixes)}."
            )
        if self.query.dropped_prefixes:
            found.append(
                f"Left out (at most {MAX_PREFIX_TERMS} word starts are searched at once): "
                f"{_listed(self.query.dropped_prefixes)}."
            )
        return found

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1

    @property
    def has_next(self) -> bool:
        return self.params.page < self.num_pages


def _listed(texts: tuple[str, ...]) -> str:
    return ", ".join(f"\u201c{text}\u201d" for text in texts)


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip()[:10]) if raw else None
    except ValueError:
        return None


def params_from(data: QueryDict) -> SearchParams:
    """Read `q`, `label` (repeatable), `from`, `to` and `page` from a query string.

    Dates that are not YYYY-MM-DD and pages that are not numbers are ignored.
    """
    labels = (strip_control_chars(name).strip()[:100] for name in data.getlist("label"))
    names = tuple(dict.fromkeys(name for name in labels if name))
    start, end = _date(data.get("from")), _date(data.get("to"))
    if start and end and start > end:
        start, end = end, start
    page = data.get("page", "1")
    number = int(page) if page.isdigit() and len(page) < 7 else 1
    return SearchParams(
        text=strip_control_chars(data.get("q", "")[:1000]).strip(),
        labels=names[:MAX_LABEL_FILTERS],
        start=start,
        end=end,
        page=max(1, number),
    )


def _at_midnight(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def _filters(params: SearchParams, labels: list[Label]) -> Filters:
    end = None
    if params.end is not None and params.end < date.max:
        end = _at_midnight(params.end + timedelta(days=1))
    return Filters(
        now=timezone.now(),
        label_ids=tuple(label.pk for label in labels),
        start=_at_midnight(params.start),
        end=end,
    )


def _labels_named(names: tuple[str, ...]) -> tuple[list[Label], list[str]]:
    if not names:
        return [], []
    keys = {name: label_key(name) for name in names}
    found = {label.key: label for label in Label.objects.filter(key__in=keys.values())}
    labels = [found[key] for key in dict.fromkeys(keys.values()) if key in found]
    return labels, [name for name, key in keys.items() if key not in found]


def _labels_in_use() -> list[tuple[int, str, int]]:
    """(id, name and aliases case-folded, published posts) of every label in use, by name.

    Counting every label's posts costs a second or more on a big blog, and every search
    that finds nothing needs it: read once per content version, as the sidebar is."""
    return memo.shared("search-labels", _count_labels)


def _count_labels() -> list[tuple[int, str, int]]:
    rows = selectors.label_counts().values_list("pk", "name", "aliases", "post_count")
    return [(pk, f"{name}\n{aliases or ''}".casefold(), n) for pk, name, aliases, n in rows]


def suggest_labels(query: ParsedQuery) -> list[Label]:
    """Labels whose name or aliases hold a query word; else the most used labels."""
    labels = _labels_in_use()
    words = [word for word in query.words if len(word) >= 3]
    chosen = [row for row in labels if any(word in row[1] for word in words)][:SUGGESTIONS]
    if not chosen:
        chosen = sorted(labels, key=lambda row: -row[2])[:SUGGESTIONS]  # stable: by name
    by_id = Label.objects.in_bulk([pk for pk, _, _ in chosen])
    suggested = []
    for pk, _, count in chosen:
        if pk in by_id:
            by_id[pk].post_count = count
            suggested.append(by_id[pk])
    return suggested


def _results(page: SearchPage, filters: Filters) -> list[Result]:
    backend = get_backend()
    offset = (page.params.page - 1) * page.page_size
    ids = backend.ranked_ids(page.query, filters, offset, page.page_size)
    snippets = backend.snippets(page.query, ids)
    posts = {post.pk: post for post in selectors.posts_with_ids(ids, filters.now)}
    return [Result(posts[pk], snippets.get(pk, SafeString(""))) for pk in ids if pk in posts]


def search(params: SearchParams, page_size: int) -> SearchPage:
    """Ranked, highlighted, faceted results for one page; suggestions when none match."""
    page = SearchPage(params=params, query=parse_query(params.text), page_size=page_size)
    page.labels, page.unknown_labels = _labels_named(params.labels)
    if not page.query or page.unknown_labels:
        page.suggestions = suggest_labels(page.query)
        return page
    filters = _filters(params, page.labels)
    backend = get_backend()
    after = backend.window_start(page.query, filters)
    if after is not None:
        filters, page.more = replace(filters, after=after), True
    months = backend.month_counts(page.query, filters)
    page.total = sum(count for _, count in months)
    page.month_facets = [MonthFacet(date.fromisoformat(f"{m}-01"), n) for m, n in months]
    if not page.total:
        page.suggestions = suggest_labels(page.query)
    elif params.page <= page.num_pages:
        page.results = _results(page, filters)
        counts = backend.label_counts(page.query, filters, LABEL_FACETS)
        by_id = Label.objects.in_bulk([label_id for label_id, _ in counts])
        page.label_facets = [(by_id[i], n) for i, n in counts if i in by_id]
    return page


def too_slow(params: SearchParams, page_size: int) -> SearchPage:
    """The page for a search the database stopped: the form and the query, no results."""
    return SearchPage(params=params, query=parse_query(params.text), page_size=page_size,
                      too_slow=True)  # fmt: skip
