from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The author's desk at /desk/: the place an author works, above every other app."""

    name = "dateline.desk"
    verbose_name = "Author's desk"

    def ready(self) -> None:
        from dateline.desk import adminsite

        adminsite.brand_and_quiet()
        from dateline.desk import moderation_mail  # noqa: F401 - e-mails authors of held comments
