from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    """Authors as readers meet them (display names) and as the desk knows them (roles)."""

    name = "dateline.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        post_migrate.connect(_keep_roles, sender=self, dispatch_uid="people-roles")


def _keep_roles(sender, using: str = "default", apps=None, **kwargs) -> None:
    """After every migrate, and after a flush (which sends no `apps`)."""
    from django.apps import apps as global_apps

    from dateline.people.rights import ensure_roles

    ensure_roles(apps or global_apps, using)
