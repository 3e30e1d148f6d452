"""`dateline token create --user NAME --scope create,update`: a Micropub token for scripts."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dateline.micropub.models import SCOPES, Token
from dateline.micropub.tokens import ScopeError, create_token, may_write, parse_scopes


class Command(BaseCommand):
    help = "Micropub tokens: token create --user NAME --scope create,update,delete,media"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="print a new token, once")
        create.add_argument("--user", required=True, help="the author's login name")
        create.add_argument("--scope", required=True, help=f"comma-separated: {','.join(SCOPES)}")
        create.add_argument("--name", default="command line", help="what uses the token")
        revoke = actions.add_parser("revoke", help="revoke a token by its number")
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options) -> None:
        if options["action"] == "revoke":
            from django.utils import timezone

            if not Token.objects.filter(pk=options["id"]).update(revoked_at=timezone.now()):
                raise CommandError(f"No token number {options['id']}.")
            self.stdout.write(f"Token {options['id']} revoked.")
            return
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not may_write(user):
            raise CommandError(f"{options['user']!r} is not an active author or editor.")
        try:
            scopes = parse_scopes(options["scope"])
        except ScopeError as error:
            raise CommandError(f"--scope: {error}.") from None
        token, raw = create_token(user, scopes, options["name"])
        self.stderr.write(f"Token {token.pk} for {user.get_username()} ({' '.join(scopes)}); "
                          "it is shown only now:")  # fmt: skip
        self.stdout.write(raw)
