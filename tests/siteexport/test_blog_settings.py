"""The mirror follows the blog's stored settings and its authors' display names."""

from django.contrib.auth import get_user_model

from dateline.core.versioning import bump_version
from dateline.people.models import Profile
from dateline.posts.models import Post
from dateline.site_settings.models import BlogSettings
from dateline.siteexport.incremental import update_site
from tests.siteexport.conftest import BASE_URL
from tests.siteexport.test_incremental import assert_mirror_matches_live


def test_a_settings_change_rebuilds_the_mirror_in_the_stored_zone_and_language(mirror, blog):
    BlogSettings.objects.create(title="Tide Tables", time_zone="Pacific/Kiritimati",
                                language="fi")  # fmt: skip
    report = update_site(mirror, BASE_URL)
    assert report.full
    home = (mirror / "index.html").read_text()
    assert "<title>Tide Tables</title>" in home and '<html lang="fi">' in home
    assert "<title>Tide Tables</title>" in (mirror / "feeds/posts/default/index.atom").read_text()
    assert_mirror_matches_live(mirror)  # the live pages, written in the same zone


def test_a_display_name_change_rewrites_the_authors_pages(mirror, blog):
    author = get_user_model().objects.create_user("login-7f3")
    Post.objects.filter(pk=blog["storm"].pk).update(author=author)
    bump_version()  # as another process's write does: a bump this one did not hear
    update_site(mirror, BASE_URL)
    storm = (mirror / blog["storm"].path.lstrip("/")).read_text()
    assert "Posted by Dateline" in storm and "login-7f3" not in storm  # the blog's title
    Profile.objects.create(user=author, display_name="Tide Watcher")
    report = update_site(mirror, BASE_URL)
    assert not report.full
    assert "Posted by Tide Watcher" in (mirror / blog["storm"].path.lstrip("/")).read_text()
    assert "Tide Watcher" in (mirror / "feeds/posts/default/index.atom").read_text()
    assert_mirror_matches_live(mirror)
