"""Classic WordPress bodies arrive as WordPress shows them: paragraphs from blank lines,
shortcodes as figures and links, the featured image as the lead image."""

import json

import pytest
from django.core.management import call_command

from dateline.interchange.import_file import import_file
from dateline.interchange.wp_bodies import autop, wordpress_body
from dateline.posts.models import Post
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    clip_storage_fixture,
    news_site_fixture,
)
from tests.clipping.conftest import _server, server  # noqa: F401 - fixtures
from tests.interchange.blogs import wxr_file

pytestmark = pytest.mark.django_db
SITE = "dale.example"
CAPTION = (
    '[caption id="attachment_20" align="alignright" width="300"]'
    '<a href="https://dale.example/big.jpg"><img src="https://dale.example/small.jpg" alt="Quay" />'
    "</a> The quay at <em>dawn</em>[/caption]"
)
CLASSIC = f"""The ferry was late.
It was raining.

{CAPTION}

[gallery ids="20,21"]

[audio mp3="https://dale.example/wp-content/uploads/horn.mp3"][/audio]

[video src="https://dale.example/wp-content/uploads/crossing.mp4"]

[embed]https://www.youtube.com/watch?v=abc123[/embed]

<pre>
keep

  this
</pre>
Last line."""
BLOCKS = """<!-- wp:paragraph -->
<p>Already a paragraph.</p>
<!-- /wp:paragraph -->

<!-- wp:paragraph -->
<p>Another.</p>
<!-- /wp:paragraph -->"""
SHORTCODE_BLOCK = '\n\n<!-- wp:shortcode -->\n[gallery ids="20"]\n<!-- /wp:shortcode -->'


def post_item(post_id: int, body: str, meta: str = "") -> str:
    return f"""<item><title>Post {post_id}</title><link>https://{SITE}/?p={post_id}</link>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>2015-03-01 10:00:00</wp:post_date_gmt>
<wp:post_name>post-{post_id}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>{meta}</item>
"""


def attachment(post_id: int, url: str, parent: int = 0, caption: str = "") -> str:
    return f"""<item><title>Picture {post_id}</title>
<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>
<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>{url}</wp:attachment_url></item>
"""


def thumbnail(attachment_id: int) -> str:
    return (
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        f"<wp:meta_value>{attachment_id}</wp:meta_value></wp:postmeta>"
    )


def blog(tmp_path, lead: str = "https://dale.example/lead.png"):
    return wxr_file(
        tmp_path / "dale.xml",
        SITE,
        post_item(1, CLASSIC, thumbnail(22)),
        post_item(2, BLOCKS + SHORTCODE_BLOCK),
        post_item(3, "[gallery]"),
        attachment(20, "https://dale.example/one.jpg", caption="One"),
        attachment(21, "https://dale.example/two.jpg", parent=3),
        attachment(22, lead, caption="The harbour"),
    )


def test_a_classic_body_gets_paragraphs_figures_and_media_links(tmp_path):
    import_file(blog(tmp_path))
    html = Post.objects.get(title="Post 1").body_html
    assert "<p>The ferry was late.<br>\nIt was raining.</p>" in html
    assert (
        '<figure><a href="https://dale.example/big.jpg" rel="noopener noreferrer">'
        '<img src="https://dale.example/small.jpg" alt="Quay"></a>'
    ) in html
    assert "<figcaption>The quay at <em>dawn</em></figcaption>" in html
    assert html.count("<img") == 3  # the captioned image and the gallery's two
    assert '<img src="https://dale.example/two.jpg" alt="Picture 21">' in html
    assert "horn.mp3</a>" in html and "crossing.mp4</a>" in html
    assert 'href="https://www.youtube.com/watch?v=abc123"' in html and "YouTube video" in html
    assert (
        "<pre>keep\n\n  this\n</pre>" in html
    )  # (HTML drops the newline after <pre>) and "<p>Last line.</p>" in html
    assert "[" not in html  # no shortcode left as text


def test_a_block_editor_body_keeps_its_paragraphs_and_expands_its_shortcodes(tmp_path):
    import_file(blog(tmp_path))
    stored = Post.objects.get(title="Post 2").body_source
    assert stored.startswith(BLOCKS)  # no paragraphs added
    assert "[gallery" not in stored and 'src="https://dale.example/one.jpg"' in stored


def test_a_gallery_without_ids_shows_the_images_attached_to_its_post(tmp_path):
    import_file(blog(tmp_path))
    html = Post.objects.get(title="Post 3").body_html
    assert 'src="https://dale.example/two.jpg"' in html and "one.jpg" not in html


def test_the_featured_image_is_the_lead_image_and_fetch_images_brings_it_home(
    tmp_path, news_site, clip_storage, capsys
):
    lead = news_site.url("/img/ferry-morning.png")
    call_command("import", str(blog(tmp_path, lead)), "--fetch-images", "--json")
    assert json.loads(capsys.readouterr().out)["posts"] == 3
    post = Post.objects.get(title="Post 1")
    assert post.lead_image.name.endswith(".png") and post.lead_image_caption == "The harbour"


def test_without_fetch_images_a_remote_featured_image_is_noted(tmp_path):
    summary = import_file(blog(tmp_path))
    assert summary.notes["lead image on another site not downloaded"] == 1


def test_autop_is_a_fixed_point_on_its_own_output():
    once = autop(CLASSIC)
    assert autop(once) == once


def test_our_own_exports_are_not_rewrapped():
    assert wordpress_body("<p>Ours</p>") == "<p>Ours</p>"
