"""The blog's writer logged in to the desk (an editor, as `dateline createuser` makes the
first account), with media in the test's own folder."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dateline.people.roles import EDITOR, set_role


@pytest.fixture
def writer(db, settings, tmp_path) -> Client:
    settings.MEDIA_ROOT = tmp_path / "media"
    user = get_user_model().objects.create_user("ines", "i@example.org", "pw", is_staff=True)
    set_role(user, EDITOR)
    client = Client()
    client.force_login(user)
    client.user = user
    return client
