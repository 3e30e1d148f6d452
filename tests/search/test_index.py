"""The index follows every post change, after the transaction commits, and holds only
what readers may see (scheduled posts wait for their time at query time)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from dateline.posts.models import Label, Post, Source
from dateline.search.documents import indexable_posts, strip_html
from dateline.search.models import SearchDocument
from dateline.search.service import SearchParams, search

pytestmark = pytest.mark.django_db(transaction=True)


def found(text: str) -> list[str]:
    return [result.post.title for result in search(SearchParams(text), 20).results]


def indexed_ids() -> set[int]:
    return set(SearchDocument.objects.values_list("post_id", flat=True))


def test_a_new_post_is_found_once_committed_and_not_before(make_post):
    with transaction.atomic():
        make_post(title="Ferries stopped", body_source="The harbour closed.")
        assert found("harbour") == []
    assert found("harbour") == ["Ferries stopped"]


def test_a_rolled_back_post_is_never_indexed(make_post):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_post(title="Never", body_source="Phantom ferry.")
        raise RuntimeError
    assert found("phantom") == [] and indexed_ids() == set()


def test_editing_a_post_replaces_its_words(make_post):
    post = make_post(title="Ferries stopped", body_source="The harbour closed.")
    post.body_source = "The airport reopened."
    post.save()
    assert found("harbour") == []
    assert found("airport") == ["Ferries stopped"]


def test_unpublishing_and_deleting_remove_a_post_and_publishing_adds_it(make_post):
    post = make_post(title="Ferries stopped", body_source="The harbour closed.")
    post.status = Post.Status.DRAFT
    post.save()
    assert found("harbour") == [] and indexed_ids() == set()
    post.status = Post.Status.PUBLISHED
    post.save()
    assert found("harbour") == ["Ferries stopped"]
    post.delete()
    assert found("harbour") == [] and indexed_ids() == set()


def test_drafts_and_static_pages_are_not_indexed(make_post):
    make_post(title="Draft harbour", status=Post.Status.DRAFT)
    make_post(title="About the harbour", kind=Post.Kind.PAGE)
    assert indexed_ids() == set() and found("harbour") == []


def test_a_scheduled_post_is_indexed_ahead_but_found_only_once_its_time_comes(make_post):
    post = make_post(title="Harbour plan", published_at=timezone.now() + timedelta(hours=1))
    assert indexed_ids() == {post.pk}
    assert found("harbour") == []
    # Time passes (a bulk update sends no signal, exactly like the clock moving on).
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    SearchDocument.objects.filter(pk=post.pk).update(published_at=timezone.now())
    assert found("harbour") == ["Harbour plan"]


def test_label_changes_from_either_side_reach_the_index(make_post):
    post = make_post(title="Ferries stopped")
    malta = Label.objects.create(name="Malta")
    post.labels.add(malta)
    assert found("malta") == ["Ferries stopped"]
    post.labels.remove(malta)
    assert found("malta") == []
    malta.posts.add(post)
    assert found("malta") == ["Ferries stopped"]
    malta.name = "Gozo"
    malta.aliases = "Victoria"
    malta.save()
    assert found("malta") == [] and found("gozo") == found("victoria") == ["Ferries stopped"]
    malta.posts.clear()
    assert found("gozo") == []
    post.labels.add(malta)
    malta.delete()
    assert found("gozo") == []


def test_the_source_publisher_is_indexed_and_follows_edits(make_post):
    post = make_post(title="Ferries stopped", source_url="https://times.example/a")
    assert found("news") == ["Ferries stopped"]  # the fixture's publisher: news.example
    Source.objects.filter(pk=post.source_id).get().delete()
    assert found("news") == []


def test_an_admin_style_save_leaves_the_final_state_indexed(make_post):
    post = make_post(title="Ferries stopped", labels=("Malta", "Italy"))
    with transaction.atomic():
        post.title = "Ferries resumed"
        post.save()
        post.labels.set(Label.objects.filter(name="Malta"))
    assert found("resumed") == ["Ferries resumed"]
    assert found("italy") == []


def test_indexable_posts_are_exactly_what_published_will_show(make_post):
    """The index's rule and the one visibility rule must never drift apart."""
    make_post(title="shown")
    make_post(title="draft", status=Post.Status.DRAFT)
    make_post(title="page", kind=Post.Kind.PAGE)
    make_post(title="later", published_at=timezone.now() + timedelta(days=1))
    now = timezone.now()
    assert set(indexable_posts().filter(published_at__lte=now)) == set(Post.objects.published())
    assert {p.title for p in indexable_posts()} == {"shown", "later"}


def test_body_text_is_stripped_of_markup_but_keeps_words_apart():
    html = "<p>Bagh<b>dad</b> &amp; Basra</p><ul><li>one</li><li>two</li></ul><script>x</script>"
    assert strip_html(html) == "Baghdad & Basra one two"


def test_imported_posts_are_found(tmp_path):
    """Imports write in bulk, without post_save; their own signal keeps the index current."""
    from dateline.interchange.importing import import_records
    from dateline.interchange.markdown import read_markdown_post

    post = tmp_path / "imported.md"
    post.write_text("---\ntitle: Lighthouse keepers return\npublished: 2021-03-04\n---\nFog.\n")
    import_records([read_markdown_post(post)])
    assert found("lighthouse") == ["Lighthouse keepers return"]
