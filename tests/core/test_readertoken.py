"""Reader tokens made without a request are the tokens Django itself would accept."""

from collections import Counter

from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token

from dateline.core.readertoken import masked, random_chars, reader_token


def test_random_chars_cover_the_alphabet_evenly():
    drawn = Counter(random_chars(62_000))
    assert set(drawn) == set(CSRF_ALLOWED_CHARS)
    # 1,000 expected per character; rejection sampling keeps every count near it.
    assert min(drawn.values()) > 850 and max(drawn.values()) < 1150


def test_masked_tokens_unmask_to_the_secret_and_differ_each_time():
    secret = random_chars(32)
    first, second = masked(secret), masked(secret)
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret


def test_a_reader_keeps_a_valid_cookie_and_gets_a_new_one_otherwise(settings):
    secret = random_chars(32)
    token, cookie = reader_token(f"theme=dark; {settings.CSRF_COOKIE_NAME}={secret}")
    assert _unmask_cipher_token(token) == secret
    assert cookie.strip().startswith(f"csrftoken={secret};")
    assert "Path=/" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    token, cookie = reader_token(f"{settings.CSRF_COOKIE_NAME}=not-valid!")
    new_secret = cookie.split(";")[0].split("=")[1].strip()
    assert len(new_secret) == 32 and _unmask_cipher_token(token) == new_secret
    assert reader_token(f"{settings.CSRF_COOKIE_NAME}={'a' * 64}") is None  # Django unmasks
    settings.CSRF_USE_SESSIONS = True
    assert reader_token("") is None
