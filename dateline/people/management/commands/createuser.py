"""`dateline createuser`: an author account for the desk, /admin/ and /clip/.

Without --role it is the blog's first kind of account, as before: an editor who is also a
superuser. `--role author` makes an author (staff, in the Author group, not a superuser),
who writes and publishes their own posts and moderates comments. `--display-name` is the
name readers see; the login name never shows.
"""

from django.contrib.auth.management.commands import createsuperuser
from django.core.management import CommandError
from django.db import transaction
from django.db.models.signals import post_save

from dateline.people.accountcli import (
    add_account_arguments,
    created_message,
    given_password,
    set_checked_password,
)
from dateline.people.models import Profile
from dateline.people.roles import AUTHOR, EDITOR, set_role


class Command(createsuperuser.Command):
    help = "Create an account for the desk at /desk/: an editor, or an author with --role author."

    def add_arguments(self, parser) -> None:
        add_account_arguments(parser)
        parser.add_argument(
            "--display-name",
            default="",
            help="The name shown on posts and in feeds (default: the full name, else the "
            "blog's title; never the login name).",
        )
        parser.add_argument(
            "--role",
            choices=[EDITOR, AUTHOR],
            default=EDITOR,
            help="editor (default; also a superuser): everything, including settings and "
            "people; author: their own posts and comment moderation.",
        )

    def handle(self, *args, **options) -> None:
        display_name = " ".join(options["display_name"].split())
        if options["display_name"] and not display_name:
            raise CommandError("--display-name is blank: give the name readers should see.")
        password = given_password(options, self.stdin)
        made = []

        def remember(sender, instance, created: bool, **kwargs) -> None:
            if created:
                made.append(instance)

        # createsuperuser makes the user (asking for what is missing); the role and the
        # display name are applied to the user it made, in the same transaction.
        with transaction.atomic(using=options["database"]):
            post_save.connect(remember, sender=self.UserModel, weak=False)
            try:
                super().handle(*args, **{**options, "verbosity": 0})
            finally:
                post_save.disconnect(remember, sender=self.UserModel)
            if not made:
                return  # interrupted at a prompt: nothing was made
            user = made[0]
            if options["role"] == AUTHOR:
                user.is_superuser = False
                user.save(update_fields=["is_superuser"])
            set_role(user, options["role"])
            if password:
                set_checked_password(user, password)
            if display_name:
                Profile.objects.update_or_create(user=user, defaults={"display_name": display_name})
        if options["verbosity"] >= 1:
            self.stdout.write(created_message(user.get_username(), options["role"]))
