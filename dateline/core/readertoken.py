"""A reader's CSRF token and cookie for a cached form page, made without a Django request.

Django's `get_token` draws every one of a token's 64 characters with its own call to the
operating system's random source; on a cached post page that was most of the time spent
answering. This module makes the same token from one read of `os.urandom`, in
Django's documented format (a 32-character mask followed by the secret shifted by it, both
in CSRF_ALLOWED_CHARS), and the same `Set-Cookie` header CsrfViewMiddleware sends. The
tests post comments with these tokens through Django's unmodified CSRF check.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS.encode()
_UNBIASED = 256 - 256 % len(_CHARS)  # bytes at or above this would favour some characters
_TO_CHAR = bytes(_CHARS[b % len(_CHARS)] for b in range(256))
_BIASED_BYTES = bytes(range(_UNBIASED, 256))
_ALLOWED = frozenset(CSRF_ALLOWED_CHARS)
_VALUE_PLACEHOLDER = "DATELINEREADERCOOKIEVALUE"


def random_chars(count: int) -> str:
    """`count` characters drawn uniformly from CSRF_ALLOWED_CHARS (rejection sampling)."""
    found = b""
    while len(found) < count:
        found += os.urandom(count * 2).translate(_TO_CHAR, _BIASED_BYTES)
    return found[:count].decode()


def _valid_secret(value: str | None) -> bool:
    return (
        value is not None
        and len(value) == CSRF_SECRET_LENGTH
        and all(char in _ALLOWED for char in value)
    )


# Each character's place in the alphabet, as a byte (a sum of two places goes back to a
# character through _TO_CHAR, which takes it modulo the alphabet's size).
_TO_INDEX = bytes(_CHARS.find(bytes([b])) % 256 for b in range(256))


def masked(secret: str, mask: str | None = None) -> str:
    """The secret shifted by a fresh mask (or this one), as django.middleware.csrf masks it.

    The 32 additions are done at once: as big integers, the two strings' places add byte
    by byte without a carry (each sum is below 124), and one translate takes each sum
    modulo the alphabet's size back to a character (a Python loop showed in a cached post
    page's profile)."""
    mask = mask or random_chars(CSRF_SECRET_LENGTH)
    places = (secret.encode().translate(_TO_INDEX), mask.encode().translate(_TO_INDEX))
    total = int.from_bytes(places[0]) + int.from_bytes(places[1])
    return mask + total.to_bytes(CSRF_SECRET_LENGTH).translate(_TO_CHAR).decode()


_cookie_memo: tuple[int, str] = (-1, "")


def _cookie_header(secret: str) -> str:
    """Django's own Set-Cookie for the CSRF cookie (built by HttpResponse.set_cookie once a
    second, as its expiry date moves with the clock)."""
    global _cookie_memo
    second = int(time.time())
    if _cookie_memo[0] != second:
        response = HttpResponse()
        response.set_cookie(
            settings.CSRF_COOKIE_NAME,
            _VALUE_PLACEHOLDER,
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        _cookie_memo = (second, response.cookies[settings.CSRF_COOKIE_NAME].output(header=""))
    return _cookie_memo[1].replace(_VALUE_PLACEHOLDER, secret)


def reader_token(cookie_header: str) -> tuple[str, str] | None:
    """(masked token for the form, Set-Cookie value) for the reader who sent these cookies:
    their own secret when they have a valid one, a new one otherwise (as Django does). None
    when Django must decide (CSRF kept in sessions, an old-style cookie)."""
    if settings.CSRF_USE_SESSIONS:
        return None
    secret = parse_cookie(cookie_header).get(settings.CSRF_COOKIE_NAME) if cookie_header else None
    if secret is not None and len(secret) == 2 * CSRF_SECRET_LENGTH:
        return None  # a cookie from before Django 4.0, which Django unmasks
    if _valid_secret(secret):
        return masked(secret), _cookie_header(secret)
    drawn = random_chars(2 * CSRF_SECRET_LENGTH)  # a new reader: secret and mask in one read
    secret, mask = drawn[:CSRF_SECRET_LENGTH], drawn[CSRF_SECRET_LENGTH:]
    return masked(secret, mask), _cookie_header(secret)


def request_token(request: HttpRequest) -> str:
    """django.middleware.csrf.get_token, with one random read instead of 64: the reader's
    secret (a new one when they have none, kept where CsrfViewMiddleware makes the cookie
    from) under a fresh mask. Every uncached form page and every page of a static build
    asks for one."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = random_chars(CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)
