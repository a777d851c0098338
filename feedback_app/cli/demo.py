"""``flask demo``: fill an empty database with the fictional company Brightloop."""

from __future__ import annotations

import errno
import os
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.services.accounts import users as user_service
from feedback_app.services.demo import company as demo_service

DEMO_ROLES = ("admin", "cx", "product")


@checked_group("demo", help="Demo data for trying Afterword: a fictional company and its former customers.")
def demo_cli() -> None:
    pass


def _passphrase() -> str:
    words = "amber basil cobalt delta ember fjord granite harbor indigo juniper kestrel lantern meadow nectar".split()
    return "-".join(secrets.choice(words) for _ in range(4)) + f"-{secrets.randbelow(90) + 10}"


@demo_cli.command(
    "load",
    epilog=examples("demo load", "demo load --if-empty --quiet"),
)
@click.option(
    "--if-empty", is_flag=True, help="Do nothing (and exit 0) when the database already has customers."
)
@click.option("--seed", default=7, show_default=True, help="Random seed for the generated names and figures.")
@click.option(
    "--quiet", is_flag=True, help="Print one summary line; sign-ins go only to the credentials file."
)
@with_appcontext
def load_command(if_empty: bool, seed: int, quiet: bool) -> None:
    """Load Brightloop's departed customers, survey answers and staff accounts.

    Loads only into an empty database. Staff accounts get freshly generated passwords,
    printed here and written to instance/demo-credentials.txt (readable by you only).
    """
    if not demo_service.database_is_empty():
        if if_empty:
            click.echo("Demo data: the database already has customers; nothing loaded.")
            return
        raise click.ClickException(
            "The database already has customers; the demo loads only into an empty one."
        )
    summary = demo_service.load_demo(current_app.config["PUBLIC_BASE_URL"], seed=seed)
    if current_app.config.get(
        "DEMO_ANALYSIS", True
    ):  # themes, action plan and a shipped item for the reports
        from feedback_app.services.demo import insights as demo_insights

        click.echo("Analysing the demo answers into themes (loads the models once; a minute or two)...")
        click.echo(demo_insights.fill().message)
    lines = [
        f"Loaded {summary.customers} departed customers, {summary.invitations} invitations, "
        f"{summary.responses} survey responses."
    ]
    # the file is shown again on every later start, so the line says when, not "just now"
    loaded = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(f"Staff accounts (demo only; passwords generated when the demo was loaded, {loaded}):")
    for role in DEMO_ROLES:
        password = _passphrase()
        user_service.create_user(f"{role}@brightloop.example", role, password, actor="demo")
        lines.append(f"  {role:8} {role}@brightloop.example  password: {password}")
    lines.append("Survey links a former customer would get by email:")
    lines.extend(f"  {link}" for link in summary.survey_links)
    text = "\n".join(lines)
    path = Path(current_app.instance_path) / "demo-credentials.txt"
    click.echo(lines[0] if quiet else text)
    path.write_text(text + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


def _port_taken(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port`` (the server about to start would fail)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Werkzeug's server binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def _browser_host(host: str) -> str:
    """The host to open in a browser for a server bound to ``host``: this machine for a bind to every
    address (0.0.0.0, ::), an IPv6 address in brackets."""
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


@demo_cli.command(
    "welcome",
    epilog=examples("demo welcome --port 8000"),
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="The address the server is about to bind."
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=5000,
    show_default=True,
    help="The port the server is about to listen on.",
)
@with_appcontext
def welcome_command(host: str, port: int) -> None:
    """Print the URLs and demo sign-ins a newcomer should open; exit 1 when the port is taken."""
    base = f"http://{_browser_host(host)}:{port}"
    if _port_taken(host, port):
        # `make run` a second time: say so before the sign-ins, not after Werkzeug's traceback-free error
        click.echo(
            f"Port {port} on {host} is already in use: Afterword may be running already "
            f"(open {base}/dashboard/), or another program holds the port. Stop it, or start on "
            "another port: make run PORT=5001",
            err=True,
        )
        raise SystemExit(1)
    click.echo("")
    click.echo("Afterword is starting.")
    click.echo(f"  Dashboard:    {base}/dashboard/")
    click.echo(f"  Health check: {base}/healthz")
    path = Path(current_app.instance_path) / "demo-credentials.txt"
    if path.exists():
        click.echo(f"  Demo sign-ins and survey links (from {path}):")
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            click.echo(f"  {line}")
        # the demo's invitations are stored as sent, so a newcomer looking in the mail folder finds nothing
        click.echo(
            "  The demo's invitations were loaded as already sent and never mailed: open the links above."
        )
    if current_app.config.get("MAIL_TRANSPORT", "file") == "file":
        click.echo(f"  Email you send is written as .eml files to {current_app.config['MAIL_OUTBOX_DIR']}")
    click.echo("Press CTRL+C to stop.\n")
