"""Request bodies over ``MAX_CONTENT_LENGTH`` are refused with 413, chunked ones too, and nothing
posted comes back at length (issue 16, item 7): through Flask's test client, and through a real
gunicorn process reading a chunked body from a socket."""

from __future__ import annotations

import http.client
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from feedback_app.models import DepartedCustomer, Response
from feedback_app.ratelimit import limiter
from feedback_app.services.billing.stripe import sign
from tests.app.billing.test_stripe_webhook import event as stripe_event
from tests.helpers import csrf_token

ROOT = Path(__file__).resolve().parents[2]
#: What gunicorn and werkzeug's own server set for a chunked request: the server ends the stream.
SERVER_ENDS_STREAM = {"wsgi.input_terminated": True}
CHUNKED = {"Transfer-Encoding": "chunked"}
STRIPE_SECRET = "whsec_gunicorn_test"


def _chunked_post(client, path: str, body: bytes, content_type: str, headers: dict | None = None):
    """A POST whose body has no Content-Length, as a chunked request reaches the app from gunicorn:
    ``Transfer-Encoding: chunked``, no ``CONTENT_LENGTH`` (the test client would count the bytes of
    a seekable stream and declare them), and ``wsgi.input_terminated``."""
    environ = EnvironBuilder(
        path,
        method="POST",
        input_stream=io.BytesIO(body),
        content_type=content_type,
        headers={**CHUNKED, **(headers or {})},
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    environ.update(SERVER_ENDS_STREAM)
    return client.open(Request(environ))


def _answers(db, invitation_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(Response).where(Response.invitation_id == invitation_id)
    )


def _survey_post(client, make, text: str, *, signed: bool = True):
    invitation, token = make.invitation(status="sent")
    page = client.get(f"/s/{token}")
    fields = {
        "csrf_token": csrf_token(page) if signed else "forged",
        "q_main_reason": "too_expensive",
        "q_what_happened": text,
        "q_contact_ok": "no",
    }
    return invitation, token, urlencode(fields).encode()


def test_chunked_survey_answer_over_the_default_limit_is_413_not_cut_and_stored(app, client, make, db):
    """Was: the first 10 MiB parsed as the whole form (the answer cut short, then validated)."""
    limiter().enabled = False
    invitation, token, body = _survey_post(client, make, "x" * (app.config["MAX_CONTENT_LENGTH"] + 10))
    response = _chunked_post(client, f"/s/{token}", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert len(response.get_data()) < 20_000
    assert _answers(db, invitation.id) == 0


def test_chunked_survey_answer_under_the_limit_is_read_whole(app, client, make, db):
    invitation, token, body = _survey_post(client, make, "It broke twice a week.")
    response = _chunked_post(client, f"/s/{token}", body, "application/x-www-form-urlencoded")
    assert response.status_code == 303
    assert _answers(db, invitation.id) == 1


@pytest.mark.parametrize("size_over", [1, 70_000])
def test_chunked_bodies_over_the_limit_are_413_everywhere(app, client, api_key, db, size_over):
    app.config.update(
        MAX_CONTENT_LENGTH=64 * 1024, API_MAX_BODY_BYTES=1024 * 1024, STRIPE_WEBHOOK_SECRET="whsec_x"
    )
    body = b"[" + b" " * (64 * 1024 + size_over - 2) + b"]"
    api = _chunked_post(
        client, "/api/v1/departures", body, "application/json", {"Authorization": f"Bearer {api_key}"}
    )
    stripe = _chunked_post(
        client, "/api/v1/webhooks/stripe", body, "application/json", {"Stripe-Signature": "t=1"}
    )
    unauthenticated = _chunked_post(client, "/api/v1/departures", body, "application/json")
    login = _chunked_post(
        client,
        "/auth/login",
        b"email=a%40b.example&password=" + b"x" * (64 * 1024),
        "application/x-www-form-urlencoded",
    )
    for response in (api, stripe, unauthenticated):
        assert (
            response.status_code == 413
            and response.is_json
            and "larger than" in response.get_json()["message"]
        )
    assert login.status_code == 413
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(DepartedCustomer)) == 0


def test_chunked_body_exactly_at_the_limit_is_accepted(app, client, api_key):
    app.config.update(MAX_CONTENT_LENGTH=4096)
    body = b'[{"external_id": "c1", "email": "c1@example.com", "left_at": "2026-10-01"}]'
    body = body[:-1] + b" " * (4096 - len(body)) + b"]"
    response = _chunked_post(
        client, "/api/v1/departures", body, "application/json", {"Authorization": f"Bearer {api_key}"}
    )
    assert response.status_code == 201


def test_a_refused_survey_form_does_not_echo_a_large_answer(app, client, make, db):
    """A bad signed field shows the answers again, cut to what the page accepts (was: echoed whole)."""
    limiter().enabled = False
    limit = app.config["FREE_TEXT_MAX_CHARS"]
    invitation, token, body = _survey_post(client, make, "y" * 3_000_000, signed=False)
    body += b"&version=" + b"9" * 1_000_000
    response = client.post(f"/s/{token}", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert len(response.get_data()) < 4 * limit + 50_000
    assert "y" * limit in response.get_data(as_text=True)  # a little too much pasted is kept, to shorten
    assert _answers(db, invitation.id) == 0


def test_an_invalid_survey_form_does_not_echo_a_large_answer(app, client, make, db):
    limiter().enabled = False
    invitation, token, body = _survey_post(client, make, "z" * 3_000_000)
    response = client.post(f"/s/{token}", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert len(response.get_data()) < 4 * app.config["FREE_TEXT_MAX_CHARS"] + 50_000
    assert _answers(db, invitation.id) == 0


def test_a_bad_stripe_signature_does_not_echo_the_body(app, client):
    app.config["STRIPE_WEBHOOK_SECRET"] = "whsec_x"
    response = client.post(
        "/api/v1/webhooks/stripe",
        data=b'{"a": "' + b"q" * 900_000 + b'"}',
        headers={"Stripe-Signature": "t=1,v1=" + "0" * 64, "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and len(response.get_data()) < 1000


# ---------------------------------------------------------------- behind gunicorn


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server(tmp_path):
    """One gunicorn worker serving wsgi:app (gunicorn.conf.py) on 127.0.0.1, with a small body limit."""
    port = _free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "MAX_CONTENT_LENGTH": str(64 * 1024),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
        "AFTERWORD_INSTANCE_DIR": str(tmp_path / "instance"),
        "AFTERWORD_ENV": "development",
        "RATELIMIT_ENABLED": "false",
    }
    env.pop("TEST_DATABASE_URL", None)
    env["STRIPE_WEBHOOK_SECRET"] = STRIPE_SECRET
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    log = open(tmp_path / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)
    log.close()


def _send_chunked(
    port: int, path: str, chunks, content_type: str, headers: dict | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=chunks,
            encode_chunked=True,
            headers={"Content-Type": content_type, "Transfer-Encoding": "chunked", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, response.read()
    except (BrokenPipeError, ConnectionResetError) as exc:  # the server may stop reading at the limit
        pytest.fail(f"gunicorn closed the connection instead of answering 413: {exc!r}")
    finally:
        connection.close()


def test_gunicorn_refuses_a_chunked_body_over_the_limit(gunicorn_server):
    over = (b"x" * 8192 for _ in range(9))  # 72 KiB in 9 chunks, over the 64 KiB limit
    status, body = _send_chunked(
        gunicorn_server, "/s/no-such-token", (b"q_what_happened=", *over), "application/x-www-form-urlencoded"
    )
    assert status == 413, body[:500]
    assert len(body) < 20_000
    status, body = _send_chunked(
        gunicorn_server, "/api/v1/departures", iter([b"[", b" " * 70_000, b"]"]), "application/json"
    )
    assert status == 413 and b"larger than" in body
    event = json.dumps(
        stripe_event(metadata={"company": "c" * 200})
    ).encode()  # a signed event, under the limit
    timestamp = int(time.time())
    status, body = _send_chunked(
        gunicorn_server,
        "/api/v1/webhooks/stripe",
        iter([event[:100], event[100:]]),
        "application/json",
        {"Stripe-Signature": f"t={timestamp},v1={sign(event, STRIPE_SECRET, timestamp)}"},
    )
    assert status == 201, body  # read whole: the signature covers every byte


# ---------------------------------------------------------------- content types


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('{"name": {"a": 1}, "offer_text": ["o"]}', "application/json"),
        ("[1, 2]", "application/json"),
        ("name=x", "text/plain"),
        ("<name>x</name>", "application/xml"),
    ],
)
def test_a_staff_form_sent_as_json_or_text_is_415_naming_the_content_type(
    app, client, login, body, content_type
):
    """Was: Flask-WTF filled the campaign form from the JSON body, a dict reached the campaign
    service as the name, and the page was a 500 (found by test_boundary_fuzz.py)."""
    login("admin")
    token = csrf_token(client.get("/dashboard/"))
    response = client.post(
        "/dashboard/win-back/campaigns/new",
        data=body,
        headers={"Content-Type": content_type, "X-CSRFToken": token},
    )
    assert response.status_code == 415
    assert f"not {content_type}" in response.get_data(as_text=True)


def test_a_staff_post_without_a_body_still_reaches_its_form(app, client, login):
    """No content type at all (a bodiless POST) is not refused: the form names what is missing."""
    login("admin")
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/dashboard/follow-ups/handled", follow_redirects=True)
    assert response.status_code == 200
    assert "Mark handled: select at least one entry first." in response.get_data(as_text=True)
