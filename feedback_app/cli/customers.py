"""``flask customers import``: bring departed customers in from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.services.customers.csv_import import CsvFileError, import_csv

if TYPE_CHECKING:
    from tqdm import tqdm

SHOWN_ERRORS = 50


@checked_group(
    "customers",
    help="Departed customers: import who left; export or erase one person's data (privacy requests).",
)
def customers_cli() -> None:
    pass


@customers_cli.command(
    "import",
    epilog=examples(
        "customers import departed.csv --dry-run",
        "customers import departed.csv",
        "customers import crm-export.csv --source crm --map 'Ended On=left_at' --map 'Notes=ignore'",
    ),
)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source",
    default="csv",
    show_default=True,
    help="Where the rows come from (e.g. crm, billing); customers are matched on source + external_id.",
)
@click.option("--dry-run", is_flag=True, help="Check every row and show what would change, but save nothing.")
@click.option(
    "--all-errors", is_flag=True, help=f"Print every row error (default: the first {SHOWN_ERRORS})."
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="'COLUMN=FIELD'",
    help="Read the file's COLUMN as FIELD (or 'ignore' it), e.g. --map 'Canceled At (UTC)=left_at'; "
    "repeatable. Columns not named here are matched by name.",
)
@with_appcontext
def import_command(
    csv_file: Path, source: str, dry_run: bool, all_errors: bool, maps: tuple[str, ...]
) -> None:
    """Import departed customers from CSV_FILE (a header line, then one customer a line).

    Fields: external_id, email, phone, name, company, plan, segment, monthly_revenue,
    lifetime_value, tenure_months, left_at (at most a year ahead), churn_type, contact_consent,
    returned_at, language (or locale: es, pt-BR; the survey's and the emails' language).
    Required: external_id, email, left_at. A name in two columns ("First Name", "Last Name",
    "Vorname"/"Nachname") is joined into name when no single name column exists (or --map them
    to first_name and last_name).

    A column named as a field, or as another tool names it ("Customer ID", "Email", "Canceled At
    (UTC)", "MRR": docs/intake.md), is read as that field; --map names the others; the rest are
    ignored and listed. --dry-run prints which column gives which field. UTF-8, or Windows-1252
    (Excel's CSV on Windows) with a notice. Bad rows are reported and skipped; re-importing a file
    changes nothing.
    """
    data = csv_file.read_bytes()
    bar = _progress_bar(data)
    try:
        report = import_csv(
            data,
            source=source,
            dry_run=dry_run,
            actor="cli",
            filename=csv_file.name,
            progress=bar.update if bar else None,
            map_names=_pairs(maps),
        )
    except CsvFileError as exc:
        raise click.ClickException(f"{csv_file}: {exc}") from None
    finally:
        if bar:
            bar.close()
    for notice in report.notices:
        click.echo(f"{csv_file.name}: {notice}", err=True)
    if report.mapping and dry_run:
        click.echo("Columns (--map 'COLUMN=FIELD' changes one):")
        for line in report.mapping.describe():
            click.echo(f"  {line}")
    elif report.mapping and report.mapping.ignored:
        click.echo(f"Ignored columns: {', '.join(map(repr, report.mapping.ignored))}.")
    shown = report.errors if all_errors else report.errors[:SHOWN_ERRORS]
    for problem in shown:
        click.echo(f"{csv_file.name}: {problem}", err=True)
    if len(shown) < len(report.errors):
        click.echo(
            f"... and {len(report.errors) - len(shown)} more errors (--all-errors shows them all).", err=True
        )
    click.echo(report.summary())


def _pairs(maps: tuple[str, ...]) -> dict[str, str]:
    """``--map`` values as {column: field}; the field is after the last '=' (a column may hold one)."""
    pairs: dict[str, str] = {}
    for value in maps:
        column, sep, field = value.rpartition("=")
        if not sep or not column.strip():
            raise click.BadParameter(f"{value!r}: write it as 'COLUMN=FIELD'.", param_hint="--map")
        if pairs.get(column, field) != field:
            raise click.BadParameter(f"{value!r}: column {column!r} is mapped twice.", param_hint="--map")
        pairs[column] = field
    return pairs


def _progress_bar(data: bytes) -> tqdm | None:
    """A tqdm bar on stderr for files over a few thousand rows, only when a person is watching."""
    if not sys.stderr.isatty():
        return None
    rows = data.count(b"\n")
    if rows < 5000:
        return None
    from tqdm import tqdm

    return tqdm(total=rows, unit="rows", desc="Importing", file=sys.stderr, leave=False)
