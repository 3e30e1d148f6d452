"""`dateline createuser`: an author account (staff and superuser) for /admin/ and /clip/."""

from django.contrib.auth.management.commands import createsuperuser


class Command(createsuperuser.Command):
    help = "Create an author account that can write posts and moderate comments in /admin/."
