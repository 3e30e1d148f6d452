"""Who may use the desk: active staff accounts (authors), sent to log in otherwise."""

from collections.abc import Callable

from django.contrib.auth.decorators import user_passes_test
from django.http import HttpResponse

LOGIN_URL = "/admin/login/"


def author_required(view: Callable) -> Callable:
    """An anonymous or non-staff visitor is sent to the login page, then back here."""
    check = user_passes_test(lambda user: user.is_active and user.is_staff, login_url=LOGIN_URL)
    return check(view)


def kept_private(response: HttpResponse, robots: str = "noindex") -> HttpResponse:
    """An author's page (or one a signed link opens) is nobody else's: never stored by a
    cache (the page cache skips `private`/`no-store`), never indexed."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = robots
    return response
