"""Numbers and times in public URLs that no page can have are a 404, never a 500."""

import pytest
from django.test import Client
from django.utils import timezone

from dateline.comments.models import Comment

pytestmark = pytest.mark.django_db

NOT_A_PAGE = [
    "/0000/",
    "/0001/",
    "/9999/",
    "/9999/12/",
    "/2024/13/",
    "/2024/00/",
    "/0000_01_01_archive.html",
    "/?page=1000000000000000000",
    "/?page=0",
    "/?page=%C2%B2",  # ², a digit to str.isdigit but not to int()
    "/?page=" + "9" * 5000,
    "/2024/?page=1000000000000000000",
    "/2024/05/?page=1000000000000000000",
    "/search/label/Malta?page=1000000000000000000",
    "/search?updated-max=9999-12-31T23:59:59-23:59",
    "/search?updated-max=0001-01-01T00:00:00%2B23:59",
    "/search?updated-max=2024-13-45T00:00:00",
    "/search?max-results=" + "9" * 5000,
    "/feeds/99999999999999999999999/comments/default",
    "/feeds/9223372036854775808/comments/default",
    "/sources/99999999999999999999999/",
]


@pytest.fixture
def reader() -> Client:
    """A client that answers as a server does: a 500 page instead of an exception."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", NOT_A_PAGE)
def test_numbers_no_page_can_have_are_a_404(reader, make_post, url):
    make_post(labels=("Malta",))
    assert reader.get(url).status_code == 404


def test_a_comment_for_a_post_id_no_database_holds_is_a_404(reader):
    response = reader.post("/comments/post/99999999999999999999999/", {"body": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("reply", ["²", "٣", "9" * 5000, "99999999999999999999999", "-1", ""])
def test_a_reply_target_that_is_not_an_id_is_ignored(reader, make_post, reply):
    post = make_post()
    response = reader.get(post.path, {"reply": reply})
    assert response.status_code == 200
    assert b"You are replying to comment" not in response.content


def test_a_reply_target_on_the_post_still_threads_the_reply(client, make_post):
    post = make_post()
    comment = Comment.objects.create(post=post, author_name="Ada", body="First.",
                                     created_at=timezone.now(), status="approved")  # fmt: skip
    response = client.get(post.path, {"reply": str(comment.pk)})
    assert f"You are replying to comment #{comment.pk}".encode() in response.content


def test_archive_paths_with_unicode_digits_are_not_archives(reader, make_post):
    """`\\d` matches any script's digits; a year is written in ASCII digits only."""
    make_post()
    assert reader.get("/٢٠٢٤/").status_code == 404
    assert reader.get("/2024/\u0660\u0665/").status_code == 404


def test_good_numbers_still_answer(client, make_post):
    post = make_post()
    year = post.published_at.year
    assert client.get(f"/{year}/").status_code == 200
    assert client.get(f"/{year}/{post.published_at.month:02d}/").status_code == 200
    assert client.get("/2007_07_01_archive.html")["Location"] == "/2007/07/"
    assert client.get(f"/feeds/{post.pk}/comments/default").status_code == 200
    assert client.get("/?page=1").status_code == 200
    assert client.get("/search?updated-max=9999-12-31T00:00:00Z").status_code == 200


@pytest.mark.parametrize(
    "url", ["/%00/", "/search/label/%00", "/feeds/posts/default/-/a%00b", "/2024/01/a%00.html",
            "/p/%00.html", "/sources/%00/", "/old%00path"],
)  # fmt: skip
def test_a_path_holding_nul_is_a_404_on_every_database(reader, make_post, url):
    """PostgreSQL's driver refuses NUL in text: each lookup of such a path was a 500."""
    make_post(labels=("Malta",))
    assert reader.get(url).status_code == 404
