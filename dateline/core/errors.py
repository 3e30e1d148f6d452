"""Refusals whose reason is for the reader: a 400 page that says what was wrong."""

from django.core.exceptions import BadRequest


class ReaderError(BadRequest):
    """A request refused for a reason the reader can act on; the message is shown as is
    (Django shows no reason for other 400s: they may come from a hostile request)."""
