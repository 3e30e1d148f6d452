"""`dateline token create`: a token for scripts, printed once, for authors and editors only."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from dateline.micropub.models import Token
from dateline.micropub.tokens import token_for
from dateline.people.roles import AUTHOR, set_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    user = get_user_model().objects.create_user("writer")
    set_role(user, AUTHOR)
    return user


def create(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("token", "create", *args, stdout=out, stderr=err)
    assert "shown only now" in err.getvalue()
    return out.getvalue().strip()


def test_create_prints_a_working_token_once_and_stores_its_hash(author):
    raw = create("--user", "writer", "--scope", "create,media", "--name", "Quill")
    token = token_for(raw)
    assert token is not None and token.user == author
    assert token.scopes == "create media" and token.name == "Quill"
    assert raw not in str(list(Token.objects.values_list()))


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--user", "writer", "--scope", "create,admin"], "unknown scope admin"),
     (["--user", "writer", "--scope", ","], "no scope given"),
     (["--user", "nobody", "--scope", "create"], "not an active author or editor"),
     (["--user", "reader", "--scope", "create"], "not an active author or editor")],
)  # fmt: skip
def test_bad_arguments_say_what_is_wrong(author, args, message):
    get_user_model().objects.create_user("reader")  # no role: no desk, no token
    with pytest.raises(CommandError, match=message):
        create(*args)
    assert not Token.objects.exists()


def test_revoke_and_a_demoted_author_s_token_stop_working(author):
    raw = create("--user", "writer", "--scope", "create")
    call_command("token", "revoke", str(Token.objects.get().pk), stdout=StringIO())
    assert token_for(raw) is None
    raw = create("--user", "writer", "--scope", "create")
    author.groups.clear()
    assert token_for(raw) is None
