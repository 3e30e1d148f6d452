"""The desk's people forms: one's own display name, and an editor adding an author."""

from django import forms
from django.contrib.auth import get_user_model

from dateline.people.models import Profile
from dateline.people.roles import ROLE_CHOICES


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name"]
        labels = {"display_name": "Display name"}
        help_texts = {
            "display_name": "Shown on your posts and in the feeds; your login name never is."
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())


class InviteForm(forms.Form):
    username = forms.CharField(
        label="Login name", max_length=150, help_text="Used to log in; never shown to readers."
    )
    display_name = forms.CharField(
        label="Display name", max_length=150, help_text="Shown on their posts and in the feeds."
    )
    email = forms.EmailField(label="E-mail", required=False, help_text="Optional; never shown.")
    role = forms.ChoiceField(
        label="Role", choices=ROLE_CHOICES, initial="author", widget=forms.RadioSelect
    )

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        model = get_user_model()
        for validator in model._meta.get_field(model.USERNAME_FIELD).validators:
            validator(name)
        if model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": name}).exists():
            raise forms.ValidationError(f"The login name “{name}” is taken.")
        return name

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("A display name is needed: readers see it.")
        return name
