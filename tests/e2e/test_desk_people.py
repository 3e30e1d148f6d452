"""The desk's settings, people and profile pages in Chromium: axe finds nothing at desktop
and phone widths, the forms work under the real CSP, and screenshots are kept."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from dateline.people.models import Profile
from dateline.people.roles import AUTHOR, EDITOR, set_role
from tests.e2e.conftest import AXE, DESKTOP, PHONE, SCREENSHOTS, require
from tests.e2e.test_accessibility import RUN_AXE

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
PAGES = {"settings": "/desk/settings/", "people": "/desk/people/", "profile": "/desk/profile/"}


def _signed_in(new_page, live_server, username: str, **options):
    """A browser page carrying a session for `username` (no trip through the login form)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page = new_page(**options)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie,
                               "url": live_server.url}])  # fmt: skip
    return page


@pytest.fixture
def people(transactional_db) -> None:
    for username, role, name in (("eda", EDITOR, "Eda Editor"), ("hkim", AUTHOR, "Hana Kim")):
        user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
        set_role(user, role)
        Profile.objects.create(user=user, display_name=name)
    get_user_model().objects.create_user("ghost", is_active=False, is_staff=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_nothing_on_the_settings_people_and_profile_pages(
    new_page, live_server, people, width
):
    require(AXE, "axe-core (npm ci)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone = width == "phone"
    found = {}
    for name, path in PAGES.items():
        page = _signed_in(new_page, live_server, "eda", viewport=WIDTHS[width], phone=phone,
                          bypass_csp=True)  # fmt: skip
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"desk-{name}-{width}.png", full_page=True)
        # The same page with its errors shown: a form that came back must pass too.
        page.locator("form.desk-form button[type=submit]").click()
        page.add_script_tag(path=str(AXE))
        found[name] = page.evaluate(RUN_AXE)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= WIDTHS[width]["width"], (name, scroll_width)
    assert found == {name: [] for name in PAGES}


def test_an_editor_renames_the_blog_and_adds_an_author_under_the_real_csp(
    new_page, live_server, people
):
    page = _signed_in(new_page, live_server, "eda")
    page.goto("/desk/")
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Blog title").fill("Tide Tables")
    page.get_by_label("Time zone").fill("Europe/Tallinn")
    page.get_by_label("Publish every comment at once").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved")
    expect(page.locator(".desk-blog")).to_have_text("Tide Tables")
    page.goto("/")
    expect(page).to_have_title("Tide Tables")

    page.goto("/desk/people/")
    page.get_by_label("Login name").fill("maren")
    page.get_by_label("Display name").fill("Maren Lie")
    page.get_by_label("Author: writes").check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_contain_text("/desk/welcome/")
    expect(page.get_by_role("row", name="Maren Lie")).to_contain_text("Invited, no password yet")
    assert page.watch.problems() == []


def test_an_author_sees_neither_settings_nor_people(new_page, live_server, people):
    page = _signed_in(new_page, live_server, "hkim")
    page.goto("/desk/")
    expect(page.get_by_role("link", name="Your profile")).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    expect(page.get_by_role("link", name="People")).to_have_count(0)
    page.get_by_role("link", name="Your profile").click()
    page.get_by_label("Display name").fill("H. Kim")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(page.locator(".lede strong")).to_have_text("H. Kim")
    assert page.watch.problems() == []
