"""The desk's "Apps and tokens" page: make a token (shown once), list and revoke one's own."""

import pytest
from django.contrib.auth import get_user_model
from lxml import html as lxml_html

from dateline.micropub.models import Token
from dateline.micropub.tokens import create_token, token_for
from dateline.people.roles import AUTHOR, set_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(client):
    user = get_user_model().objects.create_user("writer")
    set_role(user, AUTHOR)
    client.force_login(user)
    client.user = user
    return client


def test_a_new_token_is_shown_once_and_works(author_client):
    made = author_client.post("/desk/tokens/", {"name": "Quill", "scopes": ["create", "media"]})
    assert made.status_code == 302 and made.headers["Location"] == "/desk/tokens/"
    response = author_client.get("/desk/tokens/")
    assert response.headers["Cache-Control"] == "private, no-store"
    raw = lxml_html.fromstring(response.content).findtext(".//code[@class='token-value']")
    token = token_for(raw)
    assert token.user == author_client.user and token.scopes == "create media"
    again = author_client.get("/desk/tokens/").content.decode()
    assert raw not in again and "Quill" in again and "create media" in again


def test_a_token_needs_a_name_and_a_scope(author_client):
    response = author_client.post("/desk/tokens/", {"name": ""})
    assert response.status_code == 200 and "Choose at least one." in response.content.decode()
    assert not Token.objects.exists()


def test_revoking_ones_own_token_only(author_client):
    mine, raw = create_token(author_client.user, ["create"], "mine")
    other = get_user_model().objects.create_user("other")
    set_role(other, AUTHOR)
    theirs, their_raw = create_token(other, ["create"], "theirs")
    assert author_client.post("/desk/tokens/", {"revoke": theirs.pk}).status_code == 404
    assert token_for(their_raw) is not None
    assert "theirs" not in author_client.get("/desk/tokens/").content.decode()
    assert author_client.post("/desk/tokens/", {"revoke": mine.pk}).status_code == 302
    assert token_for(raw) is None
    assert author_client.post("/desk/tokens/", {"revoke": "9" * 40}).status_code == 404


def test_readers_are_sent_to_log_in(client):
    assert client.get("/desk/tokens/").status_code == 302
    assert client.post("/desk/tokens/", {"name": "x", "scopes": ["create"]}).status_code == 302
    assert not Token.objects.exists()


def test_reloading_the_page_after_making_a_token_makes_no_second_one(author_client):
    """The browser's reload repeats the last request: after the redirect that is a GET."""
    made = author_client.post("/desk/tokens/", {"name": "Quill", "scopes": ["create"]},
                              follow=True)  # fmt: skip
    assert made.redirect_chain == [("/desk/tokens/", 302)]
    assert b"token-value" in made.content
    reloaded = author_client.get(made.request["PATH_INFO"])
    assert reloaded.status_code == 200 and b"token-value" not in reloaded.content
    assert Token.objects.filter(user=author_client.user).count() == 1
