from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    """The blog's own settings (title, description, zone, language, comment policy), edited
    at the desk and stored in one row; the environment gives their defaults."""

    name = "dateline.site_settings"
    label = "site_settings"
    verbose_name = "Blog settings"

    def ready(self) -> None:
        from dateline.site_settings import tasks  # noqa: F401 - connects its receivers
