"""The desk's settings form: each field empty means "use the environment's value"."""

import zoneinfo
from functools import cache

from django import forms
from django.conf import global_settings

from dateline.site_settings.current import Effective
from dateline.site_settings.models import BlogSettings, CommentPolicy


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def language_choices(default: str) -> list[tuple[str, str]]:
    """Django's languages, and the environment's own code if it is not among them."""
    choices = [(code, f"{name} ({code})") for code, name in global_settings.LANGUAGES]
    if default not in {code for code, _ in choices}:
        choices.append((default, default))
    return [("", f"The default ({default})"), *choices]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = BlogSettings
        fields = ["title", "description", "time_zone", "language", "comment_policy"]
        labels = {"title": "Blog title", "description": "Description",
                  "time_zone": "Time zone", "comment_policy": "Comments"}  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, defaults: Effective, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        policy_default = CommentPolicy(defaults.comment_policy).label
        self.fields["language"] = forms.ChoiceField(
            label="Language", required=False, choices=language_choices(defaults.language)
        )
        policy = self.fields["comment_policy"]
        policy.widget = forms.RadioSelect()
        policy.choices = [("", f"The default: {policy_default.lower()}"), *CommentPolicy.choices]
        for name in ("title", "description", "time_zone"):
            self.fields[name].help_text = f"Empty: the default, “{getattr(defaults, name)}”."
        self.fields["time_zone"].widget.attrs.update(spellcheck="false", autocomplete="off")

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if name and name not in known_zones():
            raise forms.ValidationError(
                f"“{name}” is not a time zone name. Use a name from the tz database, "
                "such as Europe/Tallinn, America/New_York or UTC."
            )
        return name

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_description(self) -> str:
        return " ".join(self.cleaned_data["description"].split())
