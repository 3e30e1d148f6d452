from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: `dateline backup` and `dateline restore` (no models of its own)."""

    name = "dateline.ops"
    label = "ops"
    verbose_name = "Operations"
