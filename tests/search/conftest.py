"""Search tests run on the database in use (SQLite FTS5, or PostgreSQL via DATABASE_URL)."""

import pytest
from lxml import html as lxml_html

from dateline.search import indexing


@pytest.fixture
def index(db):
    """Build the index from the posts written so far, for tests that are about reading
    it rather than keeping it fresh (those use transaction=True and real commits)."""
    return indexing.rebuild


def result_titles(response) -> list[str]:
    tree = lxml_html.fromstring(response.content)
    return [a.text for a in tree.findall(".//article[@class='post search-result']/h2/a")]
