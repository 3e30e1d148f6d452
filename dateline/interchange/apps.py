from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Import and export: `dateline import/export`, and imports started from the admin."""

    name = "dateline.interchange"
    label = "interchange"
    verbose_name = "Import and export"
