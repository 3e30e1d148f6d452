"""The comment form, with the bot traps that must never cost a human their text."""

import time

from django import forms
from django.conf import settings
from django.core import signing

from dateline.core.text import clean_name

_SIGNER_SALT = "dateline.comments.started"
_MAX_FORM_AGE = 2 * 24 * 3600


def start_token(now: float | None = None) -> str:
    """A signed 'form shown at' time, so a submit faster than a human can type is refused."""
    return signing.dumps(now if now is not None else time.time(), salt=_SIGNER_SALT)


_RECENT_SECONDS = 0.2
_recent: tuple[float, str] = (0.0, "")


def recent_start_token() -> str:
    """start_token() as of at most 0.2 s ago: a cached page's form gets a current start time
    without signing one per request."""
    global _recent
    now = time.time()
    if not 0 <= now - _recent[0] < _RECENT_SECONDS:
        _recent = (now, start_token(now))
    return _recent[1]


class CommentForm(forms.Form):
    author_name = forms.CharField(label="Name", max_length=100)
    author_email = forms.EmailField(
        label="E-mail (optional, never shown)", required=False, max_length=254
    )
    author_url = forms.URLField(
        label="Web site (optional)", required=False, max_length=500, assume_scheme="https"
    )
    body = forms.CharField(label="Comment")
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(required=False, label="Leave this field empty")
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The limit is a setting, so the field is built per form rather than at import time.
        self.fields["body"] = forms.CharField(
            label="Comment",
            max_length=settings.DATELINE_COMMENT_MAX_CHARS,
            widget=forms.Textarea(attrs={"rows": 6}),
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial.setdefault("started", start_token())
        # What a reader is told beside an empty field (and, together, above the form).
        self.fields["author_name"].error_messages["required"] = "Name is required."
        self.fields["body"].error_messages["required"] = "Comment is required."

    def clean_author_name(self) -> str:
        """The name as it will be stored; a name of only invisible characters is no name."""
        name = clean_name(self.cleaned_data["author_name"])
        if not name:
            raise forms.ValidationError("Please give a name to sign your comment with.")
        return name

    def clean_author_url(self) -> str:
        url = self.cleaned_data["author_url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https addresses can be linked.")
        return url

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                "This comment looks automated (a hidden field was filled in), so it was not saved."
            )
        # Timing is checked on filled forms only: a reader who left a field empty is told
        # that, not that they were "too fast" (an empty form is sent quickly).
        if not any(self.has_error(name) for name in self.fields if name != "started"):
            self._check_timing(cleaned.get("started", ""))
        return cleaned

    def _check_timing(self, token: str) -> None:
        try:
            started = signing.loads(token, salt=_SIGNER_SALT, max_age=_MAX_FORM_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                "This form has expired. Your text is still here: please send it again."
            ) from None
        if time.time() - float(started) < settings.DATELINE_COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                "That was sent faster than a person can type, so it was not saved. "
                "Your text is still here: please wait a moment and send it again."
            )

    def refresh_token(self) -> None:
        """After a refusal, give the re-shown form a fresh start time; keep the typed text."""
        self.data = self.data.copy()
        self.data["started"] = start_token()
