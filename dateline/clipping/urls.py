"""/clip/ (the author's clipping pages) and /sources/ID/ (a source's archived copy)."""

from django.urls import path

from dateline.clipping import views

urlpatterns = [
    path("clip/", views.clip, name="clip"),
    path("clip/jobs/<id:job_id>/", views.job_page, name="clip-job"),
    path("clip/jobs/<id:job_id>/retry/", views.retry, name="clip-retry"),
    path("sources/<id:source_id>/", views.source_page, name="source-snapshot"),
]
