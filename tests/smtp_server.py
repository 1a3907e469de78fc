"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for the e-mail tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Inbox:
    """What the server received; ``refuse`` maps a recipient to the answer its RCPT gets."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def smtp_server(password: str | None = None, **tls: Any) -> Iterator[Inbox]:
    """A running server; with ``password``, it offers AUTH (over plain text, for the test) and
    accepts the user ``exports`` with that password; ``tls``: aiosmtpd's ``tls_context`` (for
    STARTTLS) or ``ssl_context`` (TLS from the start)."""
    inbox = Inbox(port=free_port())

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, given = data.login.decode(), data.password.decode()
        inbox.logins.append((login, given))
        return AuthResult(success=(login, given) == ("exports", password), handled=False)

    extra: dict[str, Any] = (
        {"authenticator": authenticate, "auth_require_tls": False} if password else {}
    )
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port, **extra, **tls)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
