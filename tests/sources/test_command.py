"""`dateline sources check [--all] [--json]` through the real command line parser."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dateline.posts.models import Source
from dateline.sources.models import SourceHealth

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checking_settings")]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("sources", *args, stdout=out)
    return out.getvalue()


def test_json_lists_each_checked_source_with_its_state(news):
    alive = Source.objects.create(url=news.url("/story"))
    gone = Source.objects.create(url=news.url("/deleted"))
    rows = json.loads(_run("check", "--json"))
    assert [set(row) for row in rows] == [
        {"id", "url", "state", "failures", "checked_at", "archive_url"}
    ] * 2
    by_id = {row["id"]: row for row in rows}
    assert by_id[alive.pk]["state"] == "ok" and by_id[alive.pk]["failures"] == 0
    assert by_id[gone.pk]["state"] == "suspect" and by_id[gone.pk]["failures"] == 1
    assert by_id[gone.pk]["url"] == news.url("/deleted")


def test_only_due_sources_unless_all(news):
    Source.objects.create(url=news.url("/story"))
    assert len(json.loads(_run("check", "--json"))) == 1
    assert json.loads(_run("check", "--json")) == []  # checked: due again in a week
    rows = json.loads(_run("check", "--all", "--json"))
    assert len(rows) == 1
    assert SourceHealth.objects.get().next_check_at is not None


def test_plain_output_names_state_and_count(news):
    Source.objects.create(url=news.url("/walled"))
    text = _run("check")
    assert "blocked" in text and "Checked 1 source(s): 1 blocked." in text


def test_an_unknown_action_is_refused():
    with pytest.raises(CommandError):
        call_command("sources", "verify")
