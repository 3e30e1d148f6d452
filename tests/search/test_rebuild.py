"""`dateline search rebuild` and the first build after migrating."""

import io

import pytest
from django.core.management import call_command

from dateline.posts.models import Post
from dateline.search import indexing
from dateline.search.models import SearchDocument
from dateline.search.service import SearchParams, search

pytestmark = pytest.mark.django_db


def titles(text: str) -> list[str]:
    return [result.post.title for result in search(SearchParams(text), 10).results]


def test_rebuild_indexes_every_visible_post_and_says_how_many(make_post):
    make_post(title="Harbour closed")
    make_post(title="Harbour draft", status=Post.Status.DRAFT)
    Post.objects.filter(title="Harbour closed").update(title="Harbour reopened")  # no signal
    out = io.StringIO()
    call_command("search", "rebuild", stdout=out)
    assert out.getvalue().startswith("Indexed 1 post in ")
    assert titles("harbour") == ["Harbour reopened"]
    call_command("search", "rebuild", stdout=io.StringIO())  # twice is the same as once
    assert SearchDocument.objects.count() == 1 and titles("reopened") == ["Harbour reopened"]


def test_after_migrate_builds_a_missing_index_and_leaves_a_present_one(make_post):
    make_post(title="Harbour closed")
    indexing.after_migrate(sender=None)
    assert titles("harbour") == ["Harbour closed"]
    SearchDocument.objects.update(title="changed")
    indexing.after_migrate(sender=None)  # an index exists: migrate does not rebuild it
    assert SearchDocument.objects.get().title == "changed"
