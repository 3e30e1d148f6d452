"""The admin's import form: one export file and the choices the command line offers."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat


def too_large_message() -> str:
    limit = filesizeformat(settings.DATELINE_IMPORT_MAX_BYTES)
    return (
        f"The file is larger than {limit} (DATELINE_IMPORT_MAX_BYTES). Import it with "
        "`dateline import FILE` on the server instead."
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text=(
            "A Blogger export (the legacy blog-MM-DD-YYYY.xml or the Takeout feed.atom), a "
            "WordPress export (WXR .xml), or one Markdown file with front matter. For a folder "
            "of Markdown files use `dateline import DIR` on the server."
        ),
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run: read and check everything, store nothing"
    )
    strict = forms.BooleanField(
        required=False,
        label="Strict: refuse the whole file if any entry has a problem",
        help_text="Otherwise every good entry is imported and each one left out is listed.",
    )
    fetch_images = forms.BooleanField(
        required=False,
        label="Download images hosted on other sites into this blog's media",
        help_text="Posts then show our copies; an image that cannot be fetched keeps its address.",
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > settings.DATELINE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload
