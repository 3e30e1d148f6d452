"""Suggestions for drafts and stored posts use the blog's labels, aliases and model."""

import pytest

from dateline.labelling import model as label_model
from dateline.labelling import services
from dateline.posts.models import Label, Post
from tests.labelling.conftest import (
    LICENSING_TEXT,
    SEED_HTML,
    SEED_LABELS,
    SEED_TEXT,
    SEED_TITLE,
)

pytestmark = pytest.mark.django_db


def names(suggestions) -> list[str]:
    return [s.label for s in suggestions]


def test_a_seed_shaped_story_on_an_empty_blog_gets_its_three_countries_as_new_labels():
    got = services.suggest_labels_for(SEED_TITLE, SEED_TEXT)
    assert sorted(names(got)) == SEED_LABELS
    assert all(s.new for s in got)
    assert all(s.reason.startswith(f"{s.label} — ") for s in got)


def test_html_and_plain_text_bodies_give_the_same_suggestions():
    assert services.suggest_labels_for(SEED_TITLE, SEED_HTML) == services.suggest_labels_for(
        SEED_TITLE, SEED_TEXT
    )


def test_existing_labels_come_first_and_aliases_count_as_mentions():
    Label.objects.create(name="Iran", aliases="Iranian\nTehran")
    Label.objects.create(name="Diplomacy", aliases="envoy\nenvoys\ndelegation\ntalks")
    got = services.suggest_labels_for(SEED_TITLE, SEED_HTML)
    assert names(got)[:2] == ["Iran", "Diplomacy"]
    assert [s.new for s in got] == [False, False, True, True]
    assert sorted(names(got)[2:]) == ["Iraq", "United States"]
    diplomacy = got[1]
    assert "envoy" in diplomacy.reason and "talks" in diplomacy.reason


def test_a_label_spelled_like_a_gazetteer_place_keeps_the_blogs_spelling():
    Label.objects.create(name="USA", aliases="United States")
    got = services.suggest_labels_for(SEED_TITLE, SEED_TEXT)
    assert "USA" in names(got) and "United States" not in names(got)
    assert not next(s for s in got if s.label == "USA").new


def test_limit_caps_the_list():
    assert len(services.suggest_labels_for(SEED_TITLE, SEED_TEXT, limit=2)) == 2
    assert services.suggest_labels_for(SEED_TITLE, SEED_TEXT, limit=0) == []


def test_a_stored_post_is_read_from_its_title_and_rendered_body(make_post):
    post = make_post(title=SEED_TITLE, body_source=SEED_TEXT, status=Post.Status.DRAFT)
    assert sorted(names(services.suggest_for_post(post))) == SEED_LABELS


def test_new_labels_show_up_in_suggestions_without_a_restart():
    assert "Diplomacy" not in names(services.suggest_labels_for(SEED_TITLE, SEED_TEXT))
    Label.objects.create(name="Diplomacy", aliases="envoys\ntalks")
    assert "Diplomacy" in names(services.suggest_labels_for(SEED_TITLE, SEED_TEXT))


def test_the_model_is_used_once_written_and_dropped_when_the_file_goes(labelled_history):
    before = services.suggest_labels_for("A note", LICENSING_TEXT)
    assert "Licensing" not in names(before)
    info = services.retrain()
    assert info.n_posts == 40 and set(info.labels) == {"Events", "Licensing", "Metadata"}
    after = services.suggest_labels_for("A note", LICENSING_TEXT)
    licensing = next(s for s in after if s.label == "Licensing")
    assert "similar labelled posts" in licensing.reason and not licensing.new
    services.model_path().unlink()
    assert "Licensing" not in names(services.suggest_labels_for("A note", LICENSING_TEXT))


def test_an_unreadable_model_file_is_ignored_not_fatal():
    services.model_path().write_bytes(b"not a model at all")
    assert services.current_model() is None
    assert sorted(names(services.suggest_labels_for(SEED_TITLE, SEED_TEXT))) == SEED_LABELS


def test_too_little_history_raises_and_writes_no_file(make_post):
    make_post(labels=("Iran",), title=SEED_TITLE, body_source=SEED_TEXT)
    with pytest.raises(label_model.NotEnoughHistoryError):
        services.retrain()
    assert not services.model_path().exists()


def test_html_to_text_keeps_paragraphs_apart_and_drops_scripts():
    html = "<h2>Title</h2><p>One <b>bold</b> line.</p><script>var x;</script><p>Two</p>"
    assert services.html_to_text(html) == "Title\n\nOne bold line.\n\nTwo"
    assert not services.looks_like_html("Tehran < Baghdad > Riyadh, says us")
