"""`flask demo load` fills an empty database with a realistic company, once. Loading it redacts its
tickets and interviews, which loads spaCy's small model: those tests are marked slow (and share one
load, tests/app/demo/conftest.py)."""

import pytest
from sqlalchemy import func, select

from feedback_app.models import DepartedCustomer, Invitation, Response, StaffUser, utcnow


@pytest.mark.slow
@pytest.mark.postgresql  # the demo company loaded into a PostgreSQL installation
def test_demo_load_fills_empty_database_and_prints_credentials_that_sign_in(app, runner, db, client, demo):
    """One load for both: what it fills in, then its staff signing in with the passwords it printed
    (the ``demo`` fixture runs `flask demo load` and checks it exits 0: tests/app/demo/conftest.py)."""
    from tests.helpers import csrf_token
    from tests.smtp_server import free_port

    customers = db.session.scalar(select(func.count(DepartedCustomer.id)))
    responses = db.session.scalar(select(func.count(Response.id)))
    assert customers >= 300
    assert responses >= 300
    plans = set(db.session.scalars(select(DepartedCustomer.plan).distinct()))
    assert {"starter", "team", "business", "enterprise"} <= plans
    assert "admin@brightloop.example" in demo.output
    assert "/s/" in demo.output  # clickable survey links
    # every demo staff user can sign in with the password printed for them
    assert db.session.scalar(select(func.count(StaffUser.id))) == 3
    texts = [r.answers["what_happened"] for r in db.session.scalars(select(Response))]
    assert len(set(texts)) > 0.95 * len(texts), "free text must be varied, not repeated"
    # nothing is dated after today: the follow-up queue said "answered -5 days ago"
    now = utcnow()
    assert db.session.scalar(select(func.max(Response.submitted_at))) <= now
    assert db.session.scalar(select(func.max(Invitation.sent_at))) <= now
    assert db.session.scalar(select(func.max(Invitation.opened_at))) <= now
    assert db.session.scalar(select(func.max(DepartedCustomer.left_at))) <= now.date()

    line = next(ln for ln in demo.output.splitlines() if "cx@brightloop.example" in ln)
    # each later start shows the same passwords again: say when they were made, not "just now"
    welcome = runner.invoke(args=["demo", "welcome", "--port", str(free_port())]).output
    assert "cx@brightloop.example" in welcome and "just now" not in welcome
    assert "passwords generated when the demo was loaded, 20" in welcome
    # the mail folder stays empty after the demo loads: say so, and where the links are instead
    assert "invitations were loaded as already sent and never mailed: open the links above" in welcome
    assert f"written as .eml files to {app.config['MAIL_OUTBOX_DIR']}" in welcome
    password = line.split("password:")[1].strip()
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login",
        data={"email": "cx@brightloop.example", "password": password, "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    assert "Departed customers" in dashboard.get_data(as_text=True)


def test_demo_load_refuses_a_database_that_has_data(runner, make):
    make.customer()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "already has customers" in result.output


def test_demo_load_if_empty_is_a_quiet_no_op_on_existing_data(runner, make):
    make.customer()
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "nothing loaded" in result.output


def test_welcome_stops_when_the_port_is_taken_instead_of_announcing_a_start(runner):
    """A second `make run` (the first still serving) printed "Afterword is starting" with the URLs
    and sign-ins, and only then Werkzeug's "Address already in use"."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(args=["demo", "welcome", "--host", "127.0.0.1", "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert "Afterword is starting" not in result.output
    assert f"Port {port} on 127.0.0.1 is already in use" in result.output
    assert f"http://127.0.0.1:{port}/dashboard/" in result.output  # perhaps Afterword, already running
    assert "make run PORT=" in result.output
    free = runner.invoke(args=["demo", "welcome", "--host", "127.0.0.1", "--port", str(port)])
    assert free.exit_code == 0 and "Afterword is starting" in free.output


def test_welcome_gives_urls_on_the_address_the_server_binds(runner):
    """`make run HOST=::1` (or a LAN address) printed http://127.0.0.1:PORT to open, where nothing
    listens: the links name the host given, and 127.0.0.1 only for a bind to every address."""
    from tests.smtp_server import free_port

    port = free_port()
    for host, shown in (
        ("::1", "[::1]"),
        ("0.0.0.0", "127.0.0.1"),
        ("::", "127.0.0.1"),
        ("127.0.0.1", "127.0.0.1"),
    ):
        result = runner.invoke(args=["demo", "welcome", "--host", host, "--port", str(port)])
        assert result.exit_code == 0, result.output
        assert f"Dashboard:    http://{shown}:{port}/dashboard/" in result.output, host
