"""Post authors arrive as users who cannot log in, with their display names, found again by
login or e-mail on a re-import; feeds show the display name."""

import pytest
from django.contrib.auth import get_user_model

from dateline.interchange.import_file import import_file
from dateline.posts.models import Post
from tests.interchange.blogs import wxr_file, wxr_item
from tests.interchange.dbstate import snapshot

pytestmark = pytest.mark.django_db
User = get_user_model()
AUTHORS = """<wp:author><wp:author_login>hana</wp:author_login>
<wp:author_email>hana@dale.example</wp:author_email>
<wp:author_display_name><![CDATA[Hana Q.]]></wp:author_display_name></wp:author>
<wp:author><wp:author_login>omar</wp:author_login>
<wp:author_first_name>Omar</wp:author_first_name><wp:author_last_name>Saleh</wp:author_last_name>
</wp:author>
"""


def blog(tmp_path, *, creators=("hana", "omar"), authors=AUTHORS, name="dale.xml"):
    items = [
        wxr_item(n, f"Story {n}", f"https://dale.example/{n}/").replace(
            "<dc:creator>admin</dc:creator>", f"<dc:creator>{creator}</dc:creator>"
        )
        for n, creator in enumerate(creators, start=1)
    ]
    return wxr_file(tmp_path / name, "dale.example", authors, *items)


def test_each_author_becomes_a_user_who_cannot_log_in_with_a_display_name(tmp_path):
    summary = import_file(blog(tmp_path))
    hana = Post.objects.get(title="Story 1").author
    omar = Post.objects.get(title="Story 2").author
    assert (hana.username, hana.get_full_name(), hana.email) == (
        "hana",
        "Hana Q.",
        "hana@dale.example",
    )
    assert (omar.username, omar.first_name, omar.last_name) == ("omar", "Omar Saleh", "")
    for user in (hana, omar):
        assert not user.is_active and not user.has_usable_password() and not user.is_staff
    assert summary.changes["authors created"] == 2


def test_a_re_import_finds_the_same_users_by_login_or_e_mail(tmp_path):
    import_file(blog(tmp_path))
    before, users = snapshot(), User.objects.count()
    again = import_file(blog(tmp_path))
    assert snapshot() == before and User.objects.count() == users
    assert not +again.changes
    renamed = AUTHORS.replace("<wp:author_login>hana", "<wp:author_login>hana.q")
    other = blog(tmp_path, creators=("hana.q",), authors=renamed, name="other.xml")
    import_file(other)
    assert User.objects.count() == users  # the same e-mail is the same person


def test_an_author_s_login_that_is_a_user_here_is_that_user_unchanged(tmp_path):
    me = User.objects.create_user("hana", "me@here.example", "pw", first_name="Me")
    import_file(blog(tmp_path, creators=("hana",)))
    post = Post.objects.get()
    assert post.author == me
    me.refresh_from_db()
    assert me.is_active and me.first_name == "Me" and me.check_password("pw")


def test_a_blogger_author_is_named_as_blogger_names_them(tmp_path, fixture_file):
    import_file(fixture_file("blogger-takeout.atom"))
    sam = Post.objects.get(title="Tankers seized in the Strait").author
    assert (sam.username, sam.get_full_name(), sam.email) == ("Sam", "Sam", "")


def test_an_author_name_that_is_no_username_gets_a_valid_one(tmp_path):
    path = blog(tmp_path, creators=("Hana Q. (desk)",), authors="")
    import_file(path)
    author = Post.objects.get().author
    assert (author.username, author.get_full_name()) == ("Hana-Q.-desk", "Hana Q. (desk)")
    author.full_clean()  # the username passes Django's own validator


def test_the_feed_shows_the_display_name(tmp_path, client):
    import_file(blog(tmp_path))
    feed = client.get("/feeds/posts/default").content.decode()
    assert "<name>Hana Q.</name>" in feed and "<name>hana</name>" not in feed
