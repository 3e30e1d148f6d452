"""The learned model trains on the blog's history, predicts, and survives a save and load."""

import json
import random

import pytest
import sklearn

from dateline.labelling import model as label_model
from dateline.labelling.model import ModelFileError, NotEnoughHistoryError
from dateline.labelling.suggest import Document, LabelTerms, suggest

TOPICS = {
    "Licensing": "licence copyright permission attribution share-alike terms rights reuse",
    "Metadata": "metadata rdfa triples schema vocabulary markup embedded machine-readable",
    "Python": "python package pip module interpreter library virtualenv script",
    "Events": "conference summit meetup talk schedule venue speakers registration",
}
FILLER = "the a of and this week we our project new update about with for team"


def synthetic_posts(n: int = 48, seed: int = 7) -> list[tuple[str, list[str]]]:
    """Posts of one or two topics each, words drawn from the topic's list and filler."""
    rng = random.Random(seed)
    names = sorted(TOPICS)
    posts = []
    for i in range(n):
        chosen = [names[i % len(names)]]
        if i % 3 == 0:
            chosen.append(names[(i + 1) % len(names)])
        words = FILLER.split() * 2
        for topic in chosen:
            words += rng.choices(TOPICS[topic].split(), k=12)
        rng.shuffle(words)
        posts.append((" ".join(words), chosen))
    return posts


@pytest.fixture(scope="module")
def trained() -> label_model.LabelModel:
    return label_model.train(synthetic_posts(), now=None)


def test_training_learns_every_label_with_enough_examples(trained):
    assert trained.labels == tuple(sorted(TOPICS))
    assert trained.info.n_posts == 48
    assert trained.info.sklearn_version == sklearn.__version__
    assert trained.info.trained_at


def test_prediction_puts_the_right_topic_first(trained):
    probabilities = trained.predict("the new python package and module for our script")
    assert set(probabilities) == set(TOPICS)
    assert max(probabilities, key=probabilities.get) == "Python"
    assert all(0.0 <= p <= 1.0 for p in probabilities.values())


def test_too_little_history_is_refused():
    with pytest.raises(NotEnoughHistoryError):
        label_model.train(synthetic_posts(n=10))


def test_labels_with_too_few_examples_are_not_learned():
    posts = [*synthetic_posts(), ("a one-off post about pottery", ["Pottery"])]
    assert "Pottery" not in label_model.train(posts).labels


def test_unlabelled_posts_do_not_count_as_history():
    posts = [*synthetic_posts(n=20), *(("no labels here", []) for _ in range(40))]
    with pytest.raises(NotEnoughHistoryError):
        label_model.train(posts)


def test_save_and_load_round_trip(trained, tmp_path):
    path = tmp_path / "models" / "labels.model"
    trained.save(path)
    loaded = label_model.load(path)
    assert loaded.info == trained.info
    text = "rdfa markup and metadata triples"
    assert loaded.predict(text) == pytest.approx(trained.predict(text))
    assert label_model.read_info(path) == trained.info
    assert [p.name for p in path.parent.iterdir()] == ["labels.model"]  # no temp file left


def _rewrite_header(path, **changes) -> None:
    data = path.read_bytes()
    magic_end = len(label_model.MAGIC)
    end = data.index(b"\n", magic_end)
    header = {**json.loads(data[magic_end:end]), **changes}
    path.write_bytes(data[:magic_end] + json.dumps(header).encode() + data[end:])


@pytest.mark.parametrize(
    "changes",
    [{"sklearn_version": "0.0.1"}, {"format_version": 99}, {"sha256": "0" * 64}],
)
def test_a_file_whose_metadata_does_not_match_is_refused(trained, tmp_path, changes):
    path = tmp_path / "labels.model"
    trained.save(path)
    _rewrite_header(path, **changes)
    with pytest.raises(ModelFileError):
        label_model.load(path)


def test_a_file_we_did_not_write_is_refused(tmp_path):
    path = tmp_path / "labels.model"
    path.write_bytes(b"\x80\x05 some pickle from elsewhere")
    with pytest.raises(ModelFileError):
        label_model.load(path)


def test_a_truncated_file_is_refused(trained, tmp_path):
    path = tmp_path / "labels.model"
    trained.save(path)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ModelFileError):
        label_model.load(path)


def test_the_model_signal_suggests_topics_the_text_never_names(trained):
    vocab = [LabelTerms(name) for name in TOPICS]
    doc = Document(title="Notes from the summit", body="speakers venue schedule registration")
    got = suggest(doc, vocab, model=trained)
    assert got[0].label == "Events"
    assert "similar labelled posts" in got[0].reason
    assert not got[0].new


def test_neighbours_reach_labels_too_rare_for_the_classifier():
    posts = [*synthetic_posts(), ("the pottery wheel kiln glaze clay", ["Pottery"])]
    learned = label_model.train(posts)
    assert "Pottery" not in learned.labels  # one example: the classifier cannot learn it
    scores = learned.predict("clay glaze for the pottery kiln and wheel")
    assert max(scores, key=scores.get) == "Pottery"


def test_the_title_counts_twice_in_the_model_text():
    assert label_model.model_text("Kilns", "Body.") == "Kilns\n\nKilns\n\nBody."
    assert label_model.model_text("", "Body.") == "Body."


def test_the_parts_are_the_classifier_and_the_neighbours_and_predict_is_their_mean(trained):
    text = "metadata rdfa triples in the markup of our python package"
    parts = trained.predict_parts(text)
    means = trained.predict(text)
    assert set(parts) == set(means)
    for label, (probability, votes) in parts.items():
        assert 0.0 <= probability <= 1.0 and 0.0 <= votes <= 1.0
        assert means[label] == pytest.approx((probability + votes) / 2)
    # Each neighbour's share of similarity goes to every label it carries: one at least.
    assert sum(votes for _p, votes in parts.values()) >= 1.0 - 1e-6
    assert max(parts, key=lambda label: parts[label][1]) in {"Metadata", "Python"}
