from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Checking that cited stories still answer, and falling back to a copy when not."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dateline.sources"
    label = "sources"

    def ready(self) -> None:
        from dateline.clipping.signals import source_clipped
        from dateline.posts.models import Source
        from dateline.sources.fallback import link_for
        from dateline.sources.tasks import queue_archive

        source_clipped.connect(queue_archive, dispatch_uid="sources.archive_on_clip")
        Source.link_policy = staticmethod(link_for)
