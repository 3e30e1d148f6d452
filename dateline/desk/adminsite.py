"""The admin, kept for rare tasks: named Dateline, pointing at the desk, without noise.

Authors work at /desk/. Groups (the desk has its own roles), the login-attempt logs and
the task queue's rows are machinery, not an author's business, so they are taken out of
the admin's menu; lock-outs (axes' access attempts) stay, to unlock an account.
"""

from contextlib import suppress

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered

NOISE = (
    ("auth", "Group"),
    ("axes", "AccessLog"),
    ("axes", "AccessFailureLog"),
    ("django_tasks_db", "DBTaskResult"),
)


def brand_and_quiet() -> None:
    """Name the admin Dateline, link it to the desk, and unregister the noise."""
    admin.site.site_header = "Dateline admin"
    admin.site.site_title = "Dateline admin"
    admin.site.index_title = "Rare tasks (everyday work is at the desk: /desk/)"
    admin.site.site_url = "/desk/"
    for app_label, model_name in NOISE:
        with suppress(LookupError, NotRegistered):
            admin.site.unregister(apps.get_model(app_label, model_name))
