"""The gazetteer maps the words news stories use for places onto one label each."""

import pytest

from dateline.labelling.gazetteer import default_gazetteer


@pytest.fixture(scope="module")
def forms() -> dict[str, tuple[str, int]]:
    return default_gazetteer().surface_forms()


@pytest.mark.parametrize(
    ("form", "place"),
    [
        ("Iran", "Iran"),
        ("Iranian", "Iran"),
        ("Iranians", "Iran"),
        ("Tehran", "Iran"),
        ("Iraqi", "Iraq"),
        ("Iraqis", "Iraq"),
        ("Baghdad", "Iraq"),
        ("US", "United States"),
        ("USA", "United States"),
        ("United States of America", "United States"),
        ("American", "United States"),
        ("Americans", "United States"),
        ("Washington", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("British", "United Kingdom"),
        ("Côte d'Ivoire", "Ivory Coast"),
        ("Burma", "Myanmar"),
        ("NATO", "NATO"),
        ("UN", "United Nations"),
    ],
)
def test_surface_forms_name_their_place(forms, form, place):
    assert forms[form][0] == place


def test_a_shared_demonym_goes_to_the_most_populous_country(forms):
    # "American" is also the demonym of the Northern Mariana Islands; "Dominican" of Dominica.
    assert forms["American"][0] == "United States"
    assert forms["Dominican"][0] == "Dominican Republic"
    assert forms["Congolese"][0] == "Democratic Republic of the Congo"


@pytest.mark.parametrize("code", ["IT", "CAN", "IN", "RSA", "AND", "IS"])
def test_iso_codes_that_are_english_words_or_jargon_are_not_forms(forms, code):
    assert code not in forms


@pytest.mark.parametrize("word", ["Island", "Victoria", "Douglas", "Male", "Sofia"])
def test_everyday_words_and_names_in_the_data_are_not_forms(forms, word):
    assert word not in forms


def test_the_gazetteer_is_built_once_per_process():
    assert default_gazetteer() is default_gazetteer()


def test_superseded_duplicates_are_left_out():
    names = default_gazetteer().names()
    assert "Myanmar" in names
    assert "Burma" not in names
    assert "North Macedonia" in names


@pytest.mark.parametrize(
    ("city", "country"),
    [("Rotterdam", "Netherlands"), ("Hamburg", "Germany"), ("Osaka", "Japan"),
     ("London", "United Kingdom"), ("Chicago", "United States")],
)  # fmt: skip
def test_big_cities_name_their_country(forms, city, country):
    assert forms[city][0] == country


def test_a_city_name_two_big_cities_share_or_an_everyday_name_names_no_country(forms):
    assert "Valencia" not in forms  # Spain's and Venezuela's are of a size: no guess
    assert "Austin" not in forms and "Reading" not in forms


def test_a_story_about_rotterdam_suggests_the_blogs_netherlands_label():
    from dateline.labelling.suggest import Document, LabelTerms, suggest

    story = Document.from_text(
        "Night trams return to Rotterdam",
        "Rotterdam's transport company will run trams all night from Friday.\n\n"
        "The city council in Rotterdam paid for the first year.",
    )
    found = suggest(story, [LabelTerms("Netherlands")], gazetteer=default_gazetteer())
    assert [(s.label, s.new) for s in found] == [("Netherlands", False)]
