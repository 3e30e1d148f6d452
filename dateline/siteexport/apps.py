from django.apps import AppConfig


class SiteExportConfig(AppConfig):
    name = "dateline.siteexport"
    label = "siteexport"
    verbose_name = "Static mirror"

    def ready(self) -> None:
        from dateline.siteexport import hooks, ledger

        ledger.connect()
        hooks.connect()
