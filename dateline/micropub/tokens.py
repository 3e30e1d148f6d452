"""Making and checking Micropub tokens: random, shown once, stored as SHA-256 digests."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from dateline.micropub.models import SCOPES, Token
from dateline.people.roles import role_of

PREFIX = "dlmp_"  # says what the token is when it turns up in a log or a file


class ScopeError(ValueError):
    """A scope Micropub does not know."""


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def parse_scopes(text: str) -> list[str]:
    """`create,update` or `create update` as known scopes, in SCOPES' order."""
    asked = {part for part in text.replace(",", " ").split() if part}
    unknown = sorted(asked - set(SCOPES))
    if unknown:
        raise ScopeError(f"unknown scope {', '.join(unknown)}: the scopes are {', '.join(SCOPES)}")
    if not asked:
        raise ScopeError(f"no scope given: choose from {', '.join(SCOPES)}")
    return [scope for scope in SCOPES if scope in asked]


def may_write(user: AbstractBaseUser) -> bool:
    """Whether `user` may hold a token: an active author or editor of the desk."""
    return bool(user.is_active and user.is_staff and role_of(user) is not None)


def create_token(user: AbstractBaseUser, scopes: list[str], name: str) -> tuple[Token, str]:
    """A new token for `user`; the raw value is returned once and never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = Token.objects.create(user=user, name=name[:100], scopes=" ".join(scopes),
                                 digest=digest_of(raw))  # fmt: skip
    return token, raw


def token_for(raw: str) -> Token | None:
    """The live token `raw` names (None: unknown, revoked, or its user no longer an active
    author or editor: a token never outlives its author's right to write)."""
    if not raw or len(raw) > 200:
        return None
    token = Token.objects.select_related("user").filter(digest=digest_of(raw)).first()
    if token is None or token.revoked_at is not None or not may_write(token.user):
        return None
    Token.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
