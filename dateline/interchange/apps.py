from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Import and export (no models): registered so `dateline import/export` exist."""

    name = "dateline.interchange"
    label = "interchange"
    verbose_name = "Import and export"
