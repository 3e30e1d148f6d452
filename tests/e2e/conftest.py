"""The real site in a real browser: Debian's Chromium, driven by Python Playwright.

One Chromium per run of this package; a fresh browser context (cookies, storage) per
test. The site is pytest-django's `live_server` on 127.0.0.1, so tests that create data
use `django_db(transaction=True)`: the server thread only sees committed rows.

Without /usr/bin/chromium (or node_modules/axe-core for the accessibility checks) the
tests skip and say why, unless DATELINE_REQUIRE_BROWSER=1 (CI), which makes them fail.
"""

import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw

from dateline.posts.models import Post

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path(os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# scripts/test runs the SQLite and PostgreSQL passes at once: each keeps its own screenshots.
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
SCREENSHOTS = REPO / "test-results" / ("screenshots-postgresql" if ON_POSTGRES else "screenshots")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Lead images for the fixture posts, one colour each, named as the front matter names them.
LEAD_IMAGES = {
    "brenner.png": (70, 90, 110),
    "galway.png": (30, 80, 120),
    "moldova.png": (90, 60, 80),
    "tartu.png": (200, 150, 60),
    "bergen.png": (60, 100, 70),
    "aland.png": (150, 180, 210),
}


def require(path: Path, what: str) -> None:
    """Skip (or, under DATELINE_REQUIRE_BROWSER=1, fail) when a browser-test tool is missing."""
    if path.exists():
        return
    reason = f"{what} not found at {path}"
    if os.environ.get("DATELINE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and DATELINE_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (set DATELINE_REQUIRE_BROWSER=1 to fail)")


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless Chromium for every test in tests/e2e."""
    require(CHROMIUM, "Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which trips Django's
    # "async context" guard on ORM calls made by the tests themselves; the live server
    # answers from its own threads. Lifted only while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Watch:
    """What a page said that a person would not see: console lines, errors, dialogs and
    sub-resources (styles, images, scripts) that failed to load."""

    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", self._on_response)

        def on_dialog(dialog) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def _on_response(self, response) -> None:
        # A page's own status is the test's business; Chromium asks for /favicon.ico unbidden.
        request = response.request
        if (
            response.status >= 400
            and request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            self.failed.append(f"{response.status} {request.resource_type} {response.url}")

    def problems(self) -> list[str]:
        """Console errors (CSP violations and the like), uncaught errors, dialogs, failed
        sub-resources. A failed load is reported by URL, not by its console echo."""
        errors = [
            line
            for line in self.console
            if line.startswith("error:") and "Failed to load resource" not in line
        ]
        return errors + self.errors + self.dialogs + self.failed


@pytest.fixture
def new_page(browser, live_server) -> Iterator:
    """Factory for pages in fresh contexts; each page carries a `.watch` of what it logged."""
    contexts = []

    def make(viewport: dict | None = None, phone: bool = False, bypass_csp: bool = False):
        options = {"viewport": viewport or DESKTOP, "base_url": live_server.url}
        if phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = browser.new_context(bypass_csp=bypass_csp, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.watch = Watch()
        page.watch.attach(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page with the site's real Content-Security-Policy in force."""
    return new_page()


def lead_image(color: tuple[int, int, int]) -> bytes:
    """A 1200 by 675 photo-shaped PNG, so layouts and screenshots look like a real post."""
    image = Image.new("RGB", (1200, 675), color)
    draw = ImageDraw.Draw(image)
    for band in range(0, 675, 45):
        shade = tuple(min(255, channel + band // 6) for channel in color)
        draw.rectangle([0, band, 1200, band + 22], fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def blog(tmp_path: Path, transactional_db) -> dict[str, Post]:
    """Six news posts (December 2023 to March 2024) added with `post add`, keyed by file stem."""
    for name, color in LEAD_IMAGES.items():
        (tmp_path / name).write_bytes(lead_image(color))
    files = []
    for source in sorted(FIXTURES.glob("*.md")):
        files.append(tmp_path / source.name)
        shutil.copy(source, files[-1])
    call_command("post", "add", *map(str, files), stdout=io.StringIO())
    posts = {}
    for path in files:
        post = Post.objects.get(import_ref=f"markdown:{path.resolve()}")
        posts[path.stem] = post
    return posts
