"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), keeping every message it receives."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)  # user names that logged in

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _free_port() -> int:
    # aiosmtpd connects to its own port to check that it is up: it needs a real port number.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by the openssl command (the test that
    needs it is skipped without it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        import pytest

        pytest.skip("the openssl command is needed to make a test certificate")
    certificate, key = folder / "smtp.pem", folder / "smtp.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    return certificate, key


@contextmanager
def smtp_server(
    user: str | None = None,
    password: str | None = None,
    certificate: tuple[Path, Path] | None = None,
) -> Iterator[Mailbox]:
    """A server that accepts every message; with `user` and `password`, only after a login
    with them (AUTH PLAIN/LOGIN, allowed without TLS on the loopback); with `certificate`
    (certificate and key files), only after STARTTLS."""
    mailbox = Mailbox("127.0.0.1", _free_port())

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        ):
            mailbox.logins.append(user)
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    options: dict = (
        {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False}
        if user
        else {}
    )
    if certificate is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate)
        options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port, **options)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
