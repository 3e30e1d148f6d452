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
