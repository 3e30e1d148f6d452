"""Home, label and archive pages: order, paging, Blogger's paths, the sidebar widgets."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from lxml import html as lxml_html

from dateline.posts.models import Post, Redirect
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    tree = lxml_html.fromstring(response.content)
    return [a.text for a in tree.findall(".//h2[@class='post-title']/a")]


def at(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def test_home_lists_newest_first_and_pages_back(client, make_post, settings):
    settings.DATELINE_PAGE_SIZE = 2
    for day in range(1, 6):
        make_post(title=f"Day {day}", published_at=at(2024, 1, day))
    first = client.get("/")
    assert titles(first) == ["Day 5", "Day 4"]
    lines = visible_lines(first.content)
    assert "Older Posts" in lines and "Newer Posts" not in lines
    second = client.get("/?page=2")
    assert titles(second) == ["Day 3", "Day 2"]
    assert {"Older Posts", "Newer Posts"} <= set(visible_lines(second.content))
    assert titles(client.get("/?page=3")) == ["Day 1"]
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_home_page_size_defaults_to_ten(client, make_post):
    for day in range(1, 13):
        make_post(published_at=at(2024, 2, day))
    assert len(titles(client.get("/"))) == 10


def test_blogger_updated_max_paging_answers(client, make_post):
    for day in range(1, 6):
        make_post(title=f"Day {day}", published_at=at(2024, 3, day))
    response = client.get("/search?updated-max=2024-03-04T00:00:00Z&max-results=2")
    assert response.status_code == 200
    assert titles(response) == ["Day 3", "Day 2"]
    older = lxml_html.fromstring(response.content).find(".//a[@class='older']").get("href")
    assert titles(client.get(older)) == ["Day 1"]
    assert client.get("/search?updated-max=yesterday").status_code == 404
    assert client.get("/search?max-results=lots").status_code == 404


def test_home_runs_the_same_number_of_queries_for_any_page_size(client, make_post, settings):
    for day in range(1, 21):
        make_post(labels=("Malta", "Italy"), published_at=at(2024, 4, day))
    counts = []
    for size in (2, 20):
        settings.DATELINE_PAGE_SIZE = size
        cache.clear()  # each measurement builds the sidebar once, as after a content change
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_label_page_matches_names_in_any_case_with_spaces_and_unicode(client, make_post):
    ivory_coast = "C\u00f4te d\u2019Ivoire"  # with its typographic apostrophe
    make_post(title="Abidjan story", labels=(ivory_coast, "United States"))
    make_post(title="Tokyo story", labels=("日本",))
    assert titles(client.get("/search/label/United%20States")) == ["Abidjan story"]
    assert titles(client.get("/search/label/united%20states")) == ["Abidjan story"]
    assert titles(client.get("/search/label/C%C3%B4te%20d%E2%80%99Ivoire")) == ["Abidjan story"]
    assert titles(client.get("/search/label/%E6%97%A5%E6%9C%AC")) == ["Tokyo story"]
    assert client.get("/search/label/Nowhere").status_code == 404


def test_label_plus_label_means_posts_with_both(client, make_post):
    make_post(title="Both", labels=("Iran", "Iraq"))
    make_post(title="Only Iran", labels=("Iran",))
    assert titles(client.get("/search/label/Iran+Iraq")) == ["Both"]
    assert sorted(titles(client.get("/search/label/Iran"))) == ["Both", "Only Iran"]
    assert client.get("/search/label/Iran+Nowhere").status_code == 404


def test_label_whose_name_contains_a_plus_is_found_whole(client, make_post):
    make_post(title="Languages", labels=("C++",))
    assert titles(client.get("/search/label/C%2B%2B")) == ["Languages"]


def test_sidebar_lists_labels_with_counts_of_published_posts(client, make_post):
    make_post(labels=("Iran", "Iraq"))
    make_post(labels=("Iran",))
    make_post(labels=("Iran",), status=Post.Status.DRAFT)
    lines = visible_lines(client.get("/").content)
    assert "Iran (2)" in lines and "Iraq (1)" in lines


def test_archive_pages_and_widget(client, make_post):
    make_post(title="July A", published_at=at(2007, 7, 24))
    make_post(title="July B", published_at=at(2007, 7, 2))
    make_post(title="March", published_at=at(2007, 3, 9))
    make_post(title="Older year", published_at=at(2006, 12, 31))
    assert titles(client.get("/2007/")) == ["July A", "July B", "March"]
    assert titles(client.get("/2007/07/")) == ["July A", "July B"]
    assert titles(client.get("/2006/12/")) == ["Older year"]
    assert client.get("/2007/13/").status_code == 404
    lines = visible_lines(client.get("/").content)
    for expected in ["2007 (3)", "July (2)", "March (1)", "2006 (1)", "December (1)"]:
        assert expected in lines


def test_blogger_classic_archive_redirects(client, db):
    response = client.get("/2007_07_01_archive.html")
    assert response.status_code == 301
    assert response["Location"] == "/2007/07/"


def test_redirect_table_answers_old_paths_with_301(client, make_post):
    post = make_post(title="Moved story")
    Redirect.objects.create(old_path="/2015/01/old-name.html", new_path=post.path)
    Redirect.objects.create(old_path="/?p=123", new_path=post.path)
    response = client.get("/2015/01/old-name.html")
    assert response.status_code == 301 and response["Location"] == post.path
    assert client.get("/2015/01/other.html").status_code == 404


def test_redirect_table_never_overrides_a_live_page(client, make_post):
    post = make_post(title="Live")
    Redirect.objects.create(old_path=post.path, new_path="/elsewhere.html")
    assert client.get(post.path).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_search_finds_posts_by_words(client, make_post):
    """The index follows commits, so this test commits (see tests/search for the rest)."""
    make_post(title="Ferries stopped", body_source="The harbour closed.")
    make_post(title="Trains late", body_source="Snow on the line.")
    assert titles(client.get("/search?q=harbour")) == ["Ferries stopped"]
    assert titles(client.get("/search?q=nothing+matches")) == []
    assert client.get("/search?q=%27+OR+1%3D1--").status_code == 200


def test_robots_and_sitemap(client, make_post):
    post = make_post(labels=("Malta",))
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{post.path}" in sitemap
    assert "http://testserver/search/label/Malta" in sitemap


def test_old_home_link_shapes_still_work(client, make_post):
    make_post(published_at=datetime.now(UTC) - timedelta(days=1))
    assert client.get("/atom.xml")["Location"] == "/feeds/posts/default"
    assert client.get("/rss.xml")["Location"] == "/feeds/posts/default?alt=rss"


def test_the_sitemap_lists_every_post_of_a_big_blog(client, make_post):
    """Under the protocol's limit the sitemap is one file, with every post in it."""
    start = datetime.now(UTC) - timedelta(days=30)
    Post.objects.bulk_create(
        [Post(title=f"Notice {n}", slug=f"notice-{n}", path=f"/2020/01/notice-{n}.html",
              status=Post.Status.PUBLISHED, body_source="Text.", body_html="<p>Text.</p>",
              published_at=start - timedelta(minutes=n)) for n in range(5_001)],
        batch_size=1000,
    )  # fmt: skip
    sitemap = client.get("/sitemap.xml").content
    urls = etree.fromstring(sitemap).findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    assert len(urls) >= 5_001  # well-formed, and every post is there
    assert b"/2020/01/notice-5000.html</loc><lastmod>" in sitemap


def test_past_the_protocols_limit_the_sitemap_is_an_index_and_no_address_is_left_out(
    client, make_post, monkeypatch
):
    """50,000 URLs is the protocol's limit for one file: a bigger blog's /sitemap.xml is an
    index of files that together name every post and label page once (here the limit is
    lowered to 3, so 5 posts and 2 labels make 3 files)."""
    monkeypatch.setattr("dateline.posts.sitemaps.MAX_URLS", 3)
    posts = [
        make_post(title=f"Day {day}", published_at=at(2024, 1, day),
                  labels=("Malta", "Gozo") if day == 1 else ())
        for day in range(1, 6)
    ]  # fmt: skip
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{ns}sitemapindex"
    files = [loc.text for loc in index.iter(f"{ns}loc")]
    assert files == [f"http://testserver/sitemap.xml?page={n}" for n in (1, 2, 3)]
    named = []
    for address in files:
        urlset = etree.fromstring(client.get(address.removeprefix("http://testserver")).content)
        assert urlset.tag == f"{ns}urlset"
        named += [loc.text.removeprefix("http://testserver") for loc in urlset.iter(f"{ns}loc")]
    newest_first = [post.path for post in reversed(posts)]
    assert named == [*newest_first, "/search/label/Gozo", "/search/label/Malta"]
    for wrong in ("?page=4", "?page=0", "?page=x", "?page=99999999999"):
        assert client.get(f"/sitemap.xml{wrong}").status_code == 404


def test_a_sitemap_of_one_file_has_no_pages(client, make_post):
    make_post()
    assert client.get("/sitemap.xml?page=1").status_code == 404
    assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles", "UTC"])
def test_the_sitemap_says_what_django_s_sitemap_framework_says(client, make_post, rf, settings,
                                                               zone):  # fmt: skip
    """Ours is written directly, from raw rows, for speed; Django's framework is the
    reference, in zones on either side of UTC, for labels on posts nobody may see yet."""
    from django.contrib.sitemaps import Sitemap
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    from dateline.posts import selectors
    from dateline.posts.sitemaps import sitemap as our_sitemap

    make_post(title="Late", labels=("Malta & Gozo", "Ünïcode"), published_at=datetime(
        2024, 3, 1, 11, 30, tzinfo=UTC))  # fmt: skip
    make_post(title="Quote", slug='a"b', labels=("<b>",))
    make_post(title="Early", slug="early")
    make_post(title="Draft", status=Post.Status.DRAFT, labels=("Drafts only",))
    make_post(title="Soon", labels=("Scheduled only",),
              published_at=datetime.now(UTC) + timedelta(days=1))  # fmt: skip
    make_post(title="About", kind=Post.Kind.PAGE, labels=("Pages only",))
    # Saved late on 1 March in UTC: already 2 March in Auckland. Saved early on 1 March
    # in UTC (no microseconds, so stored without a fraction): still February in California.
    Post.objects.filter(title="Late").update(updated_at=datetime(2024, 3, 1, 11, 30, tzinfo=UTC))
    Post.objects.filter(title="Early").update(updated_at=datetime(2024, 3, 1, 3, 0, tzinfo=UTC))
    our_sitemap(rf.get("/sitemap.xml"))  # the dates it remembers were worked out in UTC
    settings.TIME_ZONE = zone  # dates are local dates, as Django's filter gives

    class Posts(Sitemap):
        changefreq, limit = "monthly", 50_000

        def items(self):
            return Post.objects.visible().order_by("-published_at", "-id")

        def location(self, item):
            return item.path

        def lastmod(self, item):
            return item.updated_at

    class Labels(Sitemap):
        changefreq = "weekly"

        def items(self):
            return selectors.label_counts()

        def location(self, item):
            return item.get_absolute_url()

    def entries(body: bytes) -> list[tuple]:
        namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        return [tuple(url.findtext(namespace + f) for f in ("loc", "lastmod", "changefreq"))
                for url in etree.fromstring(body).iter(namespace + "url")]  # fmt: skip

    theirs = django_sitemap(rf.get("/sitemap.xml"), {"posts": Posts, "labels": Labels})
    ours = client.get("/sitemap.xml")
    assert entries(ours.content) == entries(theirs.render().content)
    assert len(entries(ours.content)) == 7  # and the page; not the labels
    assert ours["X-Robots-Tag"] == theirs["X-Robots-Tag"]
    assert ours["Content-Type"] == theirs["Content-Type"]
