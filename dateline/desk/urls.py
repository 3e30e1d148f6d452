"""/desk/: the author's pages."""

from django.urls import path

from dateline.desk import (
    comments_views,
    editor_views,
    image_views,
    moderate_views,
    people_views,
    previewing,
    revision_views,
    source_views,
    views,
)
from dateline.micropub import desk_views as micropub_desk

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    # Writing: the editor, posts, revisions, previews and images.
    path("posts/", editor_views.post_list, name="post-list"),
    path("posts/new/", editor_views.post_new, name="post-new"),
    path("posts/new/autosave/", editor_views.autosave, name="post-autosave-new"),
    path("posts/new/frame/", previewing.preview_frame, name="preview-frame-new"),
    path("posts/<int:post_id>/", editor_views.post_edit, name="post-edit"),
    path("posts/<int:post_id>/autosave/", editor_views.autosave, name="post-autosave"),
    path("posts/<int:post_id>/frame/", previewing.preview_frame, name="preview-frame"),
    path("posts/<int:post_id>/revisions/", revision_views.revision_list, name="revisions"),
    path(
        "posts/<int:post_id>/revisions/<int:revision_id>/restore/",
        revision_views.revision_restore,
        name="revision-restore",
    ),
    path("posts/preview/", previewing.live_preview, name="live-preview"),
    path("images/", image_views.upload_image, name="image-upload"),
    path("preview/<str:token>/", previewing.signed_preview, name="preview"),
    # Comments: the moderation inbox and the pages e-mailed links open.
    path("comments/", comments_views.inbox, name="comments"),
    path("comments/act/", comments_views.act, name="comments-act"),
    path("comments/<int:comment_id>/reply/", comments_views.reply, name="comments-reply"),
    path("moderate/<str:token>/", moderate_views.moderate, name="moderate"),
    # People: settings, people, one's profile, an invited author's password link.
    path("settings/", people_views.settings_page, name="settings"),
    path("people/", people_views.people_page, name="people"),
    path("profile/", people_views.profile_page, name="profile"),
    path("welcome/<uidb64>/<token>/", people_views.set_password, name="set-password"),
    path("welcome/done/", people_views.set_password_done, name="set-password-done"),
    # Sources: link checks (dateline.sources).
    path("sources/", source_views.sources_page, name="sources"),
    path("sources/<int:source_id>/check/", source_views.check_now, name="source-check"),
    # Micropub: an author's tokens for the apps they post from (dateline/micropub).
    path("tokens/", micropub_desk.tokens_page, name="tokens"),
]
