"""WordPress's old addresses keep working after a move (migration issue, item 12).

Plain permalinks (`/?p=1`, `/?page_id=2`) were answered by our home page with 200,
because the redirect table was read by path only and after a 404; pretty permalinks
asked for without their trailing slash were 404s.
"""

import pytest
from django.test import Client

from dateline.interchange.import_file import import_file
from dateline.posts.models import Post

pytestmark = pytest.mark.django_db

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old blog</title><link>https://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
{items}
</channel></rss>
"""
ITEM = """<item><title>{title}</title><link>{link}</link>
<content:encoded><![CDATA[<p>Text.</p>]]></content:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2023-05-12 08:30:00</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>{kind}</wp:post_type></item>"""


@pytest.fixture
def moved(tmp_path) -> dict[str, str]:
    items = [
        ITEM.format(title="Plain", link="https://old.example/?p=1", id=1, slug="plain",
                    kind="post"),
        ITEM.format(title="In a folder", link="https://old.example/blog/?p=4", id=4,
                    slug="folder", kind="post"),
        ITEM.format(title="About", link="https://old.example/?page_id=2", id=2, slug="about",
                    kind="page"),
        ITEM.format(title="Pretty", link="https://old.example/2023/05/12/pretty/", id=3,
                    slug="pretty", kind="post"),
    ]  # fmt: skip
    export = tmp_path / "export.xml"
    export.write_text(WXR.format(items="\n".join(items)))
    import_file(export)
    return dict(Post.objects.values_list("title", "path"))


@pytest.mark.parametrize(
    ("old", "title"), [("/?p=1", "Plain"), ("/?page_id=2", "About"),
                       ("/index.php?p=1", "Plain"),
                       ("/blog/?p=4", "In a folder"), ("/blog/index.php?p=4", "In a folder"),
                       ("/?p=1&utm_source=x", "Plain"),
                       ("/2023/05/12/pretty/", "Pretty"), ("/2023/05/12/pretty", "Pretty")],
)  # fmt: skip
def test_old_addresses_answer_301_to_the_new_one(moved, old, title):
    response = Client().get(old)
    assert response.status_code == 301
    assert response["Location"] == moved[title]
    assert Client().get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("old", "new"), [("/?m=202305", "/2023/05/"), ("/?m=2023", "/2023/"),
                     ("/?m=20230512", "/2023/05/"), ("/?feed=rss2", "/feeds/posts/default?alt=rss"),
                     ("/?feed=atom", "/feeds/posts/default")],
)  # fmt: skip
def test_archive_and_feed_queries_answer_without_a_table(moved, old, new):
    response = Client().get(old)
    assert response.status_code == 301 and response["Location"] == new


@pytest.mark.parametrize("query", ["/?p=999", "/?m=1", "/?m=202313x", "/?feed=nonsense", "/?q=1"])
def test_anything_unknown_is_still_the_home_page(moved, query):
    assert Client().get(query).status_code == 200


def test_a_post_request_is_never_redirected(moved):
    assert Client().post("/?p=1").status_code != 301
