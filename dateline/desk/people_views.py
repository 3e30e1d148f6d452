"""The desk's settings, people and profile pages (and the link an invited author follows).

Settings and people need the editor role (or a superuser); every author has a profile.
Forms post normally and come back with their errors; a success redirects (no resubmit).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from dateline.desk.access import author_required
from dateline.desk.views import desk_page
from dateline.people.forms import InviteForm, ProfileForm
from dateline.people.invite import invite
from dateline.people.models import Profile
from dateline.people.names import display_name
from dateline.people.roles import (
    ROLE_NAMES,
    may_change_settings,
    may_manage_people,
    role_of,
)
from dateline.site_settings.current import defaults, stored_row
from dateline.site_settings.forms import SettingsForm


def _requires(check: Callable) -> Callable:
    """A desk page for those `check(user)` allows; other authors get a 403, not a login."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied("This page needs the editor role.")
            return view(request, *args, **kwargs)

        return author_required(guarded)

    return decorate


@_requires(may_change_settings)
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The blog's title, description, zone, language and comment policy."""
    row = stored_row()
    form = SettingsForm(_posted(request), instance=row, defaults=defaults())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved. Pages and feeds show them from now on.")
        return redirect("desk:settings")
    return desk_page(request, "desk/people/settings.html", "settings", form=form)


@_requires(may_manage_people)
@require_http_methods(["GET", "HEAD", "POST"])
def people_page(request: HttpRequest) -> HttpResponse:
    """Everyone who may use the desk, and a form to add an author."""
    form = InviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invited = invite(data["username"], data["display_name"], data["email"], data["role"])
        link = request.build_absolute_uri(invited.set_password_path)
        messages.success(
            request,
            f"{data['display_name']} was added. Send them this link to choose a password "
            f"(it works once, for a few days): {link}",
        )
        return redirect("desk:people")
    return desk_page(request, "desk/people/people.html", "people", form=form,
                     people=_people())  # fmt: skip


def _people() -> list[dict]:
    users = (
        get_user_model()
        .objects.filter(is_staff=True)
        .select_related("profile")
        .prefetch_related("groups")
        .order_by("-is_active", "username")
    )
    return [
        {"user": user, "name": display_name(user), "role": ROLE_NAMES.get(role_of(user), "None"),
         "named": bool(getattr(_profile(user), "display_name", "")),
         "has_password": user.has_usable_password()}
        for user in users
    ]  # fmt: skip


def _profile(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


@author_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_page(request: HttpRequest) -> HttpResponse:
    """One's own display name."""
    profile = _profile(request.user) or Profile(user=request.user)
    form = ProfileForm(_posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your display name is saved.")
        return redirect("desk:profile")
    return desk_page(request, "desk/people/profile.html", "profile", form=form,
                     shown_as=display_name(request.user))  # fmt: skip


def _posted(request: HttpRequest):
    """The submitted data, or None for a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


_TITLES = {"site_header": "Dateline", "site_title": "Dateline"}
set_password = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("desk:set-password-done"),
    extra_context={**_TITLES, "title": "Choose your password"},
)
set_password_done = auth_views.PasswordResetCompleteView.as_view(extra_context=_TITLES)
