"""``flask tickets import``: bring support tickets in from a CSV, Zendesk or Intercom export."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.services.conversations.formats import FORMATS
from feedback_app.services.conversations.tickets import import_tickets
from feedback_app.services.customers.csv_import import CsvFileError

SHOWN_ERRORS = 50


@checked_group("tickets", help="Support tickets of departed customers: import them.")
def tickets_cli() -> None:
    pass


@tickets_cli.command(
    "import",
    epilog=examples(
        "tickets import tickets.csv",
        "tickets import export.json --format zendesk",
        "tickets import conversations.json --format intercom",
    ),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="csv (docs/conversations.md), zendesk (ticket export) or intercom (conversation export).",
)
@click.option("--all-errors", is_flag=True, help=f"Print every problem (default: the first {SHOWN_ERRORS}).")
@with_appcontext
def import_command(file: Path, fmt: str, all_errors: bool) -> None:
    """Import tickets from FILE. Re-importing a ticket id updates it; tickets of unknown
    customers are reported, never created; bodies are redacted before they are stored."""
    try:
        report = import_tickets(file.read_bytes(), fmt, actor="cli", filename=file.name)
    except CsvFileError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    shown = report.problems if all_errors else report.problems[:SHOWN_ERRORS]
    for problem in shown:
        click.echo(f"{file.name}: {problem}", err=True)
    if len(shown) < len(report.problems):
        click.echo(
            f"... and {len(report.problems) - len(shown)} more problems (--all-errors shows them all).",
            err=True,
        )
    click.echo(report.summary())
