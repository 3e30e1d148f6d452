"""A refused comment says what is wrong beside each field and in a summary the page
focuses; an empty form is never called "too fast"."""

import time

import pytest
from lxml import html as lxml_html

from dateline.comments.forms import start_token
from dateline.comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(make_post):
    return make_post(title="Harbour strike")


def send(client, post, **fields):
    data = {"author_name": "", "author_email": "", "author_url": "", "body": "",
            "website": "", "started": start_token(time.time())}  # fmt: skip
    data.update(fields)
    return client.post(f"/comments/post/{post.pk}/", data)


def test_an_empty_comment_is_told_name_and_comment_are_required_not_too_fast(
    client, post, settings
):
    settings.DATELINE_COMMENT_MIN_SECONDS = 60  # a blank form is always sent "too fast"
    response = send(client, post)
    assert response.status_code == 400 and Comment.objects.count() == 0
    page = response.content.decode()
    assert "faster than a person can type" not in page
    tree = lxml_html.fromstring(response.content)
    summary = tree.get_element_by_id("comment-form-errors")
    assert summary.get("role") == "alert" and summary.get("autofocus") is not None
    assert summary.get("tabindex") == "-1"
    assert summary.text_content().strip() == "Name and comment are required."
    assert summary.find(".//a").get("href") == "#id_author_name"


@pytest.mark.parametrize(
    ("name", "error_id", "message"),
    [("author_name", "id_author_name_error", "Name is required."),
     ("body", "id_body_error", "Comment is required.")],
)  # fmt: skip
def test_each_missing_field_has_its_error_beside_it_and_described_by_it(
    client, post, name, error_id, message
):
    filled = {"author_name": "Ada", "body": "Words"}
    filled[name] = ""
    tree = lxml_html.fromstring(send(client, post, **filled).content)
    error = tree.get_element_by_id(error_id)
    assert error.text_content() == message
    field = tree.get_element_by_id(f"id_{name}")
    assert field.get("aria-invalid") == "true"
    assert field.get("aria-describedby") == error_id  # the id it names exists
    assert error.getnext() is field  # between the label and the field: seen before typing
    summary = tree.get_element_by_id("comment-form-errors").text_content().strip()
    assert summary == message


def test_a_filled_form_sent_too_fast_is_still_refused_with_the_text_kept(client, post, settings):
    settings.DATELINE_COMMENT_MIN_SECONDS = 60
    response = send(client, post, author_name="Ada", body="Quick words")
    assert response.status_code == 400
    summary = lxml_html.fromstring(response.content).get_element_by_id("comment-form-errors")
    assert "faster than a person can type" in summary.text_content()
    assert b"Quick words" in response.content


def test_a_bad_address_is_named_in_the_summary_and_linked_to_its_field(client, post):
    response = send(client, post, author_name="Ada", body="Hi", author_url="ftp://x.example")
    tree = lxml_html.fromstring(response.content)
    link = tree.get_element_by_id("comment-form-errors").find(".//a")
    assert link.get("href") == "#id_author_url"
    assert link.text_content() == "Web site: Only http and https addresses can be linked."
