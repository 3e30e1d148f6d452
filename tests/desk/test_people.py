"""The desk's settings, people and profile pages; display names; the two roles."""

import io
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from lxml import html as lxml_html

from dateline.comments.models import Comment
from dateline.core.versioning import current_version
from dateline.people.models import Profile
from dateline.people.roles import AUTHOR, EDITOR, role_of, set_role
from dateline.site_settings.current import current
from dateline.site_settings.models import BlogSettings
from tests.comments.test_comments import send

pytestmark = pytest.mark.django_db


def _person(username: str, role: str | None, display_name: str = "") -> Client:
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw",
                                                is_staff=True)  # fmt: skip
    if role:
        set_role(user, role)
    if display_name:
        Profile.objects.create(user=user, display_name=display_name)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor() -> Client:
    return _person("eda", EDITOR, "Eda Editor")


@pytest.fixture
def author() -> Client:
    return _person("hkim", AUTHOR, "Hana Kim")


def _settings_data(**values) -> dict:
    data = dict.fromkeys(("title", "description", "time_zone", "language", "comment_policy"), "")
    data.update(values)
    return data


def test_an_author_may_not_open_settings_or_people_nor_see_their_links(author):
    assert author.get("/desk/settings/").status_code == 403
    assert author.get("/desk/people/").status_code == 403
    assert author.post("/desk/settings/", _settings_data(title="Mine")).status_code == 403
    assert not BlogSettings.objects.exists()
    page = author.get("/desk/").content.decode()
    assert "/desk/settings/" not in page and "/desk/people/" not in page
    assert "/desk/profile/" in page
    assert author.get("/desk/profile/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in():
    for path in ("/desk/settings/", "/desk/people/", "/desk/profile/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=/desk/")


def test_an_editor_and_a_superuser_see_and_open_both(editor):
    page = editor.get("/desk/").content.decode()
    assert 'href="/desk/settings/"' in page and 'href="/desk/people/"' in page
    assert editor.get("/desk/settings/").status_code == 200
    boss = get_user_model().objects.create_superuser("boss", "b@example.org", "pw")
    client = Client()
    client.force_login(boss)
    assert client.get("/desk/people/").status_code == 200


def test_the_environments_values_show_as_defaults_while_nothing_is_stored(editor, settings):
    settings.DATELINE_SITE_TITLE = "Harbour Notes"
    settings.TIME_ZONE = "Europe/Tallinn"
    response = editor.get("/desk/settings/")
    page = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "Empty: the default, “Harbour Notes”." in page
    assert "Empty: the default, “Europe/Tallinn”." in page
    assert current().title == "Harbour Notes" and current().stored == frozenset()
    assert "<title>Harbour Notes</title>" in Client().get("/").content.decode()


def test_saved_values_are_stored_and_used(editor):
    response = editor.post("/desk/settings/", _settings_data(
        title="  Tide Tables ", description="Where the\nwater goes.", time_zone="Asia/Tokyo",
        language="de", comment_policy="none"))  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/desk/settings/"
    row = BlogSettings.objects.get()
    assert (row.title, row.description, row.time_zone, row.language, row.comment_policy) == (
        "Tide Tables", "Where the water goes.", "Asia/Tokyo", "de", "none")  # fmt: skip
    assert "Settings saved." in editor.get("/desk/settings/").content.decode()
    home = lxml_html.fromstring(Client().get("/").content)
    assert home.get("lang") == "de"
    assert home.findtext(".//title") == "Tide Tables"
    assert home.find(".//meta[@name='description']").get("content") == "Where the water goes."


def test_emptying_a_field_brings_back_the_default(editor, settings):
    editor.post("/desk/settings/", _settings_data(title="Tide Tables"))
    assert current().title == "Tide Tables"
    editor.post("/desk/settings/", _settings_data())
    assert current().title == settings.DATELINE_SITE_TITLE
    assert BlogSettings.objects.count() == 1


def test_an_unknown_time_zone_is_refused_with_its_name_and_nothing_is_stored(editor):
    editor.post("/desk/settings/", _settings_data(title="Kept"))
    response = editor.post("/desk/settings/", _settings_data(title="Lost", time_zone="Mars/Base"))
    assert response.status_code == 200
    assert "“Mars/Base” is not a time zone name" in response.content.decode()
    assert BlogSettings.objects.get().title == "Kept"
    response = editor.post("/desk/settings/", _settings_data(time_zone="../../etc/passwd"))
    assert "is not a time zone name" in response.content.decode()


def test_a_change_moves_the_content_version_and_the_cached_page_shows_it(editor, make_post):
    make_post(title="Harbour strike")
    reader = Client()
    first = reader.get("/")
    assert reader.get("/")["X-Dateline-Cache"] == "hit"
    before = current_version()
    editor.post("/desk/settings/", _settings_data(title="Tide Tables"))
    assert current_version() != before
    after = reader.get("/")
    assert after["X-Dateline-Cache"] == "miss"
    assert b"<title>Tide Tables</title>" in after.content
    assert b"Tide Tables" not in first.content
    feed = reader.get("/feeds/posts/default")
    assert b"<title>Tide Tables</title>" in feed.content


def test_pages_are_written_in_the_stored_time_zone(editor, make_post):
    post = make_post(title="Late edition", published_at=datetime(2024, 5, 1, 20, tzinfo=UTC))
    assert "Wednesday, 1 May 2024" in Client().get(post.path).content.decode()
    editor.post("/desk/settings/", _settings_data(time_zone="Asia/Tokyo"))
    assert "Thursday, 2 May 2024" in Client().get(post.path).content.decode()
    assert "/2024/05/" in post.path


def test_the_comment_policy_decides_what_waits(client, make_post, settings):
    settings.DATELINE_COMMENT_RATE = 50  # seven comments from one address here
    post = make_post(title="Harbour strike")
    Comment.objects.create(post=post, author_name="Ada", author_email="ADA@example.org",
                           body="Earlier", created_at=post.published_at,
                           status="approved")  # fmt: skip

    def status_of(body: str, email: str = "ada@example.org") -> str:
        send(client, post, body=body, author_email=email)
        return Comment.objects.get(body=body).status

    assert status_of("Default: all wait") == "pending"
    settings.DATELINE_COMMENTS_AUTO_APPROVE_KNOWN = True  # the environment's default
    assert status_of("Known, trusted") == "approved"
    assert status_of("Stranger waits", "new@example.org") == "pending"
    row = BlogSettings.objects.create(comment_policy="all")
    assert status_of("Stored policy wins over the environment") == "pending"
    row.comment_policy = "none"
    row.save()
    assert status_of("Anyone goes", "new@example.org") == "approved"
    row.comment_policy = "first"
    row.save()
    assert status_of("Stranger waits again", "other@example.org") == "pending"


def test_no_policy_still_keeps_the_bot_trap(client, make_post):
    post = make_post(title="Harbour strike")
    BlogSettings.objects.create(comment_policy="none")
    send(client, post, body="Buy now", website="https://spam.example/")
    assert not Comment.objects.filter(body="Buy now", status="approved").exists()


def test_feeds_and_pages_show_the_display_name_never_the_login_name(author, make_post):
    post = make_post(title="Harbour strike", author=author.user)
    atom = Client().get("/feeds/posts/default").content.decode()
    rss = Client().get("/feeds/posts/default?alt=rss").content.decode()
    page = Client().get(post.path).content.decode()
    listing = Client().get("/").content.decode()
    assert "<author><name>Hana Kim</name></author>" in atom
    assert ">Hana Kim</dc:creator>" in rss
    assert "Posted by Hana Kim" in page and "Posted by Hana Kim" in listing
    for served in (atom, rss, page, listing):
        assert "hkim" not in served


def test_without_a_display_name_the_full_name_then_the_blogs_title(make_post, settings):
    settings.DATELINE_SITE_TITLE = "Harbour Notes"
    plain = get_user_model().objects.create_user("login-only")
    make_post(title="Harbour strike", author=plain)
    atom = Client().get("/feeds/posts/default").content.decode()
    assert "<author><name>Harbour Notes</name></author>" in atom and "login-only" not in atom
    plain.first_name, plain.last_name = "Ola", "Nordmann"
    plain.save()
    Profile.objects.create(user=plain)  # an empty display name: a change readers see
    atom = Client().get("/feeds/posts/default").content.decode()
    assert "<author><name>Ola Nordmann</name></author>" in atom


def test_an_author_sets_their_display_name_and_readers_see_it_at_once(author, make_post):
    post = make_post(title="Harbour strike", author=author.user)
    reader = Client()
    assert "Posted by Hana Kim" in reader.get(post.path).content.decode()
    response = author.post("/desk/profile/", {"display_name": "  H.   Kim "})
    assert response.status_code == 302
    assert Profile.objects.get(user=author.user).display_name == "H. Kim"
    assert "Posted by H. Kim" in reader.get(post.path).content.decode()
    blank = author.post("/desk/profile/", {"display_name": "   "})
    assert blank.status_code == 200 and "This field is required." in blank.content.decode()


def test_a_user_without_a_profile_gets_one_on_the_profile_page():
    client = _person("newbie", AUTHOR)
    assert "Readers see your posts signed" in client.get("/desk/profile/").content.decode()
    client.post("/desk/profile/", {"display_name": "New Bie"})
    assert Profile.objects.get(user=client.user).display_name == "New Bie"


def test_an_editor_adds_an_author_who_sets_a_password_by_the_link(editor):
    response = editor.post("/desk/people/", {
        "username": "maren", "display_name": "Maren Lie", "email": "maren@example.org",
        "role": "author"})  # fmt: skip
    assert response.status_code == 302
    user = get_user_model().objects.get(username="maren")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert role_of(user) == AUTHOR and user.profile.display_name == "Maren Lie"
    page = editor.get("/desk/people/").content.decode()
    link = re.search(r"http://testserver(/desk/welcome/[^ <]+/)", page).group(1)
    assert "Maren Lie" in page and "Invited, no password yet" in page
    newcomer = Client()
    form_page = newcomer.get(link, follow=True)
    assert form_page.status_code == 200 and b"new_password1" in form_page.content
    done = newcomer.post(form_page.redirect_chain[-1][0], {
        "new_password1": "a-long tide table", "new_password2": "a-long tide table"})  # fmt: skip
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long tide table")
    newcomer.force_login(user)
    assert newcomer.get("/desk/").status_code == 200
    assert newcomer.get("/desk/settings/").status_code == 403
    assert Client().get(link, follow=True).context["validlink"] is False  # used once


def test_a_taken_login_name_is_refused_and_nothing_is_made(editor):
    before = get_user_model().objects.count()
    response = editor.post("/desk/people/", {"username": "EDA", "display_name": "Other",
                                              "email": "", "role": "editor"})  # fmt: skip
    assert response.status_code == 200
    assert "The login name “EDA” is taken." in response.content.decode()
    assert get_user_model().objects.count() == before


def test_the_roles_are_groups_with_their_rights(author, editor):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Author", "Editor"}
    assert author.user.has_perm("posts.change_post") and author.user.has_perm(
        "comments.change_comment"
    )
    assert not author.user.has_perm("site_settings.change_blogsettings")
    assert not author.user.has_perm("people.edit_any_post")
    for right in ("site_settings.change_blogsettings", "people.manage_people",
                  "people.edit_any_post", "posts.change_post"):  # fmt: skip
        assert editor.user.has_perm(right), right


def test_an_author_edits_their_own_posts_in_the_admin_not_others(author, editor, make_post):
    own = make_post(title="Mine", author=author.user)
    other = make_post(title="Theirs", author=editor.user)
    assert b'name="_save"' in author.get(f"/admin/posts/post/{own.pk}/change/").content
    assert b'name="_save"' not in author.get(f"/admin/posts/post/{other.pk}/change/").content
    assert author.get(f"/admin/posts/post/{other.pk}/delete/").status_code == 403
    assert b'name="_save"' in editor.get(f"/admin/posts/post/{own.pk}/change/").content


def test_createuser_takes_a_display_name_and_a_role():
    call_command("createuser", "--password-stdin", "--username", "writer", "--email",
                 "w@example.org", "--display-name", "Wren Writer", "--role", "author",
                 stdin=io.StringIO("wren-writes-daily-7\n"), stdout=io.StringIO())  # fmt: skip
    writer = get_user_model().objects.get(username="writer")
    assert writer.check_password("wren-writes-daily-7")
    assert writer.is_staff and not writer.is_superuser and role_of(writer) == AUTHOR
    assert writer.profile.display_name == "Wren Writer"
    call_command("createuser", "--password-stdin", "--username", "chief", "--email",
                 "c@example.org", stdin=io.StringIO("chief-edits-daily-7\n"),
                 stdout=io.StringIO())  # fmt: skip
    chief = get_user_model().objects.get(username="chief")
    assert chief.is_superuser and role_of(chief) == EDITOR


def test_a_profile_works_for_an_imported_author_without_a_login(make_post):
    """An imported author: no usable password, inactive, yet named on their posts."""
    ghost = get_user_model().objects.create_user("imported-7", is_active=False)
    Profile.objects.create(user=ghost, display_name="Old Blog Writer", email="old@example.org")
    post = make_post(title="From the archive", author=ghost)
    assert not ghost.has_usable_password()
    assert "Posted by Old Blog Writer" in Client().get(post.path).content.decode()


def test_a_listing_of_unnamed_authors_reads_the_settings_once(make_post, settings):
    """Each byline that falls back to the blog's title asks the settings in force: inside a
    request that is what the request read at its start, not a query per post."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain = get_user_model().objects.create_user("login-only")
    for day in range(1, 7):
        make_post(author=plain, published_at=datetime(2024, 5, day, tzinfo=UTC))
    counts = []
    for size in (1, 6):
        settings.DATELINE_PAGE_SIZE = size
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            page = Client().get("/").content.decode()
        assert page.count("Posted by Dateline") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_dateline_command_writes_posts_in_the_stored_time_zone(tmp_path):
    """A post published late on 31 May UTC is already June in Tokyo: its path says so,
    whether it was written at the desk or by `dateline post add`."""
    import subprocess
    import sys
    from pathlib import Path

    story = tmp_path / "late.md"
    story.write_text('---\ntitle: "Late ferry"\npublished: 2024-05-31T20:00:00Z\n---\n\nLate.\n')
    environment = {"DATELINE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
                   "DATELINE_TIME_ZONE": "UTC"}  # fmt: skip

    def dateline(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "dateline.cli", *args], env=environment,
                                capture_output=True, text=True, timeout=300,
                                cwd=Path(__file__).resolve().parents[2])  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    dateline("migrate", "-v0")
    dateline("shell", "-c", "from dateline.site_settings.models import BlogSettings; "
             "BlogSettings(time_zone='Asia/Tokyo').save()")  # fmt: skip
    assert dateline("post", "add", str(story)).strip().startswith("/2024/06/late-ferry")


def test_in_the_desk_an_author_changes_only_their_own_posts(author, editor, make_post):
    """The admin's own-posts rule holds at the desk's editor, revisions and preview too."""
    mine = make_post(title="Mine", status="draft")
    mine.author = author.user
    mine.save()
    theirs = make_post(title="Theirs", status="draft")
    for path in (f"/desk/posts/{theirs.pk}/", f"/desk/posts/{theirs.pk}/revisions/",
                 f"/desk/posts/{theirs.pk}/frame/"):  # fmt: skip
        assert author.get(path).status_code == 403, path
        assert editor.get(path).status_code == 200, path
    response = author.post(f"/desk/posts/{theirs.pk}/", {"title": "Taken over", "action": "draft"})
    assert response.status_code == 403
    assert author.post(f"/desk/posts/{theirs.pk}/autosave/", {"title": "x"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"
    assert author.get(f"/desk/posts/{mine.pk}/").status_code == 200
