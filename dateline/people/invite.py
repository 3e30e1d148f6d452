"""An editor adds an author: an account with no password yet, and a link to set one.

The link is Django's password-reset token, so it works once, stops working when the
password is set (or after PASSWORD_RESET_TIMEOUT), and needs no table of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dateline.people.models import Profile
from dateline.people.roles import set_role


@dataclass(frozen=True)
class Invited:
    user: AbstractBaseUser
    set_password_path: str


def set_password_path(user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("desk:set-password", args=[uid, token])


@transaction.atomic
def invite(username: str, display_name: str, email: str, role: str) -> Invited:
    """Create the account (staff, unusable password), its profile and role."""
    user = get_user_model().objects.create_user(username, email, None, is_staff=True)
    Profile.objects.create(user=user, display_name=display_name)
    set_role(user, role)
    return Invited(user, set_password_path(user))
