"""`{% post_article post %}`: a post as posts/_post.html renders it, written in Python.

A listing page shows ten to a hundred articles, and each one through Django's template
engine costs about 130 us (variable lookups, filters, the include), most of a listing
page's time. This writes the same bytes directly: posts/_post.html stays the definition
(the post page still renders it), and tests hold this copy to it byte for byte on hostile
and unusual posts, so a change there that is not made here fails the suite. Every value
is escaped as the template would escape it; only the sanitized body goes in as is.
"""

import html
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from dateline.posts.models import Post
from dateline.posts.paths import label_path
from dateline.posts.templatetags.dateline_dates import date

register = template.Library()


def esc(value: object) -> str:
    """Django's conditional_escape without its lazy-string wrapper (a third of the time)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _number(value: int) -> str:
    """`{{ number }}`: localized only when the settings group thousands."""
    return localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


# A label's address depends on its name alone; a blog has hundreds of names, not millions.
_label_url = lru_cache(maxsize=4096)(label_path)


def _date(value: object, format_string: str) -> str:
    """`{{ value|date:format }}`: in the current time zone, escaped."""
    return esc(date(timezone.template_localtime(value), format_string))


def _source(post: Post) -> str:
    source = post.source
    if not source:
        return ""
    name = esc(source.display_name)
    link = source.link_url
    line = f'<a href="{esc(link)}" rel="noopener">{name}</a>' if link else name
    if source.original_date:
        line += (
            f', <time datetime="{_date(source.original_date, "c")}">'
            f"{_date(source.original_date, 'j F Y')}</time>"
        )
    if source.fetched_at:
        line += f' (<a href="/sources/{_number(source.pk)}/">archived copy</a>)'
    return f'<p class="post-source">Source: {line}</p>'


def _labels(post: Post) -> str:
    labels = getattr(post, "label_list", None)
    if labels is None:
        labels = list(post.labels.all())
    if not labels:
        return ""
    links = ", ".join(
        f'<a href="{esc(_label_url(label.name))}" rel="tag">{esc(label.name)}</a>'
        for label in labels
    )
    return f'<p class="post-labels">Labels: {links}</p>'


@register.simple_tag
def post_article(post: Post, heading: str = "h2") -> SafeString:
    """The article for a post; `heading` "h1" on its own page, "h2" in a listing."""
    title, path = esc(post.title), esc(post.path)
    if heading == "h1":
        head = f'<h1 class="post-title">{title}</h1>'
    else:
        head = f'<h2 class="post-title"><a href="{path}">{title}</a></h2>'
    published = post.published_at
    dated = (
        f'<p class="post-date"><time datetime="{_date(published, "c")}">'
        f"{_date(published, 'l, j F Y')}</time></p>"
        if published
        else ""
    )
    figure = ""
    if post.lead_image:
        caption = post.lead_image_caption
        figure = (
            f'<figure class="lead-figure">\n<img src="{esc(post.lead_image.url)}" '
            f'alt="{esc(caption or post.title)}">\n'
            + (f"<figcaption>{esc(caption)}</figcaption>" if caption else "")
            + "\n</figure>"
        )
    footer = ""
    if heading != "h1" and post.kind == "post":
        count = post.approved_comment_count
        footer = (
            f'<p class="post-footer"><a href="{path}#comments">'
            f"{_number(count)} comment{pluralize(count)}</a></p>"
        )
    lines = (
        f'<article class="post" id="post-{_number(post.pk)}">',
        head,
        dated,
        figure,
        f'<div class="post-body">{post.body_html}</div>',
        _source(post),
        _labels(post),
        footer,
        "</article>\n",
    )
    return mark_safe("\n".join(lines))  # noqa: S308 - each value escaped above; body sanitized
