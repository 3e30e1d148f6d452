from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Checking that cited stories still answer, and falling back to a copy when not."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dateline.sources"
    label = "sources"
