"""/desk/: the author's pages."""

from django.urls import path

from dateline.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
]
