"""sitemap.xml: every visible post and page, and every label page with posts."""

from django.contrib.sitemaps import Sitemap

from dateline.posts import selectors
from dateline.posts.models import Label, Post


class PostSitemap(Sitemap):
    changefreq = "monthly"
    # /sitemap.xml is one file, not an index: Django's pages past the first (?p=2) are
    # linked from nowhere, so a lower limit hid every older post from search engines.
    # 50,000 URLs is the protocol's limit for one file.
    limit = 50_000

    def items(self):
        return Post.objects.visible().only("path", "updated_at").order_by("-published_at", "-id")

    def location(self, item: Post) -> str:
        return item.path

    def lastmod(self, item: Post):
        return item.updated_at


class LabelSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return selectors.label_counts()

    def location(self, item: Label) -> str:
        return item.get_absolute_url()


SITEMAPS = {"posts": PostSitemap, "labels": LabelSitemap}
