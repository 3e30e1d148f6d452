from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dateline.core"
    label = "core"
    verbose_name = "Dateline"

    def ready(self) -> None:
        from dateline.core import signals

        signals.connect()
