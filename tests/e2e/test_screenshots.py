"""Home, a post and a label page at phone and desktop widths, saved for people to look at.

The PNGs land in test-results/screenshots/ (screenshots-postgresql/ on PostgreSQL; not
committed; CI keeps them as artifacts).
What a test can check is checked: nothing is wider than the screen, text is not tiny,
the lead image fits.
"""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("width", WIDTHS)
def test_home_post_and_label_pages_fit_the_screen(new_page, blog, width):
    page = new_page(viewport=WIDTHS[width], phone=width == "phone")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "home": "/",
        "post": blog["brenner-freight"].path,
        "label": "/search/label/Transport",
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, path
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        layout = page.evaluate(
            """() => ({
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: window.innerWidth,
                bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
                images: [...document.querySelectorAll('main img')].map(
                    img => img.getBoundingClientRect().right),
            })"""
        )
        assert layout["innerWidth"] == WIDTHS[width]["width"], (name, layout)
        assert layout["scrollWidth"] <= layout["innerWidth"], (name, layout)
        assert layout["bodyFont"] >= 16, (name, layout)
        assert all(right <= layout["innerWidth"] for right in layout["images"]), (name, layout)
    if width == "phone":
        # One column on a phone: the sidebar comes after the posts, not beside them.
        main, sidebar = (page.locator(s).bounding_box() for s in ("main", "aside.sidebar"))
        assert sidebar["y"] >= main["y"] + main["height"]
    else:
        main, sidebar = (page.locator(s).bounding_box() for s in ("main", "aside.sidebar"))
        assert sidebar["x"] >= main["x"] + main["width"]
    assert page.watch.problems() == []
