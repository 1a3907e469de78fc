"""vantage.mail against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import logging
import shutil
import socket
import ssl
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.smtp_server import free_port, smtp_server
from vantage import mail
from vantage.config import Settings


def settings(port: int, **more: object) -> Settings:
    return Settings.load(
        **{"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none", **more}
    )


def message(to: str = "ada@school.example") -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "vantage@school.example", to, "Your report"
    m["Message-ID"] = "<export-7@school.example>"
    m.set_content("Download it here.")
    return m


def test_a_message_reaches_the_server_as_sent() -> None:
    with smtp_server() as inbox:
        mail.send(settings(inbox.port), message())
    (got,) = inbox.messages
    assert (got["To"], got["Subject"], got["Message-ID"]) == (
        "ada@school.example",
        "Your report",
        "<export-7@school.example>",
    )
    assert got.get_content().strip() == "Download it here."


def test_login_and_a_wrong_password_that_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "s3cret-Pa55word"
    with smtp_server(password=secret) as inbox:
        mail.send(settings(inbox.port, smtp_user="exports", smtp_password=secret), message())
        wrong = settings(inbox.port, smtp_user="exports", smtp_password="not-" + secret)
        with pytest.raises(mail.MailError) as info:
            mail.send(wrong, message())
    assert len(inbox.messages) == 1 and inbox.logins[0] == ("exports", secret)
    assert not isinstance(info.value, mail.MailRefused)  # a setting to fix, then retried
    assert "535" in str(info.value)
    assert secret not in str(info.value) + caplog.text + repr(wrong)


def test_a_refused_recipient_is_final_and_a_busy_server_is_not() -> None:
    with smtp_server() as inbox:
        inbox.refuse = {"gone@school.example": "550 no such user", "full@x.example": "452 later"}
        with pytest.raises(mail.MailRefused, match="550 no such user"):
            mail.send(settings(inbox.port), message("gone@school.example"))
        with pytest.raises(mail.MailError) as info:
            mail.send(settings(inbox.port), message("full@x.example"))
        assert not isinstance(info.value, mail.MailRefused)
    assert not inbox.messages


def test_no_server_no_starttls_and_a_bad_mode_are_errors_to_retry() -> None:
    with pytest.raises(mail.MailError, match="cannot reach"):
        mail.send(settings(free_port()), message())
    with smtp_server() as inbox:  # offers no STARTTLS: never sent in plain text instead
        with pytest.raises(mail.MailError, match="STARTTLS"):
            mail.send(settings(inbox.port, smtp_tls="starttls"), message())
        with pytest.raises(mail.MailError, match="smtp_tls"):
            mail.send(settings(inbox.port, smtp_tls="tls"), message())
    assert not inbox.messages
    assert not mail.enabled(Settings.load()) and mail.enabled(settings(25))


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (openssl's command line)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_starttls_and_ssl_verify_the_servers_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = _certificate(tmp_path)
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    with smtp_server(tls_context=server_side, require_starttls=True) as inbox:
        with pytest.raises(mail.MailError, match="CERTIFICATE_VERIFY_FAILED"):
            mail.send(settings(inbox.port, smtp_tls="starttls"), message())
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted from here on (OpenSSL's rule)
        mail.send(settings(inbox.port, smtp_tls="starttls"), message())
    with smtp_server(ssl_context=server_side) as tls_inbox:
        mail.send(settings(tls_inbox.port, smtp_tls="ssl"), message())
    assert len(inbox.messages) == len(tls_inbox.messages) == 1


def test_a_silent_server_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail, "TIMEOUT_S", 0.3)
    with socket.socket() as silent:  # accepts connections (the kernel does), never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(mail.MailError, match="timed out"):
            mail.send(settings(silent.getsockname()[1]), message())
