"""The comment form's fields as markup, made once for every reader of a blank form.

Building a CommentForm and rendering its seven fields is a real share of an uncached post
page, and a blank form's fields differ only by the reply target and the start time, which
`recent_start_token` shares for a moment (`_RECENT_SECONDS`). So a process renders a blank form's
fields once per (reply target, start time, comment limit); a refused form, holding the
reader's text and errors, is rendered every time.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from dateline.comments.forms import CommentForm, recent_start_token
from dateline.posts.formrender import PLAIN_WIDGETS

_MEMO_LIMIT = 256  # ?reply= is the reader's to choose: the memo must stay small
_memo: dict[tuple, SafeString] = {}


def fields_html(form: CommentForm) -> SafeString:
    """A form's inputs with their labels and errors (comments/_fields.html)."""
    form.renderer = PLAIN_WIDGETS
    html = render_to_string("comments/_fields.html", {"form": form})
    return mark_safe(html)  # noqa: S308 - an autoescaping template's output


def blank_fields_html(reply_to: int | None, started: str | None = None) -> SafeString:
    """`started`: the page cache's mark for the start time (core.readerfields), made for
    one render, so rendered without the memo."""
    if started is not None:
        return fields_html(CommentForm(initial={"parent": reply_to, "started": started}))
    started = recent_start_token()
    key = (reply_to, started, settings.DATELINE_COMMENT_MAX_CHARS)
    found = _memo.get(key)
    if found is None:
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        form = CommentForm(initial={"parent": reply_to, "started": started})
        found = _memo[key] = fields_html(form)
    return found


# How the error summary names a field (its label is longer: "Web site (optional)").
_FIELD_NAMES = {"author_name": "name", "author_email": "e-mail", "author_url": "web site",
                "body": "comment"}  # fmt: skip


def problems(form: CommentForm) -> list[tuple[str, str]]:
    """The summary above a refused form, as (text, link to the field or ""): the empty
    fields in one sentence ("Name and comment are required."), each other field's
    problem, then the form's own (expired, automated, too many comments)."""
    found = form.errors.as_data()
    missing = [name for name in _FIELD_NAMES
               if any(error.code == "required" for error in found.get(name, ()))]  # fmt: skip
    lines = []
    if missing:
        words = " and ".join(_FIELD_NAMES[name] for name in missing)
        verb = "are" if len(missing) > 1 else "is"
        lines.append((f"{words[0].upper()}{words[1:]} {verb} required.", _anchor(form, missing[0])))
    for name in _FIELD_NAMES:
        if name in found and name not in missing:
            label = _FIELD_NAMES[name].capitalize()
            lines += [(f"{label}: {text}", _anchor(form, name)) for text in form.errors[name]]
    return lines + [(str(text), "") for text in form.non_field_errors()]


def _anchor(form: CommentForm, name: str) -> str:
    return f"#{form[name].id_for_label}"


def form_context(
    form: CommentForm | None, reply_to: int | None, started: str | None = None
) -> dict:
    """What comments/_form.html shows: a blank form replying to `reply_to` (`started`: see
    blank_fields_html), or `form` refused (its reply target, problems and the reader's text)."""
    if form is None:
        return {"reply_to": reply_to, "form_problems": (),
                "form_fields": blank_fields_html(reply_to, started)}  # fmt: skip
    return {"reply_to": form["parent"].value(), "form_problems": problems(form),
            "form_fields": fields_html(form)}  # fmt: skip
