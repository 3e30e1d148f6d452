"""A checking run whose worker died stays marked running; it must not stop checking."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dateline.sources.tasks import ABANDONED_AFTER, check_due_sources, ensure_scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def a_run_started(ago: timedelta) -> DBTaskResult:
    """A run a worker took `ago` and never finished (killed, or still working)."""
    check_due_sources.enqueue()
    run = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    run.status = TaskResultStatus.RUNNING
    run.started_at = timezone.now() - ago
    run.save()
    return run


def test_a_run_is_queued_when_none_is_waiting_or_running():
    assert ensure_scheduled() is True
    assert ensure_scheduled() is False  # one waits already
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_a_recent_running_run_is_left_to_finish():
    run = a_run_started(timedelta(hours=1))
    assert ensure_scheduled() is False
    run.refresh_from_db()
    assert run.status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.count() == 1


def test_a_run_marked_running_past_the_limit_is_failed_and_a_new_one_queued():
    run = a_run_started(ABANDONED_AFTER + timedelta(minutes=1))
    assert ensure_scheduled() is True
    run.refresh_from_db()
    assert run.status == TaskResultStatus.FAILED
    assert run.finished_at is not None
    assert "stopped without finishing" in run.traceback
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
