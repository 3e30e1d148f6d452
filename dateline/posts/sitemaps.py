"""sitemap.xml: every visible post and page, and every label page with posts."""

from django.contrib.sitemaps import Sitemap

from dateline.posts import selectors
from dateline.posts.models import Label, Post


class PostSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

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
