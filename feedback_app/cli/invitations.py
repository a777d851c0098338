"""``flask invitations``: invite departed customers to a survey, remind, auto-invite."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.services.outreach import invitations as service

DATE = click.DateTime(formats=["%Y-%m-%d"])


@checked_group(
    "invitations", help="Survey invitations: create them (with their emails), remind, auto-invite."
)
def invitations_cli() -> None:
    pass


@invitations_cli.command(
    "create",
    epilog=examples(
        "invitations create --survey saas_cancellation --dry-run",
        "invitations create --survey saas_cancellation --left-since 2026-10-01 --plan team",
    ),
)
@click.option("--survey", "survey_key", required=True, help="The survey's key, e.g. saas_cancellation.")
@click.option("--left-since", type=DATE, help="Only customers who left on or after this day (YYYY-MM-DD).")
@click.option("--left-before", type=DATE, help="Only customers who left before this day (YYYY-MM-DD).")
@click.option("--segment", help="Only customers in this segment.")
@click.option("--plan", help="Only customers on this plan.")
@click.option(
    "--include-involuntary", is_flag=True, help="Also invite involuntary departures (e.g. failed payment)."
)
@click.option(
    "--dry-run", is_flag=True, help="Count who would be invited and why others are skipped; change nothing."
)
@with_appcontext
def create_command(
    survey_key: str,
    left_since: datetime | None,
    left_before: datetime | None,
    segment: str | None,
    plan: str | None,
    include_involuntary: bool,
    dry_run: bool,
) -> None:
    """Create one invitation and one queued email per eligible departed customer.

    Eligible: has an email address, not opted out, not bounced, not erased, not back as a
    customer, not already invited to this survey, not involuntary unless asked, and has left:
    a departure dated ahead (cancelled at the end of a paid period) waits for its day. The emails
    go out with `flask outbox deliver` (or the background job).
    """
    filters = service.InvitationFilters(
        left_since=left_since.date() if left_since else None,
        left_before=left_before.date() if left_before else None,
        segment=segment,
        plan=plan,
        include_involuntary=include_involuntary,
    )
    try:
        run = service.create_invitations(survey_key, filters, dry_run=dry_run, actor="cli")
    except service.InvitationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(run.summary())
    if run.created:
        click.echo("Emails queued; send them with: flask --app wsgi outbox deliver")


@invitations_cli.command(
    "remind",
    epilog=examples("invitations remind --dry-run", "invitations remind --after-days 5 --max-reminders 1"),
)
@click.option(
    "--after-days",
    type=click.IntRange(0, 3650),
    help="Remind when the last email is older than N days [default: REMINDER_AFTER_DAYS].",
)
@click.option(
    "--max-reminders",
    type=click.IntRange(0, 100),  # compared in SQL: a larger number overflowed the driver
    help="At most M reminders per invitation [default: REMINDER_MAX].",
)
@click.option("--dry-run", is_flag=True, help="Count who would be reminded; change nothing.")
@with_appcontext
def remind_command(after_days: int | None, max_reminders: int | None, dry_run: bool) -> None:
    """Queue a reminder for invitations that were sent but not answered.

    Never to a customer who completed the survey, opted out, bounced or was erased.
    """
    run = service.queue_reminders(after_days, max_reminders, dry_run=dry_run, actor="cli")
    if dry_run:
        click.echo(f"Would queue {run.queued} reminders.")
        return
    click.echo(
        f"Queued {run.queued} reminders ({run.reused_links} with the original link, "
        f"{run.rotated_links} with a fresh link)."
    )


@invitations_cli.command(
    "auto",
    epilog=examples("invitations auto"),
)
@with_appcontext
def auto_command() -> None:
    """Invite new departures whose survey's auto-invite delay has passed (surveys with a delay set)."""
    runs = service.auto_invite(actor="cli")
    if not runs:
        click.echo(
            "No active survey has an auto-invite delay; nothing to do. Turn it on with "
            "`flask --app wsgi invitations auto-setup --survey KEY --after-hours 24`."
        )
    for run in runs:
        click.echo(run.summary())


@invitations_cli.command(
    "auto-setup",
    epilog=examples(
        "invitations auto-setup --survey saas_cancellation --after-hours 24",
        "invitations auto-setup --survey saas_cancellation --off",
    ),
)
@click.option("--survey", "survey_key", required=True, help="The survey's key, e.g. saas_cancellation.")
@click.option(
    "--after-hours",
    type=int,
    help="Invite each new departure this many hours after it is recorded (0: at once).",
)
@click.option("--off", is_flag=True, help="Stop inviting this survey's new departures automatically.")
@with_appcontext
def auto_setup_command(survey_key: str, after_hours: int | None, off: bool) -> None:
    """Turn automatic invitations on (or off) for one survey: each departure from the API, a CSV or
    a billing webhook is invited after the delay (those recorded in the last AUTO_INVITE_LOOKBACK_DAYS
    and not invited yet included)."""
    if off == (after_hours is not None):
        raise click.UsageError("Give either --after-hours N or --off.")
    try:
        survey = service.set_auto_invite(survey_key, None if off else after_hours, actor="cli")
    except service.InvitationError as exc:
        raise click.ClickException(str(exc)) from None
    if survey.auto_invite_delay_hours is None:
        click.echo(f"Survey {survey.key}: new departures are no longer invited automatically.")
        return
    lookback = current_app.config["AUTO_INVITE_LOOKBACK_DAYS"]
    click.echo(
        f"Survey {survey.key}: each new departure is invited {survey.auto_invite_delay_hours} hours after "
        f"it is recorded, and so are those recorded in the last {lookback} days and not invited yet. "
        "A billing webhook's departure starts it at once; the delay is checked by `make beat` every "
        "BEAT_AUTO_INVITE_SECONDS, or by `flask --app wsgi invitations auto` from cron."
    )
