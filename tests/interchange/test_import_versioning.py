"""A re-import that changes only what bulk writes touch still refreshes cached pages.

Bulk writes send no post_save or m2m_changed, so whatever an import changes that readers
can see (a post, its labels, its comments, a redirect) must move the content version.
"""

import dataclasses
from datetime import UTC, datetime

import pytest

from dateline.core.versioning import current_version
from dateline.interchange.importing import import_records
from dateline.interchange.records import CommentRecord, PostRecord

pytestmark = pytest.mark.django_db

POST = PostRecord(
    import_id="wxr:blog.example/1",
    title="Ferries stop at the harbour",
    body="<p>Strike.</p>",
    published=datetime(2021, 4, 5, 6, 7, tzinfo=UTC),
    path="/2021/04/ferries-stop.html",
    labels=("Malta",),
    old_paths=("/2021/04/05/ferries-stop/",),
)
COMMENT = CommentRecord(
    import_id="wxr:blog.example/1:c1",
    post_import_id=POST.import_id,
    author_name="Ana",
    body="Again?",
    published=datetime(2021, 4, 6, tzinfo=UTC),
)


def cache_status(response) -> str:
    return response.get("X-Dateline-Cache", "none")


def test_a_label_only_change_shows_on_the_next_request(client):
    import_records([POST, COMMENT])
    client.get(POST.path)
    cached = client.get(POST.path)
    assert cache_status(cached) == "hit" and "Sicily" not in cached.content.decode()
    summary = import_records([dataclasses.replace(POST, labels=("Malta", "Sicily")), COMMENT])
    assert summary.changes["posts updated"] == 0
    page = client.get(POST.path)
    assert cache_status(page) == "miss"
    assert "Sicily" in page.content.decode()


def test_removing_a_label_shows_on_the_next_request(client):
    import_records([dataclasses.replace(POST, labels=("Malta", "Sicily"))])
    client.get("/search/label/Sicily")
    assert cache_status(client.get("/search/label/Sicily")) == "hit"
    import_records([POST])
    page = client.get("/search/label/Sicily")
    assert POST.title not in page.content.decode()


def test_a_redirect_only_change_moves_the_content_version():
    import_records([POST])
    before = current_version()
    summary = import_records([dataclasses.replace(POST, old_paths=(*POST.old_paths, "/?p=1"))])
    assert summary.changes["redirects created"] == 1
    assert current_version() != before


def test_a_comment_state_change_moves_the_content_version():
    import_records([POST, COMMENT])
    before = current_version()
    import_records([POST, dataclasses.replace(COMMENT, status="removed")])
    assert current_version() != before


def test_a_re_import_that_changes_nothing_leaves_the_version_alone():
    import_records([POST, COMMENT])
    before = current_version()
    summary = import_records([POST, COMMENT])
    assert not +summary.changes
    assert current_version() == before
