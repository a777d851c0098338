"""The SMTP transport over STARTTLS and implicit TLS, with login, against a real local server."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from feedback_app.services.mail import SmtpTransport, TransientMailError
from feedback_app.services.mail.message import build_message
from tests.smtp_server import SmtpTestServer

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="needs the openssl command for a test cert"
)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def client_context(certificate) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def check_login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"mailer",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def message():
    return build_message(
        sender="feedback@brightloop.example",
        recipient="pat@example.com",
        recipient_name="Pat",
        subject="Hi",
        body_text="text",
        body_html="<p>html</p>",
        message_id="<tls-1@brightloop.example>",
    )


@pytest.fixture
def starttls_server(certificate):
    server = SmtpTestServer(
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=check_login,
        auth_require_tls=True,
    )
    server.start()
    yield server
    server.stop()


def test_starttls_and_login_before_sending(starttls_server, certificate):
    with SmtpTransport(
        starttls_server.host,
        starttls_server.port,
        use_tls=True,
        username="mailer",
        password="s3cret",
        ssl_context=client_context(certificate),
    ) as transport:
        transport.send(message())
    (received,) = starttls_server.messages
    assert received.tls and received.authenticated


def test_a_wrong_password_is_a_retryable_configuration_error(starttls_server, certificate):
    transport = SmtpTransport(
        starttls_server.host,
        starttls_server.port,
        use_tls=True,
        username="mailer",
        password="wrong",
        ssl_context=client_context(certificate),
    )
    with pytest.raises(TransientMailError, match="login to 127.0.0.1:.* refused: 535") as caught:
        transport.send(message())
    assert caught.value.unreachable and starttls_server.messages == []


def test_an_untrusted_certificate_is_refused(starttls_server):
    transport = SmtpTransport(
        starttls_server.host, starttls_server.port, use_tls=True, username="mailer", password="s3cret"
    )  # system trust store: our test cert is not in it
    with pytest.raises(TransientMailError, match="CERTIFICATE_VERIFY_FAILED"):
        transport.send(message())


def test_implicit_tls(certificate):
    server = SmtpTestServer(ssl_context=server_context(certificate))
    server.start()
    try:
        with SmtpTransport(
            server.host, server.port, use_ssl=True, ssl_context=client_context(certificate)
        ) as transport:
            transport.send(message())
        assert len(server.messages) == 1
        with pytest.raises(TransientMailError):  # a plaintext client cannot talk to it
            SmtpTransport(server.host, server.port, timeout=2).send(message())
    finally:
        server.stop()


def test_starttls_and_implicit_tls_together_are_refused():
    with pytest.raises(ValueError, match="cannot both be on"):
        SmtpTransport("127.0.0.1", 25, use_tls=True, use_ssl=True)
