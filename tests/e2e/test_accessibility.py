"""axe-core finds nothing to fix on the public pages, and the keyboard reaches everything.

axe-core comes from npm (package.json pins it; `npm ci` installs it). It is injected as
an inline script, which the site's Content-Security-Policy rightly blocks, so those
contexts are opened with Playwright's `bypass_csp` — a test-harness permission, not a
change to what the site sends.
"""

import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dateline.comments.models import Comment
from tests.e2e.conftest import AXE, PHONE, require

pytestmark = pytest.mark.django_db(transaction=True)

RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    return results.violations.map(v => ({
        rule: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '),
                                              summary: n.failureSummary})),
    }));
}"""


@pytest.fixture
def axe(new_page):
    """Run axe-core on a path (after an optional `prepare(page)`) and return its violations."""
    require(AXE, "axe-core (npm ci)")

    def check(path: str, prepare=None, **options) -> list[dict]:
        page = new_page(bypass_csp=True, **options)
        page.goto(path)
        if prepare:
            prepare(page)
        page.add_script_tag(path=str(AXE))
        return page.evaluate(RUN_AXE)

    return check


def approve_a_comment(post) -> Comment:
    return Comment.objects.create(
        post=post, author_name="Liis", author_url="https://liis.example",
        body="Good news for the riverside.\n\nSee https://tartu.example/lamps for the plan.",
        created_at=timezone.now(), status=Comment.Status.APPROVED,
    )  # fmt: skip


def submit_empty_comment(page) -> None:
    """The form as it comes back with errors (name and comment missing)."""
    page.get_by_role("button", name="Publish your comment").click()
    expect(page.locator(".field-error").first).to_be_visible()


PAGES = {
    "home": "/",
    "home-page-2": "/?page=2",
    "post": "{tartu}",
    "post-comment-pending": "{tartu}?comment=pending",
    "post-reply-form": "{tartu}?reply={comment}#comment-form",
    "label": "/search/label/Transport",
    "label-both": "/search/label/Transport+Finland",
    "archive-year": "/2024/",
    "archive-month": "/2023/12/",
    "search": "/search?q=frost",
    "search-no-results": "/search?q=zeppelin",
    "not-found": "/2024/01/no-such-story.html",
}


def test_axe_finds_no_violations_on_any_public_page(axe, blog, settings):
    settings.DATELINE_PAGE_SIZE = 3
    comment = approve_a_comment(blog["tartu-bridges"])
    where = {"tartu": blog["tartu-bridges"].path, "comment": comment.pk}
    found = {name: axe(path.format(**where)) for name, path in PAGES.items()}
    found = {name: violations for name, violations in found.items() if violations}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_axe_finds_no_violations_on_the_comment_form_with_errors(axe, blog, width):
    options = {"viewport": PHONE, "phone": True} if width == "phone" else {}
    violations = axe(blog["galway-fleet"].path, prepare=submit_empty_comment, **options)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


FOCUSABLE = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'
)].filter(el => el.tabIndex >= 0 && el.checkVisibility()
              && !el.closest('[aria-hidden=true]') && !el.disabled)
 .map(el => el.outerHTML.slice(0, 160))"""

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        html: el === document.body ? null : el.outerHTML.slice(0, 160),
        outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
        onScreen: box.right > 0 && box.bottom > 0 && box.left < innerWidth,
    };
}"""


def tab_through(page, limit: int = 200) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the document."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["html"] is None or (stops and focused["html"] == stops[0]["html"]):
            break
        stops.append(focused)
    return stops


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, blog):
    page.goto(blog["moldova-frost"].path)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("#main")
    # The next Tab lands on the first thing inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


@pytest.mark.parametrize("where", ["home", "post"])
def test_the_keyboard_reaches_every_link_and_control_with_visible_focus(page, blog, where):
    page.goto("/" if where == "home" else blog["tartu-bridges"].path)
    stops = tab_through(page)
    reached = [stop["html"] for stop in stops]
    assert reached == page.evaluate(FOCUSABLE)
    unseen = [stop for stop in stops if stop["outline"] < 2 or not stop["onScreen"]]
    assert unseen == [], "focus must be visible on every stop"


def test_a_keyboard_user_opens_a_closed_archive_year_and_posts_a_comment(page, blog):
    page.goto(blog["aland-ferries"].path)
    summary = page.locator(".archive-widget summary", has_text="2023")
    summary.focus()
    page.keyboard.press("Enter")
    december = page.locator(".archive-widget").get_by_role("link", name="December")
    expect(december).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(december).to_be_focused()

    page.get_by_label("Name").focus()
    page.keyboard.type("Aino")
    for _ in range(3):
        page.keyboard.press("Tab")
    page.keyboard.type("The second crossing saves our mornings.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Publish your comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("awaiting moderation")
    assert Comment.objects.get().author_name == "Aino"
    assert page.watch.problems() == []
