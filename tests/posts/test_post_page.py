"""The post page has the seed's anatomy, in order, as valid and accessible HTML."""

import pytest
from django.core.management import call_command
from lxml import html as lxml_html

from dateline.posts.models import Post
from tests.pages import assert_in_order, assert_valid_html5, h1_count, visible_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbour_post(harbour_post_file) -> Post:
    call_command("post", "add", str(harbour_post_file))
    return Post.objects.get()


def test_post_page_shows_the_seed_anatomy_in_order(client, harbour_post):
    """Labels are listed alphabetically, as Blogger lists them."""
    response = client.get(harbour_post.path)
    assert response.status_code == 200
    assert_in_order(
        visible_lines(response.content),
        [
            "Harbour strike halts ferries between Malta and Sicily",
            "Idle ferries tied up at the Grand Harbour in Valletta",
            "Dock workers in Valletta walked out on Tuesday, stranding hundreds of passengers "
            "who had booked the morning crossing to Pozzallo.",
            "Passengers stranded",
            "We were told nothing until the ship simply did not board. — a passenger from Gozo",
            "Talks to resume",
            "The port authority said it would meet the union again on Thursday and hoped to "
            "restore crossings by the weekend.",
            "Source: news.example",
            "Labels: European Union, Italy, Malta",
            "0 Comments:",
            "Post a Comment",
            "<< Home",
        ],
    )


def test_post_page_structure(client, harbour_post):
    response = client.get(harbour_post.path)
    tree = lxml_html.fromstring(response.content)
    assert tree.get("lang") == "en"
    assert h1_count(response.content) == 1
    assert tree.find(".//h1").text_content().strip() == harbour_post.title
    figure = tree.find(".//figure")
    assert figure.find("img").get("src").startswith("/media/images/")
    assert figure.findtext("figcaption") == "Idle ferries tied up at the Grand Harbour in Valletta"
    assert [h.text for h in tree.findall(".//div[@class='post-body e-content']/h2")] == [
        "Passengers stranded",
        "Talks to resume",
    ]
    assert tree.find(".//div[@class='post-body e-content']/blockquote") is not None
    source_link = tree.find(".//p[@class='post-source']/a")
    assert source_link.get("href") == "https://news.example/2024/03/12/harbour-strike"
    label_links = tree.findall(".//p[@class='post-labels']/a")
    assert [a.get("href") for a in label_links] == [
        "/search/label/European%20Union",
        "/search/label/Italy",
        "/search/label/Malta",
    ]
    skip = tree.find(".//a[@class='skip-link']")
    assert skip.get("href") == "#main" and tree.find(".//main[@id='main']") is not None
    assert tree.find(".//meta[@name='viewport']") is not None


def test_post_page_is_valid_html5(client, harbour_post, make_post):
    make_post(title="An older story", labels=("Malta",))
    assert_valid_html5(client.get(harbour_post.path).content)
    assert_valid_html5(client.get("/").content)
    assert_valid_html5(client.get("/search/label/Malta").content)


def test_lead_image_is_served_from_media(client, harbour_post):
    response = client.get(harbour_post.lead_image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_source_line_shows_the_original_date_when_known(client, make_post):
    post = make_post(title="Dated source", source_url="https://paper.example/a")
    post.source.original_date = post.published_at.replace(year=2019, month=5, day=4)
    post.source.save()
    assert "Source: news.example, 4 May 2019" in visible_lines(client.get(post.path).content)


def test_newer_and_older_links_follow_publication_order(client, make_post):
    oldest, middle, newest = (
        make_post(title="Oldest", published_at=make_post().published_at.replace(year=2020)),
        make_post(title="Middle", published_at=make_post().published_at.replace(year=2021)),
        make_post(title="Newest", published_at=make_post().published_at.replace(year=2022)),
    )
    tree = lxml_html.fromstring(client.get(middle.path).content)
    assert tree.find(".//nav[@class='post-nav']/a[@class='newer']").get("href") == newest.path
    assert tree.find(".//nav[@class='post-nav']/a[@class='older']").get("href") == oldest.path
    assert tree.find(".//nav[@class='post-nav']/a[@class='home']").text == "<< Home"


def test_drafts_and_scheduled_posts_are_invisible_everywhere(client, make_post):
    from datetime import timedelta

    from django.utils import timezone

    shown = make_post(title="Visible story", labels=("Malta",))
    draft = make_post(title="Draft story", status=Post.Status.DRAFT, labels=("Malta",))
    future = make_post(
        title="Scheduled story",
        published_at=timezone.now() + timedelta(days=2),
        labels=("Malta",),
    )
    assert draft.path is None and future.path
    assert future.state == "scheduled"
    assert client.get(future.path).status_code == 404
    year = f"/{timezone.now().year}/"
    for url in [
        "/",
        "/search/label/Malta",
        year,
        "/feeds/posts/default",
        "/sitemap.xml",
        "/search?q=story",
        "/feeds/posts/default/-/Malta",
    ]:
        body = client.get(url).content.decode()
        assert "Scheduled story" not in body and future.path not in body, url
        assert "Draft story" not in body, url
    assert "Visible story" in client.get("/").content.decode()
    assert shown.path in client.get("/sitemap.xml").content.decode()


def test_scheduled_post_appears_once_its_time_has_come(client, make_post):
    from datetime import timedelta

    from django.utils import timezone

    post = make_post(title="Soon", published_at=timezone.now() + timedelta(hours=1))
    assert client.get(post.path).status_code == 404
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(post.path).status_code == 200


def test_static_page_lives_under_p(client, make_post):
    page = make_post(title="About this blog", kind=Post.Kind.PAGE)
    assert page.path == "/p/about-this-blog.html"
    response = client.get(page.path)
    assert response.status_code == 200
    assert "Post a Comment" not in visible_lines(response.content)
    assert b'href="/p/about-this-blog.html"' in client.get("/").content


def test_same_title_twice_gets_a_distinct_path(make_post):
    first = make_post(title="Same words")
    second = make_post(title="Same words", published_at=first.published_at)
    assert first.path != second.path
    assert second.path.endswith("/same-words-2.html")


def test_title_and_caption_are_escaped(client, make_post):
    post = make_post(
        title='<script>alert("t")</script> & more',
        lead_image_caption="<img src=x onerror=alert(1)>",
        lead_image="images/x.png",
    )
    content = client.get(post.path).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; more" in content
    assert "<img src=x onerror" not in content


def test_markdown_body_is_sanitized(client, make_post):
    post = make_post(
        body_source='Hello <script>alert(1)</script>\n\n<a href="javascript:alert(2)">x</a>'
        '<img src="https://img.example/a.png" onerror="alert(3)">\n\n# Top heading'
    )
    assert "<script" not in post.body_html
    assert "javascript:" not in post.body_html
    assert "onerror" not in post.body_html
    assert "<h2>Top heading</h2>" in post.body_html
    assert "<h1" not in post.body_html


def test_unknown_post_is_404(client, db):
    assert client.get("/2020/01/nothing-here.html").status_code == 404
