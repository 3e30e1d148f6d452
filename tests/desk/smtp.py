"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail tests, and reading what it got.

Optionally requires a login (AUTH over plain SMTP, allowed here because it is loopback), so
the credentials in DATELINE_EMAIL_URL are shown to reach the server.
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from dateline.settings.base import email_settings
from tests.ports import free_port

LINK = re.compile(r"^(Approve|Delete): (\S+)$", re.MULTILINE)


@dataclass
class Mailbox:
    """Everything the server accepted, in order; `logins` holds the (user, password) used."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def url(self, user: str = "", password: str = "") -> str:
        auth = f"{quote(user, safe='')}:{quote(password, safe='')}@" if user else ""
        return f"smtp://{auth}127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        self.arrived.set()
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == ("dateline", "p@ss:w/rd"))


def body(message: EmailMessage) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return text.replace("\r\n", "\n")  # SMTP carries CRLF line ends


def links(message: EmailMessage) -> dict[str, str]:
    """{"Approve": url, "Delete": url} from a notification's text."""
    return dict(LINK.findall(body(message)))


def use_smtp(settings, url: str) -> None:
    """Point Django's mail settings at `url`, through the same parser as DATELINE_EMAIL_URL."""
    for name, value in email_settings(url).items():
        setattr(settings, name, value)


@pytest.fixture(name="mailbox")
def mailbox_fixture() -> Iterator[Mailbox]:
    """Import `mailbox_fixture` into a test module to use the `mailbox` fixture."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port,
                            authenticator=box.authenticate, auth_require_tls=False)  # fmt: skip
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
