"""``flask digest send``: queue the weekly digest now for staff who turned it on and DIGEST_RECIPIENTS
(once per week each)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.services.outreach import digest


@checked_group("digest", help="The weekly digest email to staff (profile opt-in, DIGEST_RECIPIENTS).")
def digest_cli() -> None:
    pass


@digest_cli.command(
    "send",
    epilog=examples("digest send --dry-run", "digest send --week 2026-W44"),
)
@click.option("--week", default=None, help="The ISO week, e.g. 2026-W44 (default: last complete week).")
@click.option("--dry-run", is_flag=True, help="Print the digest and who would get it; send nothing.")
@with_appcontext
def send_command(week: str | None, dry_run: bool) -> None:
    """Queue the digest for each recipient who has not had this week's yet, and send it."""
    try:
        run = digest.send(week, dry_run=dry_run)
    except digest.DigestError as exc:
        raise click.ClickException(str(exc)) from None
    if dry_run:
        # The body without the "why you get this" line: that differs per reader (listed below).
        click.echo(digest.render(run.digest, opted_in=None)[0])
    if not run.queued and not run.already_sent:
        click.echo(digest.no_recipients_reason())
    verb = "Would send" if dry_run else "Queued"
    click.echo(
        f"{run.digest.week}: {verb} to {len(run.queued)} recipient(s)"
        f"{': ' + ', '.join(run.queued) if run.queued else ''}; already sent to {len(run.already_sent)}."
    )
    if dry_run:
        for address in run.queued:
            click.echo(f"  {address}: {run.why[address]}")
