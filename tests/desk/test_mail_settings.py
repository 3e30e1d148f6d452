"""DATELINE_EMAIL_URL becomes Django's mail settings; a bad one says what is wrong."""

import pytest

from dateline.settings.base import email_settings
from dateline.settings.environment import SettingsError

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_console_is_the_default_and_prints_mail():
    assert email_settings("console:") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [("smtp://mail.example", 25, False, False),
     ("smtp+tls://mail.example", 587, True, False),
     ("smtps://mail.example", 465, False, True),
     ("SMTP+TLS://mail.example:2525", 2525, True, False)],
)  # fmt: skip
def test_each_scheme_has_its_port_and_tls(url, port, tls, ssl):
    found = email_settings(url)
    assert found["EMAIL_BACKEND"] == SMTP and found["EMAIL_HOST"] == "mail.example"
    assert (found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (port, tls, ssl)
    assert found["EMAIL_TIMEOUT"] > 0


def test_user_and_password_are_percent_decoded():
    found = email_settings("smtp+tls://me%40blog.example:p%40ss%3Aw%2Frd@mail.example:587")
    assert found["EMAIL_HOST_USER"] == "me@blog.example"
    assert found["EMAIL_HOST_PASSWORD"] == "p@ss:w/rd"


@pytest.mark.parametrize(
    ("url", "said"),
    [("imap://u:secret@mail.example", "use smtp://"),
     ("smtp://", "names no host"),
     ("smtp://mail.example:99999", "bad port")],
)  # fmt: skip
def test_a_bad_url_is_refused_with_what_is_wrong_and_no_password(url, said):
    with pytest.raises(SettingsError, match="DATELINE_EMAIL_URL") as refused:
        email_settings(url)
    assert said in str(refused.value) and "secret" not in str(refused.value)
