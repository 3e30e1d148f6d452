"""What a post page tells the sites it is shared on and the machines that read it: Open
Graph and Twitter card values, and a JSON-LD BlogPosting that names the Source it is
based on (`isBasedOn`: the original's address, title, publisher, author and date).

URLs are absolute (a card is read far from the page). The JSON-LD is a data block
inside <script>: "<", ">" and "&" are written as JSON escapes, so no stored text can
close the element or open a comment there.
"""

import json
from typing import NamedTuple

from django.http import HttpRequest
from markupsafe import Markup

from dateline.posts.models import Post
from dateline.site_settings.current import current

HEADLINE_LENGTH = 110  # schema.org's advice for a headline


class Card(NamedTuple):
    url: str
    description: str  # post.meta_description, worked out once for the four places it goes
    image: str  # "" without a lead image
    json_ld: Markup


def _based_on(post: Post) -> dict | None:
    """The Source as schema.org's NewsArticle the post is based on (None: no Source)."""
    source = post.source
    if source is None or not source.link_url:
        return None
    publisher = {"@type": "Organization", "name": source.display_name}
    original: dict = {"@type": "NewsArticle", "url": source.link_url, "publisher": publisher}
    if source.original_title:
        original["headline"] = source.original_title[:HEADLINE_LENGTH]
    if source.original_author:
        original["author"] = {"@type": "Person", "name": source.original_author}
    if source.original_date:
        original["datePublished"] = source.original_date.isoformat()
    return original


def card(request: HttpRequest, post: Post) -> Card:
    """The post page's sharing values."""
    url = request.build_absolute_uri(post.path or request.path)
    image = request.build_absolute_uri(post.lead_image.url) if post.lead_image else ""
    blog = current()
    description = post.meta_description
    data: dict = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title[:HEADLINE_LENGTH],
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": blog.title},
        "author": {"@type": "Person", "name": post.byline} if post.byline else
                  {"@type": "Organization", "name": blog.title},
    }  # fmt: skip
    if post.published_at:
        data["datePublished"] = post.published_at.isoformat()
    data["dateModified"] = max(post.updated_at, post.published_at or post.updated_at).isoformat()
    if image:
        data["image"] = [image]
    labels = getattr(post, "label_list", None)
    if labels:
        data["keywords"] = [label.name for label in labels]
    if (original := _based_on(post)) is not None:
        data["isBasedOn"] = original
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Card(url, description, image, Markup(text))  # noqa: S704 - escaped above for a data block
