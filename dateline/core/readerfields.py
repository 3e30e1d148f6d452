"""Where a page holds per-reader values (the comment form's CSRF token and start time).

A page the page cache may store is rendered with a fresh random mark in place of each
reader value. The cache splits the page at those marks when it stores it, and fills in
each reader's values between the parts, so a value goes only where the form put its
field. The marks are made for that one render, so no comment or imported post can hold
one; text that looks like a token field or an old placeholder stays text, and never
carries a reader's token anywhere else on the page.
"""

import re
import secrets
from dataclasses import dataclass

from django.http import HttpRequest

from dateline.core.readertoken import request_token

CSRF = b"csrf"
STARTED = b"started"

# The inputs those values go in, by name: Django's CSRF input and the comment form's
# start time (comments.forms.CommentForm.started). The one list of them: the page cache
# fills them per reader, the mirror blanks them (siteexport.render) and its script reads
# them from the live page (comment-form.js gets the names from its script tag).
FIELD_NAMES = {CSRF: "csrfmiddlewaretoken", STARTED: "started"}


@dataclass(frozen=True)
class Marks:
    csrf: str
    started: str


def mark(request: HttpRequest) -> None:
    """Render this request's reader fields as fresh marks (hex: no escaping changes them)."""
    request.dateline_reader_marks = Marks(secrets.token_hex(16), secrets.token_hex(16))


def _marks(request: HttpRequest) -> Marks | None:
    return getattr(request, "dateline_reader_marks", None)


def csrf_value(request: HttpRequest) -> str:
    """The form's CSRF token: the reader's own, or this render's mark for it."""
    marks = _marks(request)
    return marks.csrf if marks is not None else request_token(request)


def started_mark(request: HttpRequest) -> str | None:
    """This render's mark for the form's start time; None: the form shows the time itself."""
    marks = _marks(request)
    return marks.started if marks is not None else None


def split_at_marks(request: HttpRequest, body: bytes) -> tuple[list[bytes], list[bytes]]:
    """The body's parts around this render's marks, and which field (CSRF or STARTED)
    goes between each pair; one part and no fields when it has none."""
    marks = _marks(request)
    if marks is None:
        return [body], []
    kinds = {marks.csrf.encode(): CSRF, marks.started.encode(): STARTED}
    pieces = re.split(b"(" + b"|".join(map(re.escape, kinds)) + b")", body)
    return pieces[0::2], [kinds[found] for found in pieces[1::2]]
