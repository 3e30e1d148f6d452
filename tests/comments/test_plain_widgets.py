"""The comment form's widgets, written without Django's widget templates, are the same bytes."""

import pytest
from django.forms.renderers import get_default_renderer

from dateline.comments.forms import CommentForm
from dateline.posts.formrender import PLAIN_WIDGETS

HOSTILE = "\"><script>alert(1)</script>&amp; 'quoted' ü"


def _fields(form: CommentForm) -> list[str]:
    return [str(field) for field in form]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"author_name": HOSTILE, "author_email": "not an address", "author_url": "javascript:x",
         "body": HOSTILE + "\n\nsecond line", "parent": "7", "website": HOSTILE,
         "started": HOSTILE},
        {"author_name": "Ann", "body": "Hi", "started": "x", "parent": ""},
    ],
)  # fmt: skip
def test_plain_widgets_match_django_templates(data, settings):
    form = CommentForm(data, initial={"parent": 12}) if data is not None else CommentForm()
    if data is not None:
        form.is_valid()  # errors add aria-invalid
    form.renderer = get_default_renderer()
    expected = _fields(form)
    form.renderer = PLAIN_WIDGETS
    assert _fields(form) == expected
    assert "<script>" not in "".join(_fields(form))


def test_other_widgets_fall_back_to_the_templates():
    from django import forms

    class Choosing(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A <b>")])
        tick = forms.BooleanField()

    form = Choosing()
    expected = _fields(form)
    form.renderer = PLAIN_WIDGETS
    assert _fields(form) == expected
