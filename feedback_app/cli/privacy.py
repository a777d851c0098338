"""Data-protection commands: ``flask customers erase|export EMAIL`` and ``flask privacy purge-text``.

``erase`` and ``export`` join the intake area's ``customers`` group (people think of them as
things done to a customer); the retention purge has its own ``privacy`` group.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.cli.customers import customers_cli
from feedback_app.services.privacy import erasure, export, people, retention


def _fail(error: people.PrivacyError) -> click.ClickException:
    return click.ClickException(str(error))


@customers_cli.command(
    "erase",
    epilog=examples("customers erase ann@example.com", "customers erase ann@example.com --yes"),
)
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_command(email: str, yes: bool) -> None:
    """Erase everything identifying the person with EMAIL (answers, tokens, emails, quotes).

    Anonymous counts stay: the response still counts toward its theme and the departure
    toward churn figures. This cannot be undone.
    """
    try:
        found = people.customers_with_email(email)
    except people.PrivacyError as error:
        raise _fail(error) from None
    if not found:
        raise click.ClickException(
            f"No customer with email {email.strip().lower()} (already erased, or never imported)."
        )
    if not yes:
        click.confirm(
            f"Erase {len(found)} customer record(s) for {email.strip().lower()}? This cannot be undone",
            abort=True,
        )
    report = erasure.erase_person(email, actor="cli")
    counts = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in report.as_dict().items())
    click.echo(f"Erased: {counts}.")


@customers_cli.command(
    "export",
    epilog=examples("customers export ann@example.com -o ann.json"),
)
@click.argument("email")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON to this file (default: standard output).",
)
@with_appcontext
def export_command(email: str, output: Path | None) -> None:
    """Everything held about the person with EMAIL, as JSON (for a subject access request)."""
    try:
        data = export.export_person(email, actor="cli")
    except people.PrivacyError as error:
        raise _fail(error) from None
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    if output is None:
        click.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    output.chmod(0o600)
    click.echo(f"Wrote {output} ({len(data['records'])} record(s)).")


@checked_group("privacy", help="Data protection: purge old free text (RETENTION_DAYS).")
def privacy_cli() -> None:
    pass


@privacy_cli.command(
    "purge-text",
    epilog=examples("privacy purge-text", "privacy purge-text --days 365"),
)
@click.option(
    "--days",
    type=int,
    default=None,
    help="Purge raw free text older than this many days (default: RETENTION_DAYS).",
)
@with_appcontext
def purge_text_command(days: int | None) -> None:
    """Drop raw free-text answers older than the retention period; redacted text and counts stay."""
    if days is None:
        days = int(current_app.config.get("RETENTION_DAYS") or 0)
        if days <= 0:
            click.echo("RETENTION_DAYS is 0 (keep raw text); nothing purged. Pass --days N to purge now.")
            return
    try:
        purged = retention.purge_old_free_text(days, actor="cli")
    except people.PrivacyError as error:
        raise _fail(error) from None
    click.echo(f"Purged raw free text from {purged} response(s) older than {days} days.")
