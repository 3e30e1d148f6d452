"""Commenters' names: no bidi tricks, and nobody but the blog's authors signs as one of them."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from lxml import html as lxml_html

from dateline.comments.models import Comment
from dateline.core.text import clean_name
from dateline.posts.models import Label, Source
from tests.comments.test_comments import send
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db

RLO, PDF, LRI, PDI, RLM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f"


@pytest.fixture
def post(make_post):
    return make_post(title="Harbour strike")


@pytest.fixture
def ada(db):
    return get_user_model().objects.create_user(
        "ada", "ada@example.org", "pw-for-tests", first_name="Ada", last_name="Lovelace",
        is_staff=True,
    )  # fmt: skip


def test_clean_name_drops_bidi_controls_and_squeezes_spaces():
    assert clean_name(f" Ada{RLO}gpj.exe{PDF}  {LRI}Gozo{PDI}{RLM}\x00 ") == "Adagpj.exe Gozo"


def test_a_commenters_name_is_stored_without_bidi_controls(client, post):
    assert send(client, post, author_name=f"Reader {RLO}nimda").status_code == 303
    assert Comment.objects.get().author_name == "Reader nimda"


def test_a_name_of_only_invisible_characters_is_refused_with_the_text_kept(client, post):
    refused = send(client, post, author_name=f"{RLO}{PDF} {RLM}", body="Kept text")
    assert refused.status_code == 400
    assert b"Please give a name" in refused.content and b"Kept text" in refused.content
    assert not Comment.objects.exists()


def test_label_and_source_names_lose_bidi_controls_too(db):
    assert Label.objects.create(name=f"Mal{RLO}ta").name == "Malta"
    source = Source.objects.create(
        url="https://news.example/a", publisher=f"News{RLO} Daily", original_author=f"{LRI}Bo"
    )
    assert (source.publisher, source.original_author) == ("News Daily", "Bo")


@pytest.mark.parametrize(
    "name",
    ["ada", "ADA", "Ada Lovelace", "ada  LOVELACE", "AdaLovelace", "\uff41\uff44\uff41 lovelace",
     "Ada\u200bLovelace", f"Ada {RLO}Lovelace",
     # Look-alike letters: Cyrillic A, Komi de and a; Greek Alpha; digit 1 for l, 0 for O.
     "\u0410da Lovelace", "\u0410\u0501\u0430 Love1ace", "\u0391DA L0VELACE", "\u0430da"],
)  # fmt: skip
def test_a_reader_cannot_comment_under_an_authors_name(client, post, ada, name):
    refused = send(client, post, author_name=name, body="Kept text")
    assert refused.status_code == 400
    assert "is the name of this blog's author" in " ".join(visible_lines(refused.content))
    assert b"Kept text" in refused.content
    assert not Comment.objects.exists()


def test_names_that_only_resemble_an_authors_are_accepted(client, post, ada):
    assert send(client, post, author_name="Ada from Gozo").status_code == 303
    assert send(client, post, author_name="Lovelace").status_code == 303
    # Names a reader tells apart at a glance, though close in letters.
    assert send(client, post, author_name="Aida Lovelace").status_code == 303
    assert send(client, post, author_name="Ana").status_code == 303
    assert not Comment.objects.filter(by_author=True).exists()


def test_a_logged_in_author_comments_under_their_name_marked_as_the_author(post, ada):
    author = Client()
    author.force_login(ada)
    assert send(author, post, author_name="Ada Lovelace").status_code == 303
    comment = Comment.objects.get()
    assert comment.by_author
    comment.status = Comment.Status.APPROVED
    comment.save()
    reader_view = lxml_html.fromstring(Client().get(post.path).content)
    item = reader_view.get_element_by_id(f"comment-{comment.pk}")
    assert "by-author" in item.get("class").split()
    assert item.find(".//span[@class='comment-badge']").text == "author"


def test_a_logged_in_reader_who_is_not_staff_is_not_the_author(post, ada):
    reader = get_user_model().objects.create_user("bo", "bo@example.org", "pw-for-tests")
    client = Client()
    client.force_login(reader)
    assert send(client, post, author_name="Bo").status_code == 303
    assert send(client, post, author_name="Ada").status_code == 400
    assert Comment.objects.get().by_author is False


@pytest.mark.django_db(transaction=True)
def test_names_stored_before_lose_their_bidi_controls_when_migrated(make_post):
    post = make_post(title="Harbour strike")
    executor = MigrationExecutor(connection)
    before, after = (
        [("comments", "0002_comment_post_status_index")],
        executor.loader.graph.leaf_nodes(),
    )
    executor.migrate(before)
    try:
        old_comment = executor.loader.project_state(before).apps.get_model("comments", "Comment")
        old_comment.objects.create(post_id=post.pk, author_name=f"Reader {RLO}nimda",
                                   body="Hello", created_at=post.published_at)  # fmt: skip
        old_comment.objects.create(post_id=post.pk, author_name="Ada from Gozo",
                                   body="Hi", created_at=post.published_at)  # fmt: skip
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    names = sorted(Comment.objects.values_list("author_name", "by_author"))
    assert names == [("Ada from Gozo", False), ("Reader nimda", False)]
