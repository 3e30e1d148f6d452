"""What to clip: the form at /clip/ (the draft is then edited at the desk)."""

from __future__ import annotations

from django import forms
from django.conf import settings

from dateline.clipping.errors import html_too_large

TEXT_CHOICES = [
    ("full", "The full text"),
    ("excerpt", "An excerpt, with a link to the story"),
]


class ClipForm(forms.Form):
    """A URL, optionally with the page's HTML (pasted, or sent by the bookmarklet)."""

    url = forms.URLField(
        label="Address of the story",
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autofocus": True}),
    )
    html = forms.CharField(
        label="The page's HTML (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Paste it for paywalled or logged-in pages; we then fetch nothing.",
    )
    selection = forms.CharField(
        label="Selected text (optional, becomes the excerpt)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    title = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    text = forms.ChoiceField(
        label="Post", choices=TEXT_CHOICES, initial="full", widget=forms.RadioSelect
    )

    def clean_html(self) -> str:
        """Pasted HTML over the clip limit is refused here, before a job is queued."""
        html = self.cleaned_data["html"]
        size = len(html.encode("utf-8", "surrogatepass"))
        if size > settings.DATELINE_CLIP_MAX_HTML_BYTES:
            raise forms.ValidationError(
                html_too_large(size, settings.DATELINE_CLIP_MAX_HTML_BYTES).message
            )
        return html
