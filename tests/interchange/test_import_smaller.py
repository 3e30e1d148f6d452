"""Smaller losses on the way in: empty categories, WordPress's modified time, entities and
long names in comment authors, Blogger's time zone, and the old label addresses."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from lxml import etree

from dateline.comments.models import Comment
from dateline.interchange.import_file import import_file
from dateline.posts.models import Label, Post
from tests.interchange.blogs import wxr_comment, wxr_file, wxr_item
from tests.interchange.test_cli_import_export import blogger_file, entry

pytestmark = pytest.mark.django_db
TERMS = """<wp:category><wp:term_id>7</wp:term_id>
<wp:category_nicename>harbour-news</wp:category_nicename>
<wp:cat_name><![CDATA[Harbour news]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>8</wp:term_id><wp:category_nicename>empty</wp:category_nicename>
<wp:cat_name><![CDATA[Nobody writes here]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug>ferries</wp:tag_slug>
<wp:tag_name><![CDATA[Ferries]]></wp:tag_name></wp:tag>
"""


def blog(tmp_path, *items: str, site: str = "dale.example/blog"):
    return wxr_file(tmp_path / "dale.xml", site, TERMS, *items)


def test_categories_and_tags_without_posts_are_labels_too(tmp_path):
    import_file(blog(tmp_path, wxr_item(1, "Story", "https://dale.example/blog/story/")))
    assert sorted(Label.objects.values_list("name", flat=True)) == [
        "Ferries", "Harbour news", "Nobody writes here",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "label", "status"),
    [
        ("/blog/?cat=7", "/search/label/Harbour%20news", 200),
        ("/blog/?tag=ferries", "/search/label/Ferries", 200),
        ("/blog/category/harbour-news/", "/search/label/Harbour%20news", 200),
        ("/blog/tag/ferries", "/search/label/Ferries", 200),
        # A label no published post carries answers 404, as an unknown one does (the
        # security issue's rule): its old address still leads to its own label page.
        ("/blog/index.php?cat=8", "/search/label/Nobody%20writes%20here", 404),
    ],
)
def test_old_category_and_tag_addresses_answer_with_the_label_page(
    tmp_path, client, old, label, status
):
    filed = wxr_item(1, "Story", "https://dale.example/blog/story/").replace(
        "</item>",
        '<category domain="category" nicename="harbour-news"><![CDATA[Harbour news]]></category>'
        '<category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category></item>',
    )
    import_file(blog(tmp_path, filed))
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, label)
    assert client.get(label).status_code == status


def test_the_modified_time_is_the_post_s_updated_time(tmp_path):
    item = wxr_item(1, "Story", "/story/").replace(
        "<wp:status>", "<wp:post_modified_gmt>2016-04-05 06:07:08</wp:post_modified_gmt><wp:status>"
    )
    import_file(blog(tmp_path, item))
    assert Post.objects.get().updated_at == datetime(2016, 4, 5, 6, 7, 8, tzinfo=UTC)
    assert not +import_file(blog(tmp_path, item)).changes


def test_without_a_modified_time_a_post_was_last_edited_when_published(tmp_path, client):
    """Not all at the import's moment: a feed's entries would all be "updated" at once."""
    items = [wxr_item(n, f"Story {n}", f"/story-{n}/", date=f"2015-03-0{n} 10:00:00")
             for n in (1, 2)]  # fmt: skip
    import_file(blog(tmp_path, *items))
    posts = Post.objects.order_by("published_at")
    assert [post.updated_at for post in posts] == [post.published_at for post in posts]
    assert posts[0].updated_at == datetime(2015, 3, 1, 10, tzinfo=UTC)
    feed = etree.fromstring(client.get("/feeds/posts/default?orderby=updated").content)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}updated")[:19] for e in entries] == [
        "2015-03-02T10:00:00",
        "2015-03-01T10:00:00",
    ]
    assert not +import_file(blog(tmp_path, *items)).changes


def test_comment_authors_show_entities_as_characters_and_a_cut_name_is_noted(tmp_path):
    ping = wxr_comment(3, "Linked").replace(
        "<wp:comment_author>Reader</wp:comment_author>",
        "<wp:comment_author><![CDATA[Ping 1 &laquo; What&#8217;s on]]></wp:comment_author>",
    )
    long = wxr_comment(4, "Long").replace("Reader", "R" * 150)
    summary = import_file(blog(tmp_path, wxr_item(1, "Story", "/s/", comment=ping + long)))
    names = sorted(Comment.objects.values_list("author_name", flat=True))
    assert names == ["Ping 1 \u00ab What\u2019s on", "R" * 100]
    assert summary.notes["comment author name cut to 100 characters"] == 1


def test_blogger_s_time_zone_is_offered(tmp_path, capsys):
    settings_entry = (
        "<entry><id>tag:blogger.com,1999:blog-1.settings.BLOG_TIME_ZONE</id>"
        "<category scheme='http://schemas.google.com/g/2005#kind' "
        "term='http://schemas.google.com/blogger/2008/kind#settings'/>"
        "<content type='text'>Asia/Beirut</content></entry>\n"
    )
    call_command("import", str(blogger_file(tmp_path, settings_entry, entry(1, "post"))))
    out = capsys.readouterr().out
    assert "Blog time zone in the file: 'Asia/Beirut' (set DATELINE_TIME_ZONE=Asia/Beirut" in out


def test_a_category_and_a_tag_named_alike_are_one_label_and_a_re_import_changes_nothing(
    tmp_path,
):
    alike = "<wp:tag><wp:term_id>10</wp:term_id><wp:tag_slug>harbour-news-2</wp:tag_slug>"
    alike += "<wp:tag_name><![CDATA[harbour NEWS]]></wp:tag_name></wp:tag>"
    path = blog(tmp_path, alike)
    import_file(path)
    assert not +import_file(path).changes
    assert Label.objects.filter(name__iexact="harbour news").count() == 1


def test_imported_names_lose_bidi_controls_as_names_saved_one_by_one_do(tmp_path):
    """The bulk importer stores label and commenter names as `Label.save()` and
    `Comment.save()` would (`core.text.clean_name`): a right-to-left override in an
    export cannot disguise a name (the security issue's finding 11)."""
    spoof = "Ma\u202eren\u202c"
    item = wxr_item(1, "Story", "/s/", comment=wxr_comment(3, "Hi").replace("Reader", spoof))
    item = item.replace(
        "</item>", '<category domain="post_tag"><![CDATA[Fe\u2066rries]]></category></item>'
    )
    import_file(blog(tmp_path, item))
    assert list(Comment.objects.values_list("author_name", flat=True)) == ["Maren"]
    assert "Ferries" in Label.objects.values_list("name", flat=True)
    assert not any("\u2066" in name for name in Label.objects.values_list("name", flat=True))
