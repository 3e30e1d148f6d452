"""Who may use the desk: active staff accounts (authors), sent to log in otherwise."""

from collections.abc import Callable

from django.contrib.auth.decorators import user_passes_test

LOGIN_URL = "/admin/login/"


def author_required(view: Callable) -> Callable:
    """An anonymous or non-staff visitor is sent to the login page, then back here."""
    check = user_passes_test(lambda user: user.is_active and user.is_staff, login_url=LOGIN_URL)
    return check(view)
