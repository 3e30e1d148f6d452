"""`dateline labels suggest|retrain|apply` print what an operator needs and change nothing
unasked."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dateline.labelling import services
from dateline.posts.models import Label, Post
from tests.labelling.conftest import LICENSING_TEXT, SEED_HTML, SEED_LABELS, SEED_TEXT, SEED_TITLE

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("labels", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seed_markdown(tmp_path: Path) -> Path:
    """A draft post file; its lead image is not there yet, which must not matter here."""
    path = tmp_path / "seed.md"
    path.write_text(
        f'---\ntitle: "{SEED_TITLE}"\nimage: missing.png\nlabels: []\n---\n\n{SEED_TEXT}\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def seed_page(tmp_path: Path) -> Path:
    path = tmp_path / "seed.html"
    path.write_text(
        f"<!doctype html><html><head><title>{SEED_TITLE}</title></head><body><header>"
        f"<nav><a href='/'>Home</a></nav></header><article><h1>{SEED_TITLE}</h1>{SEED_HTML}"
        "</article><footer>© news.example</footer></body></html>",
        encoding="utf-8",
    )
    return path


def test_suggest_prints_one_label_a_line_with_its_reason(seed_markdown):
    lines = run("suggest", str(seed_markdown)).splitlines()
    assert sorted(line.split(" — ")[0] for line in lines) == SEED_LABELS
    assert all("mentions:" in line and line.endswith(")") and "(new, " in line for line in lines)


def test_suggest_json_is_a_list_best_first_of_label_score_reason_new(seed_markdown):
    got = json.loads(run("suggest", str(seed_markdown), "--json"))
    assert [set(item) for item in got] == [{"label", "score", "reason", "new"}] * 3
    assert sorted(item["label"] for item in got) == SEED_LABELS
    assert [item["score"] for item in got] == sorted((i["score"] for i in got), reverse=True)
    assert all(item["new"] is True and isinstance(item["score"], float) for item in got)


def test_suggest_json_marks_existing_labels_and_lists_them_first(seed_markdown):
    Label.objects.create(name="Iraq", aliases="Iraqi\nIraqis\nBaghdad")
    got = json.loads(run("suggest", str(seed_markdown), "--json"))
    assert got[0]["label"] == "Iraq" and got[0]["new"] is False
    assert [item["new"] for item in got[1:]] == [True, True]


def test_suggest_reads_an_html_page(seed_page):
    got = json.loads(run("suggest", str(seed_page), "--json", "--url", "https://news.example/a"))
    assert sorted(item["label"] for item in got) == SEED_LABELS


def test_suggest_refuses_a_missing_file_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match=r"nope\.md"):
        run("suggest", str(tmp_path / "nope.md"))


def test_retrain_prints_what_it_learned_and_the_next_suggestion_uses_it(labelled_history, tmp_path):
    out = run("retrain")
    assert "n_posts: 40" in out and "labels: 3 (Events, Licensing, Metadata)" in out
    assert "trained_at: " in out and services.model_path().exists()
    note = tmp_path / "note.md"
    note.write_text(f"---\ntitle: A note on our photos\n---\n\n{LICENSING_TEXT}\n")
    got = json.loads(run("suggest", str(note), "--json"))
    licensing = next(item for item in got if item["label"] == "Licensing")
    assert "similar labelled posts" in licensing["reason"]


def test_retrain_with_too_little_history_says_so_and_writes_nothing(make_post):
    make_post(labels=("Iran",))
    with pytest.raises(CommandError, match="Not retrained: 1 labelled posts"):
        run("retrain")
    assert not services.model_path().exists()


@pytest.fixture
def unlabelled_seed(make_post) -> Post:
    Label.objects.create(name="Iran", aliases="Iranian\nTehran")
    make_post(labels=("Iran",), title="An older labelled post")
    return make_post(title=SEED_TITLE, body_source=SEED_TEXT)


def test_apply_dry_run_proposes_labels_and_changes_nothing(unlabelled_seed):
    before = list(Post.labels.through.objects.values_list("post_id", "label_id"))
    out = run("apply", "--dry-run")
    assert SEED_TITLE[:40] in out and "Iran, " in out and "Iraq*" in out
    assert "1 unlabelled published posts" in out and "nothing changed" in out
    assert list(Post.labels.through.objects.values_list("post_id", "label_id")) == before
    assert Label.objects.count() == 1


def test_apply_without_yes_refuses(unlabelled_seed):
    with pytest.raises(CommandError, match="--dry-run"):
        run("apply")
    assert not unlabelled_seed.labels.exists()


def test_apply_yes_adds_only_labels_the_blog_already_has(unlabelled_seed):
    out = run("apply", "--yes")
    assert "Labelled 1 posts (1 labels added)" in out
    assert [label.name for label in unlabelled_seed.labels.all()] == ["Iran"]
    assert Label.objects.count() == 1
