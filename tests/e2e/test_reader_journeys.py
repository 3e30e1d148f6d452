"""A reader finds their way round the blog the way a person would: by clicking."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

NEWEST_FIRST = [
    "Rail freight returns to the Brenner line after landslide",
    "Fishing fleets sit out the storm season in Galway",
    "Vineyard growers in Moldova count the cost of a late frost",
    "City council in Tartu votes to light bridges with solar power",
    "Lighthouse keepers' archive opens to the public in Bergen",
    "Ferry operators agree winter timetable for the Åland islands",
]


def listed_titles(page) -> list[str]:
    """The titles a listing shows, read once its document is parsed.

    A click that navigates returns when the new page starts loading, and
    `all_inner_texts` does not wait: without the wait it can read a page
    whose list has not arrived yet.
    """
    page.wait_for_load_state("domcontentloaded")
    return page.locator("main article .post-title").all_inner_texts()


def test_a_reader_pages_back_through_home_with_older_posts(page, blog, settings):
    settings.DATELINE_PAGE_SIZE = 2
    page.goto("/")
    expect(page.locator("h1.site-title")).to_have_text("Dateline")
    seen = [listed_titles(page)]
    expect(page.get_by_role("link", name="Newer Posts")).to_have_count(0)
    while page.get_by_role("link", name="Older Posts").count():
        page.get_by_role("link", name="Older Posts").click()
        seen.append(listed_titles(page))
    assert seen == [NEWEST_FIRST[0:2], NEWEST_FIRST[2:4], NEWEST_FIRST[4:6]]
    assert page.url.endswith("/?page=3")
    page.get_by_role("link", name="Newer Posts").click()
    assert listed_titles(page) == NEWEST_FIRST[2:4]
    assert page.watch.problems() == []


def test_a_reader_opens_a_post_and_follows_a_label(page, blog):
    page.goto("/")
    page.get_by_role("link", name=NEWEST_FIRST[0]).click()
    assert page.url.endswith(blog["brenner-freight"].path)
    expect(page.locator("h1")).to_have_text(NEWEST_FIRST[0])
    figure = page.locator("main figure")
    expect(figure.locator("figcaption")).to_have_text(
        "A freight train waits at the Brenner pass while engineers inspect the slope"
    )
    # decode() waits for the image to arrive: on a busy machine it may still be loading.
    assert (
        figure.locator("img").evaluate("img => img.decode().then(() => img.naturalWidth)") == 1200
    )
    expect(page.locator("main h2", has_text="Engineers work through the night")).to_be_visible()
    expect(page.locator("main blockquote")).to_contain_text("The mountain gave us no warning")
    source = page.locator(".post-source a")
    expect(source).to_have_text("Alpine Wire")
    expect(source).to_have_attribute(
        "href", "https://alpine-wire.example/2024/03/18/brenner-reopens"
    )
    expect(page.locator(".post-labels")).to_have_text("Labels: Austria, Italy, Transport")
    expect(page.locator("#comments-heading")).to_have_text("0 Comments:")
    # The newest post has an older neighbour but no newer one.
    expect(page.get_by_role("link", name="Newer Post", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Older Post", exact=True).click()
    expect(page.locator("h1")).to_have_text(NEWEST_FIRST[1])
    page.go_back()

    page.locator(".post-labels").get_by_role("link", name="Transport").click()
    assert page.url.endswith("/search/label/Transport")
    expect(page.locator("h1")).to_have_text("Posts labelled Transport")
    assert listed_titles(page) == [NEWEST_FIRST[0], NEWEST_FIRST[5]]
    assert page.watch.problems() == []


def test_a_reader_opens_a_closed_year_in_the_archive_widget_and_reads_a_month(page, blog):
    page.goto("/")
    widget = page.locator(".archive-widget")
    years = widget.locator("details")
    expect(years).to_have_count(2)
    expect(years.nth(0)).to_have_attribute("open", "")  # the newest year starts open
    december = widget.get_by_role("link", name="December")
    expect(december).to_be_hidden()
    summary = years.nth(1).locator("summary")
    expect(summary).to_have_text(re.compile(r"2023\s*\(1\)"))
    # Click the summary beside its year link, as a reader clicks the disclosure row.
    box = summary.bounding_box()
    summary.click(position={"x": box["width"] - 4, "y": box["height"] / 2})
    expect(december).to_be_visible()
    december.click()
    assert page.url.endswith("/2023/12/")
    expect(page.locator("h1")).to_have_text("Posts from December 2023")
    assert listed_titles(page) == [NEWEST_FIRST[5]]

    page.locator(".archive-widget a[href='/2024/']").click()
    expect(page.locator("h1")).to_have_text("Posts from 2024")
    assert listed_titles(page) == NEWEST_FIRST[:5]
    assert page.watch.problems() == []


def test_a_reader_searches_from_the_sidebar(page, blog):
    page.goto(blog["galway-fleet"].path)
    sidebar = page.get_by_role("complementary", name="Blog navigation")
    search = sidebar.get_by_role("searchbox", name="Search this blog")
    search.fill("hovercraft")
    search.press("Enter")
    assert page.url.endswith("/search?q=hovercraft")
    expect(page.locator("h1")).to_have_text("Results for hovercraft")
    assert listed_titles(page) == [NEWEST_FIRST[5]]

    sidebar.get_by_role("searchbox", name="Search this blog").fill("zeppelin")
    sidebar.get_by_role("button", name="Search").click()
    assert page.url.endswith("/search?q=zeppelin")
    expect(page.locator("main")).to_contain_text("No posts match zeppelin")
    assert page.watch.problems() == []
