"""``flask outbox``: deliver queued emails and see where they stand."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.cli.ids import ROW_ID
from feedback_app.models import EMAIL_STATUSES
from feedback_app.services.outreach import outbox, outbox_admin


@checked_group("outbox", help="Queued email: deliver it, see its status, requeue or retry.")
def outbox_cli() -> None:
    pass


@outbox_cli.command(
    "deliver",
    epilog=examples("outbox deliver", "outbox deliver --limit 100"),
)
@click.option("--limit", type=click.IntRange(min=1), help="Send at most N emails in this run.")
@with_appcontext
def deliver_command(limit: int | None) -> None:
    """Send due pending emails through MAIL_TRANSPORT (safe to run in several processes at once)."""
    report = outbox.deliver(limit=limit)
    click.echo(
        f"Sent {report.sent}, retrying later {report.retrying}, failed {report.failed}, "
        f"bounced {report.bounced}, cancelled {report.cancelled}."
    )
    for error in report.errors[:20]:
        click.echo(f"  {error}", err=True)
    if report.unreachable:
        raise click.ClickException(
            f"Stopped: the mail server could not be reached ({report.unreachable}). "
            "Nothing was lost; the emails stay queued."
        )
    if report.slot_error:
        raise click.ClickException(
            f"Stopped: {report.slot_error}. Nothing was sent twice or lost; the emails stay queued "
            "for the next run."
        )


@outbox_cli.command(
    "status",
    epilog=examples("outbox status"),
)
@with_appcontext
def status_command() -> None:
    """Counts by kind and status, what is due now, and claims whose outcome is unknown."""
    counts = outbox_admin.status_counts()
    click.echo(f"{'kind':<12}" + "".join(f"{status:>11}" for status in EMAIL_STATUSES))
    for kind, row in counts["by_kind"].items():
        click.echo(f"{kind:<12}" + "".join(f"{row[status]:>11}" for status in EMAIL_STATUSES))
    click.echo(f"{'total':<12}" + "".join(f"{counts['totals'][status]:>11}" for status in EMAIL_STATUSES))
    click.echo(f"Due now: {counts['due']}.")
    if counts["stale"]:
        click.echo(
            f"Outcome unknown (claimed longer ago than MAIL_CLAIM_LEASE_SECONDS): {counts['stale']}; "
            "check the mail server's log for their Message-IDs, then `flask outbox requeue` if not sent."
        )


@outbox_cli.command(
    "requeue",
    epilog=examples("outbox requeue", "outbox requeue --older-than 600"),
)
@click.option(
    "--older-than",
    type=click.IntRange(0, 10**8),
    help="Claim age in seconds [default: MAIL_CLAIM_LEASE_SECONDS].",
)
@with_appcontext
def requeue_command(older_than: int | None) -> None:
    """Put emails whose sender died mid-send back in the queue (they may arrive twice)."""
    count = outbox_admin.requeue_stale(older_than, actor="cli")
    click.echo(f"Requeued {count} emails.")


@outbox_cli.command(
    "retry",
    epilog=examples("outbox retry 17"),
)
@click.argument("email_id", type=ROW_ID)
@with_appcontext
def retry_command(email_id: int) -> None:
    """Queue a failed or cancelled email again (not for an address that bounced).

    EMAIL_ID: the number the Email page (/dashboard/outbox) shows beside it, e.g. #17.
    """
    try:
        outbox_admin.retry(email_id, actor="cli")
    except outbox_admin.RetryRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Email {email_id} queued again.")
