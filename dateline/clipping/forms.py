"""The two forms of clipping: what to clip, and the draft the author confirms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from dateline.clipping.errors import html_too_large

TEXT_CHOICES = [
    ("full", "The full text"),
    ("excerpt", "An excerpt, with a link to the story"),
]


class ClipForm(forms.Form):
    """A URL, optionally with the page's HTML (pasted, or sent by the bookmarklet)."""

    url = forms.URLField(label="Address of the story", max_length=2000, assume_scheme="https")
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


class DraftForm(forms.Form):
    """The editable draft: every field the post page shows, plus labels to confirm."""

    title = forms.CharField(max_length=300)
    original_author = forms.CharField(label="Original author", max_length=200, required=False)
    original_date = forms.DateTimeField(
        label="Original date", required=False, help_text="For example 2024-06-14 07:45."
    )
    lead_image_caption = forms.CharField(label="Caption", max_length=500, required=False)
    text = forms.ChoiceField(label="Post", choices=TEXT_CHOICES, widget=forms.RadioSelect)
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    body = forms.CharField(
        label="Full text (HTML)", required=False, widget=forms.Textarea(attrs={"rows": 18})
    )
    labels = forms.MultipleChoiceField(
        label="Suggested labels", required=False, widget=forms.CheckboxSelectMultiple
    )
    new_labels = forms.CharField(
        label="Other labels", required=False, help_text="Separated by commas."
    )

    def __init__(self, *args: Any, label_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["labels"].choices = label_choices

    def chosen_labels(self) -> tuple[str, ...]:
        """Ticked suggestions and typed labels, each once (ignoring case)."""
        typed = [name.strip() for name in self.cleaned_data["new_labels"].split(",")]
        names: dict[str, str] = {}
        for name in [*self.cleaned_data["labels"], *typed]:
            if name:
                names.setdefault(name[:100].casefold(), name[:100])
        return tuple(names.values())
