"""The editor's form and the one way it becomes a saved post.

Every write goes through the model (the form's full_clean, then Post.save), so the desk
validates titles, images and paths exactly as every other writer does. Times the author
types are read in the blog's zone (settings.TIME_ZONE), the zone the page names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone

from dateline.desk import revisions
from dateline.posts.models import Post
from dateline.posts.services import labels_named
from dateline.posts.tomarkdown import html_to_markdown

ACTIONS = ("draft", "publish", "schedule")
MAX_LABEL = 100


class LabelNamesField(forms.MultipleChoiceField):
    """Label names from the chips' checkboxes: any name, new ones are created on save."""

    def valid_value(self, value: str) -> bool:
        return 0 < len(value.strip()) <= MAX_LABEL


class PostEditForm(forms.ModelForm):
    """Title, Markdown body, lead image, labels, schedule and the source's own fields."""

    labels = LabelNamesField(required=False, widget=forms.CheckboxSelectMultiple)
    new_labels = forms.CharField(label="Add a label", required=False, max_length=1000)
    remove_lead_image = forms.BooleanField(label="Remove the lead image", required=False)
    publish_date = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    publish_time = forms.TimeField(
        label="Time", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    original_author = forms.CharField(label="Original author", max_length=200, required=False)
    original_date = forms.DateField(
        label="Original date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Post
        fields = ["title", "body_source", "excerpt", "kind", "lead_image", "lead_image_caption"]
        labels = {
            "body_source": "Body (Markdown)",
            "lead_image": "Choose a lead image",
            "lead_image_caption": "Caption",
            "kind": "Kind",
        }
        widgets = {
            "title": forms.TextInput(attrs={"class": "title-input", "autocomplete": "off"}),
            "body_source": forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "lead_image": forms.FileInput(
                attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
            ),
        }

    def __init__(self, *args: Any, action: str = "draft", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action if action in ACTIONS else "draft"
        post = self.instance
        self.fields["title"].widget.attrs["maxlength"] = 300
        self.converted_from_html = post.body_format == Post.BodyFormat.HTML and not self.is_bound
        if self.converted_from_html:  # the editor edits Markdown only; saving stores it
            self.initial["body_source"] = html_to_markdown(post.body_source)
        names = [label.name for label in post.labels.all()] if post.pk else []
        chosen = self.data.getlist("labels") if self.is_bound else names
        self.fields["labels"].choices = [(name, name) for name in dict.fromkeys(chosen)]
        self.initial.setdefault("labels", names)
        if post.published_at and post.state == "scheduled":
            local = timezone.localtime(post.published_at)
            self.initial.setdefault("publish_date", local.date())
            self.initial.setdefault("publish_time", local.time().replace(second=0, microsecond=0))
        if post.source_id:
            self.initial.setdefault("original_author", post.source.original_author)
            if post.source.original_date:
                self.initial.setdefault(
                    "original_date", timezone.localtime(post.source.original_date).date()
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.action == "schedule":
            self.cleaned_data["publish_at"] = self._schedule_time(data)
        return data

    def _schedule_time(self, data: dict[str, Any]) -> datetime | None:
        day, time = data.get("publish_date"), data.get("publish_time")
        if day is None or time is None:
            self.add_error("publish_date", "Give the date and the time to publish at.")
            return None
        when = timezone.make_aware(datetime.combine(day, time))
        if when <= timezone.now():
            self.add_error(
                "publish_date", "That time has passed: pick a later one, or press Publish now."
            )
            return None
        return when

    def chosen_labels(self) -> list[str]:
        """Ticked chips and typed names (commas separate them), each once ignoring case."""
        typed = self.cleaned_data.get("new_labels", "").split(",")
        names: dict[str, str] = {}
        for name in [*self.cleaned_data.get("labels", []), *typed]:
            name = " ".join(name.split())[:MAX_LABEL]
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())


@transaction.atomic
def save_post(
    form: PostEditForm, user: Any, *, autosave: bool = False, published_at: datetime | None = None
) -> Post:
    """Apply the form's action (save draft, publish now, schedule) and save through the
    model; labels, the source's fields and a revision follow in the same transaction.

    `published_at` publishes at a client's own time (Micropub's `published`, past or
    future) in the same save, so the post's address is of that month from the start."""
    post: Post = form.instance
    revisions.keep_current(post)
    if form.cleaned_data.get("remove_lead_image") and "lead_image" not in form.files:
        post.lead_image = ""
    post.body_format = Post.BodyFormat.MARKDOWN
    if not post.author_id and getattr(user, "pk", None):
        post.author = user
    if not autosave:
        _apply_action(post, form, published_at)
    post = form.save(commit=False)
    post.save()
    post.labels.set(labels_named(form.chosen_labels()))
    _save_source(post, form)
    revisions.record(post, user, autosaved=autosave)
    return post


def _apply_action(post: Post, form: PostEditForm, published_at: datetime | None) -> None:
    if form.action == "draft":
        post.status = Post.Status.DRAFT
    elif published_at is not None:
        post.status = Post.Status.PUBLISHED
        post.published_at = published_at
    elif form.action == "schedule":
        post.status = Post.Status.PUBLISHED
        post.published_at = form.cleaned_data["publish_at"]
    elif post.state != "published":  # publish now: a draft or a scheduled post goes out
        post.status = Post.Status.PUBLISHED
        post.published_at = timezone.now()


def _save_source(post: Post, form: PostEditForm) -> None:
    source = post.source
    if source is None:
        return
    source.original_author = form.cleaned_data.get("original_author", "")[:200]
    day = form.cleaned_data.get("original_date")
    if day is None:
        source.original_date = None
    elif source.original_date is None or timezone.localtime(source.original_date).date() != day:
        source.original_date = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    source.save(update_fields=["original_author", "original_date"])
