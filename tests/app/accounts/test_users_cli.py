"""``flask users`` and the one-time set-password link, as an admin would use them."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback_app.models import AuditEvent, StaffUser
from feedback_app.services.accounts import users as user_service
from tests.helpers import csrf_token

LINK = re.compile(r"http://survey\.test(/auth/set-password/\S+)")


def test_create_prompts_twice_and_the_person_can_sign_in(runner, client, db):
    result = runner.invoke(
        args=["users", "create", "Ana@Staff.example", "--role", "cx"],
        input="a long passphrase here\na long passphrase here\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created ana@staff.example (cx)" in result.output
    assert "a long passphrase here" not in result.output  # hidden input
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login",
        data={
            "email": "ana@staff.example",
            "password": "a long passphrase here",
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 302


def test_create_rejects_short_password_then_accepts_a_long_one(runner):
    result = runner.invoke(
        args=["users", "create", "bo@staff.example", "--role", "product"],
        input="short\nshort\nlong enough passphrase\nlong enough passphrase\n",
    )
    assert result.exit_code == 0
    assert "at least 12 characters" in result.output


def test_create_refuses_mismatched_repeat(runner):
    result = runner.invoke(
        args=["users", "create", "cy@staff.example", "--role", "cx"],
        input="first passphrase!\nsecond passphrase\n",
    )
    assert result.exit_code != 0
    assert user_service.get_by_email("cy@staff.example") is None


def test_create_refuses_duplicates_and_bad_roles(runner, make):
    user, _ = make.staff_user()
    duplicate = runner.invoke(args=["users", "create", user.email, "--role", "cx", "--invite"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    bad_role = runner.invoke(args=["users", "create", "x@staff.example", "--role", "root", "--invite"])
    assert bad_role.exit_code == 2 and "root" in bad_role.output


def test_invite_link_sets_the_password_once(runner, client, db):
    result = runner.invoke(args=["users", "create", "di@staff.example", "--role", "product", "--invite"])
    assert result.exit_code == 0, result.output
    path = LINK.search(result.output).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "di@staff.example" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"

    short = client.post(
        path, data={"password": "too short", "confirm": "too short", "csrf_token": csrf_token(page)}
    )
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)

    done = client.post(
        path,
        data={
            "password": "my own long passphrase",
            "confirm": "my own long passphrase",
            "csrf_token": csrf_token(page),
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    assert client.get(path).status_code == 404  # used once
    login_page = client.get("/auth/login")
    assert (
        client.post(
            "/auth/login",
            data={
                "email": "di@staff.example",
                "password": "my own long passphrase",
                "csrf_token": csrf_token(login_page),
            },
        ).status_code
        == 302
    )


def test_invited_account_cannot_sign_in_before_setting_a_password(runner, client):
    runner.invoke(args=["users", "create", "ed@staff.example", "--role", "cx", "--invite"])
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login",
        data={
            "email": "ed@staff.example",
            "password": "anything long enough",
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 401


def test_expired_or_tampered_link_is_refused(app, runner, client):
    result = runner.invoke(args=["users", "create", "fa@staff.example", "--role", "cx", "--invite"])
    path = LINK.search(result.output).group(1)
    assert client.get(path[:-3] + "abc").status_code == 404
    app.config["SET_PASSWORD_LINK_HOURS"] = -1
    response = client.get(path)
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)


def test_list_set_role_and_deactivate(runner, make, client, db):
    admin, _ = make.staff_user("admin")
    user, password = make.staff_user("product")
    listing = runner.invoke(args=["users", "list"])
    assert user.email in listing.output and "product" in listing.output

    assert runner.invoke(args=["users", "set-role", user.email, "cx"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).role == "cx"

    result = runner.invoke(args=["users", "deactivate", user.email])
    assert result.exit_code == 0 and "deactivated" in result.output
    page = client.get("/auth/login")
    assert (
        client.post(
            "/auth/login", data={"email": user.email, "password": password, "csrf_token": csrf_token(page)}
        ).status_code
        == 401
    )
    assert "deactivated" in runner.invoke(args=["users", "list"]).output


def test_the_last_admin_cannot_be_removed(runner, make):
    admin, _ = make.staff_user("admin")
    result = runner.invoke(args=["users", "deactivate", admin.email])
    assert result.exit_code == 1 and "last active admin" in result.output
    result = runner.invoke(args=["users", "set-role", admin.email, "cx"])
    assert result.exit_code == 1


def test_unknown_email_is_named(runner):
    result = runner.invoke(args=["users", "deactivate", "ghost@staff.example"])
    assert result.exit_code == 1 and "No user with email ghost@staff.example" in result.output


def test_reactivate_lets_a_deactivated_person_sign_in_again(runner, make, client, db):
    make.staff_user("admin")
    user, password = make.staff_user("cx")
    runner.invoke(args=["users", "deactivate", user.email])
    result = runner.invoke(args=["users", "reactivate", user.email.upper()])
    assert result.exit_code == 0 and f"{user.email} can sign in again." in result.output
    page = client.get("/auth/login")
    login = {"email": user.email, "password": password, "csrf_token": csrf_token(page)}
    assert client.post("/auth/login", data=login).status_code == 302
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.reactivate")).all()
    assert [event.target_id for event in events] == [str(user.id)]


def test_reactivate_names_an_unknown_or_already_active_account(runner, make):
    user, _ = make.staff_user("cx")
    unknown = runner.invoke(args=["users", "reactivate", "ghost@staff.example"])
    assert unknown.exit_code == 1 and "No user with email ghost@staff.example" in unknown.output
    active = runner.invoke(args=["users", "reactivate", user.email])
    assert active.exit_code == 1 and f"{user.email} is already active" in active.output


def test_reactivate_has_help_and_is_listed_beside_the_other_commands(runner):
    help_text = runner.invoke(args=["users", "reactivate", "--help"]).output
    assert "Switch EMAIL's deactivated account back on" in help_text
    assert "reactivate" in runner.invoke(args=["users", "--help"]).output


def test_deactivation_ends_an_open_session(runner, client, login):
    user = login("cx")
    assert client.get("/dashboard/").status_code == 200
    runner.invoke(args=["users", "deactivate", user.email])
    assert client.get("/dashboard/").status_code == 302


def test_reset_password_link_keeps_old_password_until_used(runner, make, client):
    user, password = make.staff_user("cx")
    result = runner.invoke(args=["users", "reset-password", user.email])
    assert result.exit_code == 0 and LINK.search(result.output)
    page = client.get("/auth/login")
    assert (
        client.post(
            "/auth/login", data={"email": user.email, "password": password, "csrf_token": csrf_token(page)}
        ).status_code
        == 302
    )


def test_a_reset_link_is_in_the_audit_log_and_refused_for_a_deactivated_account(runner, make, db):
    user, _ = make.staff_user("cx")
    assert runner.invoke(args=["users", "reset-password", user.email]).exit_code == 0
    made = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.reset_link")).all()
    assert [(e.actor, e.target_id) for e in made] == [("cli", str(user.id))]
    runner.invoke(args=["users", "deactivate", user.email])
    refused = runner.invoke(args=["users", "reset-password", user.email])
    assert refused.exit_code == 1 and "is deactivated; reactivate the account first" in refused.output
    assert not LINK.search(refused.output)
    assert (
        len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.reset_link")).all()) == 1
    )
