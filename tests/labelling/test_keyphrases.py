"""New-label proposals come from a text's salient names and keyphrases, weighed against the
blog's own posts; the order an author sees keeps the blog's labels first."""

from dateline.labelling.keyphrases import Extractor, phrase_key, propose
from dateline.labelling.suggest import (
    Document,
    LabelTerms,
    Suggester,
    Suggestion,
    definitions,
    shown_order,
)

EXTRACTOR = Extractor()
VARNISH = {
    "title": "Caching the wiki with Varnish",
    "lead": "We put Varnish in front of the wiki on Monday.",
    "body": "Varnish answers in milliseconds. Our server rests.",
}


def forms(text: str, *, title: bool = False) -> list[str]:
    return [c.form for c in EXTRACTOR.candidates(text, title=title) if c.named]


def never_known(_form: str) -> bool:
    return False


def test_names_are_capitalised_words_inside_a_sentence_and_technical_tokens():
    text = (
        "Then the Free Software Foundation said so. We use schema.org, CSS3 and the "
        "LRMI terms on Monday."
    )
    assert forms(text) == ["Free Software Foundation", "schema.org", "CSS3", "LRMI"]


def test_in_a_title_capitals_prove_nothing():
    assert forms("Caching Mediawiki With Varnish", title=True) == []


def test_one_capital_opening_a_sentence_is_no_name_but_two_are():
    assert forms("Caching is hard.") == []
    assert forms("Open Data matters.") == ["Open Data"]


def test_phrase_keys_ignore_case_accents_and_a_plural():
    assert phrase_key("Translations") == phrase_key("translation") == "translation"
    assert phrase_key("Libraries") == "library" and phrase_key("Business") == "business"
    assert phrase_key("Québec") == "quebec"


def test_a_salient_name_is_proposed_and_a_name_in_passing_is_not():
    got = propose(VARNISH, EXTRACTOR, known=never_known)
    assert [p.label for p in got] == ["Varnish"]
    assert got[0].mentions == 3 and got[0].score == 1.0


def test_known_labels_are_not_proposed():
    assert propose(VARNISH, EXTRACTOR, known=lambda form: form.casefold() == "varnish") == []


def test_without_a_corpus_only_names_are_proposed_and_with_one_rare_words_too():
    sections = {"title": "Provenance of images", "body": "Provenance matters. We record it."}
    assert propose(sections, EXTRACTOR, known=never_known) == []
    common = {"provenance": 0, "image": 40}
    got = propose(sections, EXTRACTOR, known=never_known, document_frequency=common.get, n_posts=50)
    assert [p.label for p in got] == ["provenance", "images"]
    assert got[1].score < 0.3  # a word most of the blog's posts use weighs little


def test_a_text_defines_acronyms_by_their_initials():
    text = "The Free Software Foundation (FSF) and Open Data (2011) and the World Bank (WB)."
    assert definitions(text) == [("Free Software Foundation", "FSF"), ("World Bank", "WB")]


def test_the_suggester_proposes_new_labels_after_its_own_and_marks_them_new():
    suggester = Suggester([LabelTerms("Wiki", aliases=("wikis",))])
    doc = Document(title=VARNISH["title"], lead=VARNISH["lead"], body=VARNISH["body"])
    got = suggester.suggest(doc)
    assert [(s.label, s.new) for s in got] == [("Wiki", False), ("Varnish", True)]
    assert got[1].reason.startswith("Varnish — new label, salient here: 3 mentions")
    assert Suggester([LabelTerms("Wiki")], proposals=0).suggest(doc)[-1].label == "Wiki"


def test_an_author_sees_four_of_the_blogs_labels_then_new_ones_then_the_rest():
    def made(name: str, new: bool) -> Suggestion:
        return Suggestion(name, 0.5, name, new)

    own = [made(f"own{i}", False) for i in range(6)]
    new = [made(f"new{i}", True) for i in range(4)]
    order = [s.label for s in shown_order([*own, *new])]
    assert order == ["own0", "own1", "own2", "own3", "new0", "new1", "new2", "own4", "own5",
                     "new3"]  # fmt: skip
    assert shown_order(new) == new  # a blog with no labels of its own
