"""The desk's Sources page in Chromium: axe finds nothing at desktop and phone widths,
"check now" works under the real CSP, and screenshots are kept."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from dateline.posts.models import Post, Source
from dateline.sources.checking import record
from dateline.sources.probe import Finding
from dateline.sources.states import Outcome
from tests.e2e.conftest import AXE, DESKTOP, PHONE, SCREENSHOTS, require
from tests.e2e.test_accessibility import RUN_AXE

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def sources(transactional_db) -> None:
    get_user_model().objects.create_user("hana", "h@example.org", "pw", is_staff=True)
    now = timezone.now()
    gone = Source.objects.create(url="https://gazette.invalid/2007/07/rope-ferry-story.html",
                                 publisher="Valley Gazette", fetched_at=now)  # fmt: skip
    Post.objects.create(title="The rope ferry runs again", source=gone,
                        status=Post.Status.PUBLISHED, published_at=now)  # fmt: skip
    for _ in range(3):
        record(gone, Finding(Outcome.GONE, "The page is gone (HTTP 404).", 404))
    walled = Source.objects.create(url="https://times.example/a", publisher="Harbour Times")
    record(walled, Finding(Outcome.BLOCKED, "The site refused us (HTTP 403).", 403))
    Source.objects.create(url="https://new.example/never-checked")


def _signed_in(new_page, live_server, **options):
    client = Client()
    client.force_login(get_user_model().objects.get(username="hana"))
    page = new_page(**options)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie,
                               "url": live_server.url}])  # fmt: skip
    return page


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_nothing_on_the_sources_page(new_page, live_server, sources, width):
    require(AXE, "axe-core (npm ci)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _signed_in(new_page, live_server, viewport=WIDTHS[width], phone=width == "phone",
                      bypass_csp=True)  # fmt: skip
    page.goto("/desk/sources/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sources")
    page.locator(".source-history summary").first.click()  # the history open, too
    page.screenshot(path=SCREENSHOTS / f"desk-sources-{width}.png", full_page=True)
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]


def test_filter_and_check_now_work_under_the_real_csp(new_page, live_server, sources, settings):
    settings.DATELINE_WAYBACK_URL = "off"
    page = _signed_in(new_page, live_server)
    page.goto("/desk/")
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Dead 1").click()
    expect(page.locator(".source-item")).to_have_count(1)
    page.get_by_role("button", name="Check now Valley Gazette").click()
    expect(page.get_by_role("status")).to_contain_text("was queued")
