"""The extraction benchmark's metric and its self-test folder (never the real data)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench import extraction as bench


def test_identical_text_scores_full_marks():
    assert bench.precision_recall("one two three four five", "one two three four five") == (1, 1)


def test_extra_text_lowers_precision_and_missing_text_lowers_recall():
    truth = "a b c d e f g h"
    precision, recall = bench.precision_recall("a b c d e f g h x y z w", truth)
    assert precision == pytest.approx(5 / 9)
    assert recall == 1
    precision, recall = bench.precision_recall("a b c d e", truth)
    assert precision == 1
    assert recall == pytest.approx(2 / 5)


def test_empty_output_has_no_precision_and_no_recall():
    assert bench.precision_recall("", "some real article text here") == (0, 0)


def test_shingles_are_word_four_grams_ignoring_punctuation():
    assert bench.shingles("One, two; three. Four five") == {
        ("One", "two", "three", "Four"),
        ("two", "three", "Four", "five"),
    }


def test_the_self_test_folder_runs_and_prints_every_extractor(capsys):
    assert bench.main([]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("3 pages")
    for name in bench.EXTRACTORS:
        assert name in printed
    assert "time ratio dateline / trafilatura default" in printed


def test_our_extractor_is_perfect_on_the_self_test_pages():
    scores = {s.name: s for s in bench.run(bench.DEFAULT_DIR)}
    ours = scores["dateline extract_article"]
    assert (ours.precision, ours.recall) == (1.0, 1.0)
    assert ours.f1 >= scores["trafilatura default"].f1


def test_wcxb_metric_is_a_bag_of_lowercase_words_scored_per_page():
    precision, recall, f1 = bench.wcxb.word_scores("The the cat, sat", "the cat sat on the mat")
    assert precision == 1  # every predicted word is in the truth, "the" twice as often
    assert recall == pytest.approx(4 / 6)
    assert f1 == pytest.approx(2 * (4 / 6) / (1 + 4 / 6))
    assert bench.wcxb.word_scores("", "some text") == (0, 0, 0)


def _wcxb_page(
    root: Path, key: str, html: str, truth: str, kind: object, split: str = "dev"
) -> None:
    (root / f"{split}/html").mkdir(parents=True, exist_ok=True)
    (root / f"{split}/ground-truth").mkdir(parents=True, exist_ok=True)
    (root / f"{split}/html/{key}.html.gz").write_bytes(gzip.compress(html.encode()))
    record = {"url": f"https://example.org/{key}", "_internal": {"page_type": kind}}
    record["ground_truth"] = {"main_content": truth}
    (root / f"{split}/ground-truth/{key}.json").write_text(json.dumps(record))


def test_wcxb_dev_split_scores_unique_pages_with_text_by_type(tmp_path, capsys):
    body = "<html><body><article><p>{}</p></article></body></html>"
    text = "A forum reply that is long enough to be kept by any extractor at all, surely."
    _wcxb_page(tmp_path, "0001", body.format(text), text, {"primary": "forum"})
    _wcxb_page(tmp_path, "0002", body.format(text), text, {"primary": "forum"})  # same bytes
    _wcxb_page(tmp_path, "0003", body.format("x"), "   ", "article")  # no text to score
    _wcxb_page(tmp_path, "0004", body.format(text + " Two"), text, {"primary": "category"})
    pages = bench.load_wcxb_dev(tmp_path)
    assert [(p.key, p.kind) for p in pages] == [("0001", "forum"), ("0004", "collection")]
    assert bench.main(["--dataset", "wcxb-dev", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("2 pages")
    assert "forum" in printed
    assert "collect" in printed
    assert "empty" in printed
    assert "service" not in printed  # no page of that type, no column
    assert bench.main(["--dataset", "wcxb-dev", "--kinds", "collection", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("1 pages")
    # The split's own folder will do as well as the checkout's.
    assert [p.key for p in bench.load_wcxb_dev(tmp_path / "dev")] == ["0001", "0004"]


def test_the_held_out_test_split_is_read_apart_from_dev(tmp_path, capsys):
    body = "<html><body><article><p>{}</p></article></body></html>"
    text = "A documentation page that explains one command, in words enough to be kept."
    _wcxb_page(tmp_path, "0001", body.format(text), text, "article")
    _wcxb_page(tmp_path, "0900", body.format(text), text, "documentation", split="test")
    _wcxb_page(tmp_path, "0901", body.format(text + " More"), text, "service", split="test")
    assert [p.key for p in bench.load_wcxb_dev(tmp_path)] == ["0001"]
    assert [p.key for p in bench.load_wcxb_dev(tmp_path, "test")] == ["0900", "0901"]
    assert bench.main(["--dataset", "wcxb-test", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("2 pages")
    header = printed.splitlines()[1].split()
    assert "documen" in header and "service" in header and "article" not in header
