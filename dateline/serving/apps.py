from django.apps import AppConfig


class ServingConfig(AppConfig):
    """How pages reach readers: above the apps, it may import any of them (see
    docs/architecture.md); core, below every app, may not."""

    name = "dateline.serving"
    label = "serving"
    verbose_name = "Dateline serving"

    def ready(self) -> None:
        from dateline.serving import signals

        signals.connect()
