"""Blogger's URL scheme, served natively (README.md, "Addresses"; every post path it routes is
checked by posts.paths)."""

from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.generic.base import RedirectView

from dateline.comments import feeds as comment_feeds
from dateline.comments import views as comment_views
from dateline.core.urlvalues import IdConverter, MonthConverter, YearConverter
from dateline.micropub import views as micropub_views
from dateline.posts import views as post_views
from dateline.posts.feedquery import ProjectionConverter
from dateline.posts.feeds import LabelFeed, PostEntryFeed, PostsFeed, atom_or_rss
from dateline.posts.sitemaps import sitemap
from dateline.search import views as search_views
from dateline.serving import views as serving_views

# Numbers in paths match only values the site can hold (see core.urlvalues); registered
# before any URLconf (ours or an included one) names them.
register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")
register_converter(ProjectionConverter, "projection")

handler400 = serving_views.bad_request

urlpatterns = [
    path("", post_views.home, name="home"),
    path("<year:year>/", post_views.archive, name="archive-year"),
    path("<year:year>/<month:month>/", post_views.archive, name="archive-month"),
    # [0-9], not \d, which matches every script's digits.
    re_path(r"^[0-9]{4}/[0-9]{2}/[^/]+\.html$", post_views.post_detail, name="post"),
    re_path(r"^p/[^/]+\.html$", post_views.post_detail, name="page"),
    path(
        "<year:year>_<month:month>_01_archive.html",
        post_views.classic_archive,
        name="classic-archive",
    ),
    path("search", search_views.search, name="search"),
    path("search/", search_views.search),
    path("search/label/<path:expression>", post_views.label, name="label"),
    # Blogger's feeds: `default` (full content) or `summary`; formats by ?alt= (posts.feeds).
    path("feeds/posts/<projection:projection>", atom_or_rss(PostsFeed), name="feed-posts"),
    path(
        "feeds/posts/<projection:projection>/-/<path:expression>",
        atom_or_rss(LabelFeed),
        name="feed-label",
    ),
    path(
        "feeds/posts/<projection:projection>/<id:post_id>",
        atom_or_rss(PostEntryFeed),
        name="feed-post-entry",
    ),
    path(
        "feeds/comments/<projection:projection>",
        atom_or_rss(comment_feeds.CommentsFeed),
        name="feed-comments",
    ),
    path(
        "feeds/<id:post_id>/comments/<projection:projection>",
        atom_or_rss(comment_feeds.PostCommentsFeed),
        name="feed-post-comments",
    ),
    path("feed.json", atom_or_rss(PostsFeed, fixed_alt="jsonfeed"), name="feed-json"),
    path("atom.xml", RedirectView.as_view(url="/feeds/posts/default", permanent=True)),
    path("rss.xml", RedirectView.as_view(url="/feeds/posts/default?alt=rss", permanent=True)),
    path("comments/post/<id:post_id>/", comment_views.post_comment, name="post-comment"),
    path("micropub", micropub_views.micropub, name="micropub"),
    path("micropub/media", micropub_views.media, name="micropub-media"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", serving_views.robots_txt, name="robots"),
    path("admin/", admin.site.urls),
    path("desk/", include("dateline.desk.urls")),
    path("", include("dateline.clipping.urls")),  # /clip/ and /sources/ID/
    # Media (lead images) are few and small; served here so one process runs the whole site.
    re_path(r"^media/(?P<path>.+)$", serving_views.media, name="media"),
]
