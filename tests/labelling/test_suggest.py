"""Suggestions rank the labels a post is about, say why, and mark the ones that are new."""

import pytest

from dateline.labelling.gazetteer import default_gazetteer
from dateline.labelling.suggest import (
    CHANCE_THRESHOLD,
    LIMIT,
    THRESHOLD,
    Document,
    LabelTerms,
    Suggester,
    Suggestion,
    suggest,
    threshold_for,
)

# A story shaped like the seed post: the countries are named by demonyms, capitals and
# short forms at least as often as by name, and other places turn up in passing.
BORDER_STORY = Document.from_text(
    "US and Iran trade accusations at Baghdad security talks",
    """Washington accused Tehran on Monday of arming militias inside Iraq, as envoys of the
two governments met in Baghdad for a third round of talks since the spring.

The American envoy told reporters that Iranian weapons were still reaching fighters in the
south of Iraq. "We have not seen the results we were promised," he said.

An Iranian spokesman answered that the US presence was the cause of the violence and that
Iraqis wanted the foreign forces gone. Tehran says its advisers are in Iraq at the
invitation of the Iraqi government.

Officials from Iraq said the sides had agreed a joint committee on border security. The
talks were held in the fortified Green Zone, where al-Maliki hosted both delegations.

The United States cut ties with Iran in 1980 after the seizure of the US embassy in
Tehran. Americans and Iranians remain at odds over Iran's nuclear programme, which
Washington says is aimed at a bomb. Diplomats in Qatar and Jordan followed the talks.""",
)


@pytest.fixture(scope="module")
def gazetteer():
    return default_gazetteer()


def labels(suggestions: list[Suggestion]) -> list[str]:
    return [s.label for s in suggestions]


def test_a_seed_shaped_story_with_no_history_gets_exactly_its_three_countries(gazetteer):
    got = suggest(BORDER_STORY, (), gazetteer=gazetteer)
    assert sorted(labels(got)) == ["Iran", "Iraq", "United States"]
    assert all(s.new for s in got)


def test_countries_named_in_passing_rank_below_threshold(gazetteer):
    everything = Suggester(gazetteer=gazetteer, threshold=0.0).suggest(BORDER_STORY)
    assert labels(everything)[:3] == labels(suggest(BORDER_STORY, gazetteer=gazetteer))
    assert "Qatar" in labels(everything)[3:]
    assert "Mali" not in labels(everything)  # "al-Maliki" is one word, not "Mali"


def test_reason_counts_mentions_and_lists_the_forms_found(gazetteer):
    doc = Document("Iran talks", "Iran and Tehran; an Iranian said so.", "Iran again.")
    (iran,) = suggest(doc, gazetteer=gazetteer)
    assert iran.reason == "Iran — 5 mentions: Iran, Tehran, Iranian"


def test_lowercase_us_is_a_pronoun_not_the_united_states(gazetteer):
    doc = Document("Let us talk", "Tell us what you think; join us.", "It is up to us.")
    assert suggest(doc, gazetteer=gazetteer) == []


def test_dotted_us_counts_as_the_united_states(gazetteer):
    doc = Document("U.S. sanctions", "The U.S. Treasury named the U.S.A. and the US.")
    assert labels(suggest(doc, gazetteer=gazetteer)) == ["United States"]


def test_aliases_of_a_blog_label_are_matched_and_shown_in_the_reason():
    vocab = [LabelTerms("Climate", aliases=("global warming", "emissions"))]
    doc = Document("Global warming", "Emissions rose again.", "Global Warming is real.")
    (climate,) = suggest(doc, vocab)
    assert climate.label == "Climate"
    assert not climate.new
    assert climate.reason.startswith("Climate — 3 mentions: ")
    assert "global warming" in climate.reason and "emissions" in climate.reason


@pytest.mark.parametrize(
    ("label", "text"),
    [("Québec", "Quebec votes today"), ("Quebec", "Québec votes today"), ("Zürich", "ZURICH")],
)
def test_matching_ignores_accents_and_case(label, text):
    got = suggest(Document(title=text), [LabelTerms(label)])
    assert labels(got) == [label]


def test_short_all_caps_labels_match_case_sensitively():
    vocab = [LabelTerms("AI")]
    assert suggest(Document(title="AI rules"), vocab)
    assert suggest(Document(title="Ai weiwei and ai"), vocab) == []


def test_plural_and_singular_forms_of_a_label_match():
    vocab = [LabelTerms("License"), LabelTerms("Events")]
    got = suggest(Document(title="New licenses for the event"), vocab)
    assert sorted(labels(got)) == ["Events", "License"]


def test_words_inside_other_words_do_not_match():
    assert suggest(Document(title="Preprocessing the iranian-style rug"), [LabelTerms("pre")]) == []


def test_a_gazetteer_place_the_blog_already_labels_is_existing_and_spelt_the_blogs_way(
    gazetteer,
):
    vocab = [LabelTerms("USA"), LabelTerms("Iran")]
    got = suggest(BORDER_STORY, vocab, gazetteer=gazetteer)
    by_label = {s.label: s for s in got}
    assert not by_label["USA"].new
    assert not by_label["Iran"].new
    assert by_label["Iraq"].new
    assert "United States" not in by_label


def test_existing_labels_go_first_among_near_equals(gazetteer):
    doc = Document(title="France and Spain", lead="France and Spain signed a treaty.")
    got = suggest(doc, [LabelTerms("Spain")], gazetteer=gazetteer)
    assert labels(got) == ["Spain", "France"]
    assert [s.new for s in got] == [False, True]


def test_stop_phrases_do_not_name_a_country(gazetteer):
    doc = Document(title="New Mexico and New Jersey", lead="Latin American voters in New Mexico")
    assert suggest(doc, gazetteer=gazetteer) == []


def test_title_mentions_weigh_more_than_body_mentions():
    vocab = [LabelTerms("Privacy"), LabelTerms("Security")]
    doc = Document(title="Privacy", body="Security matters.")
    got = Suggester(vocab, threshold=0.0).suggest(doc)
    assert labels(got) == ["Privacy", "Security"]
    assert got[0].score > got[1].score


def test_at_most_eight_suggestions_above_the_threshold_best_first():
    vocab = [LabelTerms(f"topic{i}") for i in range(12)]
    body = " ".join(f"topic{i} " * (i + 1) for i in range(12))
    got = Suggester(vocab, threshold=0.0).suggest(Document(body=body))
    assert len(got) == LIMIT
    assert [s.score for s in got] == sorted((s.score for s in got), reverse=True)
    assert got[0].label == "topic11"
    strict = Suggester(vocab, threshold=0.8).suggest(Document(body=body))
    assert strict and all(s.score >= 0.8 for s in strict)
    assert len(strict) < LIMIT


def test_nothing_to_say_gives_no_suggestions(gazetteer):
    assert suggest(Document(), [LabelTerms("Iran")], gazetteer=gazetteer) == []


def test_suggestions_serialise_to_the_cli_json_shape(gazetteer):
    (first, *_rest) = suggest(BORDER_STORY, gazetteer=gazetteer)
    data = first.as_dict()
    assert set(data) == {"label", "score", "reason", "new"}
    assert 0 < data["score"] <= 1


def test_document_from_text_splits_off_the_lead():
    doc = Document.from_text("T", "\n\nFirst para.\n\nSecond.\n\nThird.")
    assert doc == Document("T", "First para.", "Second.\n\nThird.")
    assert doc.text == "T\n\nFirst para.\n\nSecond.\n\nThird."


class FixedModel:
    def __init__(self, probabilities: dict[str, float]) -> None:
        self.probabilities = probabilities

    def predict(self, text: str) -> dict[str, float]:
        return self.probabilities


def test_a_model_signal_adds_labels_never_mentioned_and_says_so():
    vocab = [LabelTerms("Licensing"), LabelTerms("Metadata")]
    model = FixedModel({"Licensing": 0.8, "Metadata": 0.01})
    got = suggest(Document(title="Nothing named here"), vocab, model=model)
    assert labels(got) == ["Licensing"]
    assert got[0].reason == "Licensing — similar labelled posts (0.80)"
    assert not got[0].new


def test_model_and_mentions_reinforce_each_other():
    vocab = [LabelTerms("Metadata"), LabelTerms("Python")]
    doc = Document(title="Metadata", body="python python")
    alone = {s.label: s.score for s in suggest(doc, vocab)}
    both = {s.label: s.score for s in suggest(doc, vocab, model=FixedModel({"Python": 0.6}))}
    assert both["Python"] > alone["Python"]
    assert alone["Metadata"] > alone["Python"] and both["Python"] > both["Metadata"]
    # With a model, mentions weigh as much as each of its two halves: half of their score.
    assert both["Metadata"] == pytest.approx(alone["Metadata"] / 2, abs=0.001)


class PartsModel(FixedModel):
    """A predictor that gives its two halves apart, as the blog's own model does."""

    def __init__(self, parts: dict[str, tuple[float, float]]) -> None:
        super().__init__({label: (p + n) / 2 for label, (p, n) in parts.items()})
        self.parts = parts

    def predict_parts(self, text: str) -> dict[str, tuple[float, float]]:
        return self.parts


def test_with_the_blogs_model_a_score_is_a_chance_rising_with_each_signal():
    vocab = [LabelTerms("Metadata"), LabelTerms("Python"), LabelTerms("Events")]
    doc = Document(title="Metadata for the Python package", body="metadata and more metadata")
    model = PartsModel({"Metadata": (0.9, 0.8), "Python": (0.1, 0.0), "Events": (0.0, 0.6)})
    suggester = Suggester(vocab, model=model, threshold=0.0, proposals=0)
    assert suggester.calibrated and not Suggester(vocab, model=FixedModel({})).calibrated
    scores = {s.label: s.score for s in suggester.suggest(doc)}
    assert all(0.0 < score < 1.0 for score in scores.values())
    assert scores["Metadata"] > 0.9  # named in the title and the body, and the model agrees
    assert scores["Metadata"] > scores["Python"] > 0.0  # Python is named once, model unsure
    # With nothing named, the model's parts alone: the neighbours' vote counts too.
    unnamed = Suggester(vocab, model=model, threshold=0.0, proposals=0)
    alone = {s.label: s.score for s in unnamed.suggest(Document(title="Nothing here"))}
    assert alone["Events"] > alone["Python"]


def test_with_the_blogs_model_a_likely_new_label_is_shown_where_its_chance_puts_it():
    vocab = [LabelTerms(f"Topic{i}") for i in range(6)]
    model = PartsModel({f"Topic{i}": (0.02, 0.0) for i in range(6)})
    doc = Document(
        title="Caching the wiki with Varnish",
        lead="We put Varnish in front of the wiki on Monday.",
        body="Varnish answers in milliseconds. Varnish keeps our server calm.",
    )
    suggester = Suggester(vocab, model=model, threshold=0.0)
    shown = suggester.shown_order(suggester.suggest(doc))
    assert shown[0].label == "Varnish" and shown[0].new
    assert [s.score for s in shown] == sorted((s.score for s in shown), reverse=True)
    # Without the parts the fixed places stay: the blog's four best labels first.
    fixed = Suggester(vocab, model=FixedModel({f"Topic{i}": 0.1 for i in range(6)}), threshold=0)
    assert [s.new for s in fixed.shown_order(fixed.suggest(doc))][:5] == [False] * 4 + [True]


def test_features_list_every_candidate_the_combination_weighs():
    vocab = [LabelTerms("Metadata"), LabelTerms("Python")]
    model = PartsModel({"Metadata": (0.9, 0.8), "Python": (0.1, 0.0)})
    doc = Document(title="Metadata with Varnish", lead="We put Varnish before the metadata.")
    rows = Suggester(vocab, model=model, threshold=0.0).features(doc)
    by_label = {label: (new, features) for label, new, features in rows}
    assert by_label["Metadata"][0] is False and by_label["Metadata"][1][:2] == (0.9, 0.8)
    assert by_label["Varnish"][0] is True
    with pytest.raises(ValueError):
        Suggester(vocab).features(doc)


def test_the_threshold_follows_the_kind_of_score():
    parts = PartsModel({"Metadata": (0.1, 0.0)})
    assert threshold_for(parts) == CHANCE_THRESHOLD and threshold_for(None) == THRESHOLD
    assert threshold_for(FixedModel({})) == THRESHOLD
    assert Suggester(model=parts).threshold == CHANCE_THRESHOLD
    assert Suggester(model=parts, threshold=0.5).threshold == 0.5
