"""/desk/: the author's pages."""

from django.urls import path

from dateline.desk import people_views, views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    # deskpeople: settings, people, one's profile, an invited author's password link
    path("settings/", people_views.settings_page, name="settings"),
    path("people/", people_views.people_page, name="people"),
    path("profile/", people_views.profile_page, name="profile"),
    path("welcome/<uidb64>/<token>/", people_views.set_password, name="set-password"),
    path("welcome/done/", people_views.set_password_done, name="set-password-done"),
]
