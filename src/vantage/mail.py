"""Sending one e-mail through the SMTP server the settings name (``smtp_*``).

The lowest layer: it knows the settings and the standard library, nothing of reports or jobs.
Every call opens its own connection (exports are rare; a pooled connection would only go
stale), with a timeout on each step so a silent server cannot hold a worker for ever.

Failures come in two kinds, so a caller can retry what may pass later and give up on what will
not: :class:`MailRefused` when the server answered a permanent refusal (5xx) of the sender,
the recipient or the message; :class:`MailError` for the rest (the server unreachable or
slow, a temporary 4xx, a refused login — fixed by changing the settings, then a retry passes).
The password is sent only inside the (encrypted, unless ``smtp_tls`` is ``none``) SMTP login
and never appears in an error or a log line: errors carry the server's code and answer only.
"""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import ssl
from email.message import EmailMessage

from vantage.config import Settings

TIMEOUT_S = 30.0
TLS_MODES = ("starttls", "ssl", "none")
log = logging.getLogger(__name__)


class MailError(Exception):
    """The message was not sent; sending it again later may work."""


class MailRefused(MailError):
    """The server refused the message for good; sending the same message again will not help."""


MAX_ADDRESS = 254
# An address Vantage writes into a To header: ASCII, one @, a dotted domain of DNS labels.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@"
    r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+",
    re.ASCII,
)


def valid_address(address: str) -> bool:
    """Whether ``address`` may be written into a To header: at most 254 characters of ASCII,
    one @, a dotted domain of DNS labels (so no comma, space, CR or LF)."""
    return len(address) <= MAX_ADDRESS and _ADDRESS.fullmatch(address) is not None


def enabled(settings: Settings) -> bool:
    """Whether e-mail can be sent at all (an SMTP server is configured)."""
    return bool(settings.smtp_host)


def sender(settings: Settings) -> str:
    """The From address: ``smtp_sender``, else ``vantage@<this machine>``."""
    return settings.smtp_sender or f"vantage@{socket.getfqdn()}"


def send(settings: Settings, message: EmailMessage) -> None:
    """Send ``message`` (its own From, To and Message-ID); return once the server accepted it."""
    mode = settings.smtp_tls
    if mode not in TLS_MODES:
        raise MailError(f"setting smtp_tls must be one of {', '.join(TLS_MODES)}, not {mode!r}")
    if not enabled(settings):
        raise MailError("no SMTP server is configured (setting smtp_host)")
    context = ssl.create_default_context()
    try:
        client = (
            smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S, context=context
            )
            if mode == "ssl"
            else smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S)
        )
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"cannot reach {_server(settings)}: {_reason(exc)}") from None
    try:
        if mode == "starttls":
            client.starttls(context=context)  # a server without STARTTLS fails: no downgrade
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
        client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        client.close()
        kind = MailRefused if _permanent(exc) else MailError
        raise kind(f"{_server(settings)}: {_reason(exc)}") from None
    # Accepted: a failing QUIT must not make the caller send the message again.
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
    log.info("e-mail %s sent through %s", message["Message-ID"], _server(settings))


def _server(settings: Settings) -> str:
    return f"SMTP server {settings.smtp_host}:{settings.smtp_port}"


def _permanent(exc: BaseException) -> bool:
    """A 5xx refusal of the sender, every recipient or the message (not of the login, which
    is a setting to fix)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def _reason(exc: BaseException) -> str:
    """What went wrong, from the server's answer or the socket error: never the arguments of
    the call that failed (the login's are the credentials)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{who} refused: {code} {_text(answer)}"
            for who, (code, answer) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "the server does not offer what smtp_tls or smtp_user need (STARTTLS or AUTH)"
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"no answer within {TIMEOUT_S:g} s"
    return f"{type(exc).__name__}: {exc}"  # socket and smtplib's own messages: no arguments


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
