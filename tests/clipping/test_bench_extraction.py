"""The extraction benchmark's metric and its self-test folder (never the real data)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench/extraction.py")
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up here
_spec.loader.exec_module(bench)


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
