"""Frames, audio, video and data: images in imported bodies: kept where safe, made links
where not, and every change listed per post (`changed`), never dropped silently."""

import json

import pytest
from django.core.management import call_command

from dateline.core.sanitize import is_clean, sanitize_post_html
from dateline.interchange.import_file import import_file
from dateline.posts.models import Post
from tests.interchange.blogs import wxr_file
from tests.interchange.test_wordpress_bodies import post_item

pytestmark = pytest.mark.django_db
BODY = (
    '<p>Watch:</p><iframe width="560" src="https://www.youtube.com/embed/abc123?rel=0" '
    "allowfullscreen></iframe>"
    '<p><audio controls><source src="https://old.example/horn.mp3"></audio></p>'
    '<p><video src="/media/imports/crossing.mp4" autoplay></video></p>'
    '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"></p>'
    "<script>alert(1)</script><p>End.</p>"
)


def blog(tmp_path):
    return wxr_file(
        tmp_path / "dale.xml", "dale.example", post_item(1, BODY), post_item(2, "Plain.")
    )


def test_media_is_kept_where_safe_and_made_a_link_where_not(tmp_path):
    import_file(blog(tmp_path))
    html = Post.objects.get(title="Post 1").body_html
    assert '<a href="https://www.youtube.com/watch?v=abc123" rel="noopener noreferrer">' in html
    assert "YouTube video" in html and "<iframe" not in html
    assert (
        '<a href="https://old.example/horn.mp3" rel="noopener noreferrer">Audio: horn.mp3' in html
    )
    assert '<video src="/media/imports/crossing.mp4" controls="" preload="none"></video>' in html
    assert "autoplay" not in html and "data:" not in html and "alert" not in html
    assert is_clean(html)


def test_every_change_is_listed_per_post_and_json_keeps_its_seven_counts(tmp_path, capsys):
    call_command("import", str(blog(tmp_path)), "--json")
    out, err = capsys.readouterr()
    assert set(json.loads(out)) == {
        "posts", "drafts", "pages", "labels", "comments", "redirects", "skipped"
    }  # fmt: skip
    changed = [line for line in err.splitlines() if line.startswith("  changed: ")]
    assert changed == [
        "  changed: wxr:dale.example/1 (Post 1): 1 <script> removed, "
        "1 audio from another site made a link, "
        "1 data: image removed (an image inside the page's text), 1 embedded frame made a link"
    ]


def test_a_re_import_lists_nothing_new(tmp_path):
    import_file(blog(tmp_path))
    assert import_file(blog(tmp_path)).changed == []


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<audio src="https://tracker.example/a.mp3"></audio>', ""),
        ('<video src="//cdn.example/v.mp4">Fallback</video>', "Fallback"),
        ('<figure><video src="https://x.example/v.mp4"></video></figure><p>a</p>',
         "<figure></figure><p>a</p>"),
        ('<p>x</p><video>y</video><audio src="/media/a.mp3">z</audio>',
         '<p>x</p>y<audio src="/media/a.mp3" controls="" preload="none">z</audio>'),
        ('<audio src="/media/a.mp3" autoplay loop></audio>',
         '<audio src="/media/a.mp3" controls="" preload="none"></audio>'),
    ],
)  # fmt: skip
def test_the_sanitizer_plays_only_our_own_media(html, expected):
    assert sanitize_post_html(html) == expected
