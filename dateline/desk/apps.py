from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The author's desk at /desk/: the place an author works, above every other app."""

    name = "dateline.desk"
    verbose_name = "Author's desk"

    def ready(self) -> None:
        from dateline.desk import adminsite

        adminsite.brand_and_quiet()
