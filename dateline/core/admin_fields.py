"""Admin form defaults shared by every app's ModelAdmin."""

from django.contrib.admin.widgets import AdminURLFieldWidget
from django.db import models

# Addresses typed without a scheme are taken as https (Django 6's default, chosen now).
URL_FIELDS_ASSUME_HTTPS = {
    models.URLField: {"widget": AdminURLFieldWidget, "assume_scheme": "https"}
}
