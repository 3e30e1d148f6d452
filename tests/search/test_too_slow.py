"""A search the request's time budget stops gets the search page back, saying so."""

import pytest
from django.test import override_settings

from dateline.search.backends import base as search_base
from tests.core.test_dbbudget import ENDLESS, SLOW_ROWS, run
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db


@override_settings(DATELINE_REQUEST_DB_BUDGET=0.5)
@pytest.mark.parametrize("endless", [ENDLESS, SLOW_ROWS], ids=["executing", "fetching"])
def test_a_search_that_runs_too_long_says_so_on_the_search_page(
    client, make_post, index, monkeypatch, endless
):
    """The facet query is made endless (a real statement on the real database), as a
    hostile query on a big blog was before matching ran once; SQLite may stop it while
    it runs or while its rows are fetched."""
    make_post(title="Harbour closed", labels=("Malta",))
    index()

    def endless_month_counts(self, query, filters):
        run(endless)

    monkeypatch.setattr(search_base.SearchBackend, "month_counts", endless_month_counts)
    response = client.get("/search?q=harbour&label=Malta")
    assert response.status_code == 503
    lines = visible_lines(response.content)
    assert "Search took too long, try fewer or longer words." in lines
    assert b'name="q" value="harbour"' in response.content  # the form, to try again
