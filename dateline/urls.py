"""Blogger's URL scheme (DESIGN §2), served natively."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic.base import RedirectView

from dateline.comments import feeds as comment_feeds
from dateline.comments import views as comment_views
from dateline.core import views as core_views
from dateline.posts import views as post_views
from dateline.posts.feeds import LabelFeed, PostsFeed, atom_or_rss
from dateline.posts.sitemaps import sitemap

urlpatterns = [
    path("", post_views.home, name="home"),
    re_path(r"^(?P<year>\d{4})/$", post_views.archive, name="archive-year"),
    re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/$", post_views.archive, name="archive-month"),
    re_path(r"^\d{4}/\d{2}/[^/]+\.html$", post_views.post_detail, name="post"),
    re_path(r"^p/[^/]+\.html$", post_views.post_detail, name="page"),
    re_path(
        r"^(?P<year>\d{4})_(?P<month>\d{2})_01_archive\.html$",
        post_views.classic_archive,
        name="classic-archive",
    ),
    path("search", post_views.search, name="search"),
    path("search/", post_views.search),
    path("search/label/<path:expression>", post_views.label, name="label"),
    path("feeds/posts/default", atom_or_rss(PostsFeed), name="feed-posts"),
    path("feeds/posts/default/-/<path:expression>", atom_or_rss(LabelFeed), name="feed-label"),
    path("feeds/comments/default", atom_or_rss(comment_feeds.CommentsFeed), name="feed-comments"),
    path(
        "feeds/<int:post_id>/comments/default",
        atom_or_rss(comment_feeds.PostCommentsFeed),
        name="feed-post-comments",
    ),
    path("atom.xml", RedirectView.as_view(url="/feeds/posts/default", permanent=True)),
    path("rss.xml", RedirectView.as_view(url="/feeds/posts/default?alt=rss", permanent=True)),
    path("comments/post/<int:post_id>/", comment_views.post_comment, name="post-comment"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots"),
    path("admin/", admin.site.urls),
    path("desk/", include("dateline.desk.urls")),
    path("", include("dateline.clipping.urls")),  # /clip/ and /sources/ID/
    # Media (lead images) are few and small; served here so one process runs the whole site.
    re_path(r"^media/(?P<path>.+)$", core_views.media, name="media"),
]
