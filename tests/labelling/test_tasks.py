"""The retrain task learns from the published history, tolerates a young blog, and is queued
by label changes only when a retrain is due."""

import pytest

from dateline.labelling import services, tasks
from dateline.posts.models import Label
from tests.labelling.conftest import LICENSING_TEXT

pytestmark = pytest.mark.django_db


def retrains(callbacks) -> list:
    """Our retrain enqueues among the on-commit callbacks (other apps queue their own)."""
    return [c for c in callbacks if c == tasks.retrain_labels.enqueue]


def test_the_task_writes_the_model_and_the_next_suggestion_uses_it(labelled_history):
    result = tasks.retrain_labels.enqueue()
    assert result.return_value["trained"] is True
    assert result.return_value["n_posts"] == 40 and result.return_value["labels"] == 3
    assert services.model_path().exists()
    got = services.suggest_labels_for("A note", LICENSING_TEXT)
    assert any("similar labelled posts" in s.reason for s in got if s.label == "Licensing")


def test_the_task_tolerates_too_little_history_and_writes_no_file(make_post):
    make_post(labels=("Iran", "Iraq"))
    result = tasks.retrain_labels.enqueue()
    assert result.return_value["trained"] is False
    assert "need 30 posts" in result.return_value["reason"]
    assert not services.model_path().exists()


def test_the_task_keeps_the_previous_model_when_history_shrinks(labelled_history):
    services.retrain()
    stamp = services.model_info().trained_at
    for post in labelled_history[5:]:
        post.delete()
    assert tasks.retrain_labels.enqueue().return_value["trained"] is False
    assert services.model_info().trained_at == stamp


def test_automatic_retraining_is_off_in_the_test_settings(
    make_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        make_post(labels=("Iran", "Iraq", "Syria"))
    assert retrains(queued) == []


def test_label_changes_queue_a_retrain_once_enough_have_happened(
    settings, labelled_history, django_capture_on_commit_callbacks
):
    services.retrain()  # a fresh model: only the count can make a retrain due
    settings.DATELINE_LABELS_RETRAIN_AFTER = 3
    events = Label.objects.get(name="Events")
    with django_capture_on_commit_callbacks() as queued:
        labelled_history[1].labels.add(events)
        labelled_history[2].labels.add(events)
    assert retrains(queued) == []
    with django_capture_on_commit_callbacks(execute=True) as queued:
        labelled_history[3].labels.remove(events)
    assert len(retrains(queued)) == 1


def test_a_missing_model_makes_the_first_label_change_queue_a_retrain_just_once(
    settings, labelled_history, django_capture_on_commit_callbacks
):
    settings.DATELINE_LABELS_RETRAIN_AFTER = 100
    events = Label.objects.get(name="Events")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        labelled_history[1].labels.add(events)
    assert len(retrains(queued)) == 1 and services.model_path().exists()  # ran at once in tests
    services.model_path().unlink()
    with django_capture_on_commit_callbacks() as queued:
        labelled_history[2].labels.add(events)
    assert retrains(queued) == []  # debounced: one retrain an hour per process


def test_a_stale_model_is_due_and_a_fresh_one_is_not(labelled_history):
    services.retrain()
    assert not tasks.model_is_stale(max_age_hours=24)
    assert tasks.model_is_stale(max_age_hours=-1)


def test_a_model_this_version_cannot_use_is_due(labelled_history):
    services.retrain()
    path = services.model_path()
    data = path.read_bytes()
    assert b'"format_version": 2' in data
    path.write_bytes(data.replace(b'"format_version": 2', b'"format_version": 1', 1))
    assert tasks.model_is_stale(max_age_hours=24)
