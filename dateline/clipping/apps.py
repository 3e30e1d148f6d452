"""Clipping: turn a story elsewhere into a draft post with a source and a snapshot."""

from django.apps import AppConfig


class ClippingConfig(AppConfig):
    name = "dateline.clipping"
    verbose_name = "Clipping"
    default_auto_field = "django.db.models.BigAutoField"
