from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dateline.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        """Signals keep the index (derived data) in step with posts, labels and sources."""
        from django.db.models.signals import post_migrate

        from dateline.search import indexing, signals

        signals.connect()
        post_migrate.connect(indexing.after_migrate, sender=self, dispatch_uid="search-migrate")
