"""``flask users``: staff accounts from the command line (there is no default account anywhere)."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.models import ROLES, StaffUser
from feedback_app.services.accounts import password_links
from feedback_app.services.accounts import users as user_service


@checked_group(
    "users", help="Staff accounts: create, list, change role, deactivate, reactivate, reset a password."
)
def users_cli() -> None:
    pass


def _fail(error: user_service.UserError) -> click.ClickException:
    return click.ClickException(str(error))


def _prompt_password() -> str:
    """Prompted twice, hidden; re-asked until it meets the length rule."""
    while True:
        password = click.prompt("Password", hide_input=True, confirmation_prompt="Repeat password")
        try:
            user_service.validate_password(password)
            return password
        except user_service.UserError as error:
            click.echo(f"Error: {error}", err=True)


@users_cli.command(
    "create",
    epilog=examples(
        "users create ada@example.com --role admin", "users create sam@example.com --role cx --invite"
    ),
)
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="admin: everything; cx: all but users and "
    "keys; product: read reports, update their own action items.",
)
@click.option("--invite", is_flag=True, help="Print a one-time set-password link instead of prompting.")
@with_appcontext
def create_command(email: str, role: str, invite: bool) -> None:
    """Create a staff account for EMAIL (password prompted twice, or a one-time link with --invite)."""
    try:
        user_service.check_new_email(email)  # before asking for a password
        password = None if invite else _prompt_password()
        user = user_service.create_user(email, role, password, actor="cli")
    except user_service.UserError as error:
        raise _fail(error) from None
    click.echo(f"Created {user.email} ({user.role}).")
    if invite:
        click.echo(
            f"Send them this one-time link to set a password (expires in "
            f"{_link_hours()} hours):\n{password_links.make_link(user)}"
        )


def _link_hours() -> int:
    from flask import current_app

    return current_app.config["SET_PASSWORD_LINK_HOURS"]


@users_cli.command(
    "list",
    epilog=examples("users list"),
)
@with_appcontext
def list_command() -> None:
    """Every staff account with role, state and last sign-in."""
    accounts = user_service.list_users()
    if not accounts:
        click.echo("No staff accounts yet. Create one: flask --app wsgi users create EMAIL --role admin")
        return
    click.echo(f"{'email':40} {'role':8} {'state':12} last sign-in")
    for user in accounts:
        state = "active" if user.active else "deactivated"
        if user.active and not user.password_hash:
            state = "invited"
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        click.echo(f"{user.email:40} {user.role:8} {state:12} {last}")


def _change(email: str, change: Callable[[StaffUser], object]) -> str:
    """Apply ``change(user)`` to EMAIL's account; a UserError becomes a clean CLI error."""
    try:
        user = user_service.require_by_email(email)
        change(user)
    except user_service.UserError as error:
        raise _fail(error) from None
    return user.email


@users_cli.command(
    "set-role",
    epilog=examples("users set-role sam@example.com product"),
)
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def set_role_command(email: str, role: str) -> None:
    """Change EMAIL's role to ROLE: admin, cx or product (their sessions end so it applies at once)."""
    click.echo(f"{_change(email, lambda user: user_service.set_role(user, role))} is now {role}.")


@users_cli.command(
    "deactivate",
    epilog=examples("users deactivate sam@example.com"),
)
@click.argument("email")
@with_appcontext
def deactivate_command(email: str) -> None:
    """Switch EMAIL's account off: they are signed out and cannot sign in."""
    click.echo(f"{_change(email, user_service.deactivate)} is deactivated.")


@users_cli.command(
    "reactivate",
    epilog=examples("users reactivate sam@example.com"),
)
@click.argument("email")
@with_appcontext
def reactivate_command(email: str) -> None:
    """Switch EMAIL's deactivated account back on: they can sign in again with their password."""
    click.echo(f"{_change(email, user_service.reactivate)} can sign in again.")


@users_cli.command(
    "reset-password",
    epilog=examples("users reset-password sam@example.com"),
)
@click.argument("email")
@with_appcontext
def reset_password_command(email: str) -> None:
    """Print a one-time set-password link for EMAIL (their current password keeps working until used)."""
    try:
        user = user_service.require_by_email(email)
        link = user_service.reset_link(user)
    except user_service.UserError as error:
        raise _fail(error) from None
    click.echo(f"One-time link for {user.email} (expires in {_link_hours()} hours):\n{link}")
