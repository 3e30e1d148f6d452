from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Authors as readers meet them (display names) and as the desk knows them (roles)."""

    name = "dateline.people"
    label = "people"
    verbose_name = "People"
