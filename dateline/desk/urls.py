"""/desk/: the author's pages."""

from django.urls import path

from dateline.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
]

# Comments: the moderation inbox and the pages e-mailed links open (deskmail).
from dateline.desk import comments_views, moderate_views  # noqa: E402

urlpatterns += [
    path("comments/", comments_views.inbox, name="comments"),
    path("comments/act/", comments_views.act, name="comments-act"),
    path("comments/<int:comment_id>/reply/", comments_views.reply, name="comments-reply"),
    path("moderate/<str:token>/", moderate_views.moderate, name="moderate"),
]
