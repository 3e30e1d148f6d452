from django.apps import AppConfig


class LabellingConfig(AppConfig):
    """Label suggestions (no models): the `labels` command, retrain task and its schedule."""

    name = "dateline.labelling"
    label = "labelling"
    verbose_name = "Label suggestions"

    def ready(self) -> None:
        """Count label changes so the model is retrained when the labelling has moved on."""
        from dateline.labelling import signals

        signals.connect()
