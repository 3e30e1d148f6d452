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


def test_masking_is_djangos_for_every_secret_including_the_alphabets_ends():
    last, first = CSRF_ALLOWED_CHARS[-1], CSRF_ALLOWED_CHARS[0]
    for secret in [last * 32, first * 32, (first + last) * 16] + [random_chars(32)
                                                                  for _ in range(500)]:  # fmt: skip
        token = masked(secret)
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret


def test_a_reader_keeps_a_valid_cookie_and_gets_a_new_one_otherwise(settings):
    secret = random_chars(32)
    token, cookie = reader_token(f"theme=dark; {settings.CSRF_COOKIE_NAME}={secret}")
    assert _unmask_cipher_token(token) == secret
    assert cookie.strip().startswith(f"csrftoken={secret};")
    assert "Path=/" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    token, cookie = reader_token(f"{settings.CSRF_COOKIE_NAME}=not-valid!")
    new_secret = cookie.split(";")[0].split("=")[1].strip()
    assert len(new_secret) == 32 and _unmask_cipher_token(token) == new_secret
    # A new reader's secret and mask come from one read: two halves, never the same chars.
    other_token, other_cookie = reader_token("")
    other_secret = other_cookie.split(";")[0].split("=")[1].strip()
    assert other_secret != new_secret and other_token[:32] not in (other_secret, token[:32])
    assert _unmask_cipher_token(other_token) == other_secret
    assert reader_token(f"{settings.CSRF_COOKIE_NAME}={'a' * 64}") is None  # Django unmasks
    settings.CSRF_USE_SESSIONS = True
    assert reader_token("") is None


def _csrf_round_trip(settings, cookies: dict) -> tuple[str, str | None, object]:
    """GET: a form's token from request_token; then POST it back through Django's check."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware
    from django.test import RequestFactory

    from dateline.core.readertoken import request_token

    def view(request):
        return HttpResponse()

    sessions, csrf = SessionMiddleware(view), CsrfViewMiddleware(view)
    get = RequestFactory().get("/")
    get.COOKIES.update(cookies)
    sessions.process_request(get)
    csrf.process_request(get)
    token = request_token(get)
    response = csrf.process_response(get, HttpResponse())
    response = sessions.process_response(get, response)
    post = RequestFactory().post("/", {"csrfmiddlewaretoken": token})
    post.COOKIES.update({name: morsel.value for name, morsel in response.cookies.items()})
    sessions.process_request(post)
    csrf.process_request(post)
    refused = csrf.process_view(post, view, (), {})
    cookie = response.cookies.get(settings.CSRF_COOKIE_NAME)
    return token, cookie.value if cookie else None, refused


def test_request_tokens_pass_djangos_check_with_a_new_or_kept_cookie(db, settings):
    token, cookie, refused = _csrf_round_trip(settings, {})
    assert refused is None and _unmask_cipher_token(token) == cookie
    kept = random_chars(32)
    token, cookie, refused = _csrf_round_trip(settings, {settings.CSRF_COOKIE_NAME: kept})
    assert refused is None and cookie == kept and _unmask_cipher_token(token) == kept


def test_request_tokens_pass_djangos_check_with_csrf_in_sessions(db, settings):
    settings.CSRF_USE_SESSIONS = True
    _token, cookie, refused = _csrf_round_trip(settings, {})
    assert refused is None and cookie is None


def test_a_wrong_token_is_still_refused(db, settings):
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware
    from django.test import RequestFactory

    csrf = CsrfViewMiddleware(lambda request: HttpResponse())
    post = RequestFactory().post("/", {"csrfmiddlewaretoken": masked(random_chars(32))})
    post.COOKIES[settings.CSRF_COOKIE_NAME] = random_chars(32)
    csrf.process_request(post)
    assert csrf.process_view(post, lambda request: None, (), {}).status_code == 403
