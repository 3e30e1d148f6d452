"""A blank comment form's fields are made once per reply target and start time, and never
go stale when the comment limit changes; the memo stays bounded whatever readers ask."""

import re

import pytest

from dateline.comments import formfields
from dateline.comments.forms import CommentForm


def started(html: str) -> str:
    return re.search(r'name="started" value="([^"]*)"', html).group(1)


def test_blank_fields_are_shared_and_carry_the_reply_target():
    for _ in range(3):  # the shared start time moves every 0.2 s: retry across a change
        first, again = formfields.blank_fields_html(None), formfields.blank_fields_html(None)
        replying = formfields.blank_fields_html(42)
        if started(first) == started(replying):
            break
    assert first is again
    assert 'name="parent" id="id_parent"' in first and 'name="parent" value="42"' in replying
    assert started(first) and started(first) == started(replying)


def test_blank_fields_follow_the_comment_limit(settings):
    settings.DATELINE_COMMENT_MAX_CHARS = 123
    assert 'maxlength="123"' in formfields.blank_fields_html(None)
    settings.DATELINE_COMMENT_MAX_CHARS = 4567
    assert 'maxlength="4567"' in formfields.blank_fields_html(None)


def test_the_memo_stays_bounded():
    for reply_to in range(1000):
        formfields.blank_fields_html(reply_to)
    assert len(formfields._memo) <= formfields._MEMO_LIMIT


def test_a_refused_form_keeps_the_readers_text_and_errors():
    form = CommentForm({"author_name": "", "body": "My <b>words</b>", "started": "bad"})
    assert not form.is_valid()
    context = formfields.form_context(form, None)
    assert "My &lt;b&gt;words&lt;/b&gt;</textarea>" in context["form_fields"]
    assert 'class="field-error"' in context["form_fields"]
    # The empty name is the problem; the start time is only checked on a filled form.
    assert context["form_problems"] == [("Name is required.", "#id_author_name")]
    filled = CommentForm({"author_name": "A", "body": "x", "started": "bad"})
    assert not filled.is_valid()
    assert "expired" in str(formfields.form_context(filled, None)["form_problems"])


@pytest.mark.parametrize("reply", ["7", ""])
def test_refused_form_reply_target_is_the_posted_one(reply):
    form = CommentForm({"author_name": "A", "body": "x", "parent": reply, "started": "bad"})
    form.is_valid()
    assert formfields.form_context(form, None)["reply_to"] == reply
