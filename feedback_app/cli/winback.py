"""``flask winback``: create, preview, test, send and measure win-back campaigns from the command line."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.cli.ids import ROW_ID
from feedback_app.extensions import db
from feedback_app.models import WinbackCampaign
from feedback_app.services.actions import campaign_email, campaign_results, campaigns
from feedback_app.services.actions.campaign_targets import EXCLUSIONS, Target
from feedback_app.services.actions.reports import money


@checked_group(
    "winback", help="Win-back campaigns with a holdout, the CPR desk's deadlines, and active-customer counts."
)
def winback_cli() -> None:
    pass


def _campaign(campaign_id: int) -> WinbackCampaign:
    campaign = db.session.get(WinbackCampaign, campaign_id)
    if campaign is None:
        raise click.BadParameter(f"no campaign with id {campaign_id}", param_hint="CAMPAIGN_ID")
    return campaign


def _fail(error: campaigns.CampaignError) -> click.ClickException:
    return click.ClickException("\n".join(f"{f}: {m}" if f else m for f, m in error.problems))


@winback_cli.command(
    "create",
    epilog=examples(
        'winback create --name "Price leavers" --cause price --offer "20% off for 6 months" --code COMEBACK20 --value 120 --days 30 --landing-url https://example.com/offer'
    ),
)
@click.option("--name", required=True, help='The campaign\'s name on the dashboard, e.g. "Price leavers".')
@click.option("--cause", "causes", multiple=True, help="Root cause key (repeat for several), e.g. price.")
@click.option(
    "--theme",
    "themes",
    multiple=True,
    type=ROW_ID,
    help="Theme id (repeat for several).",
)
@click.option(
    "--segment", "segments", multiple=True, help="Only customers in this segment (repeat for several)."
)
@click.option("--plan", "plans", multiple=True, help="Only customers on this plan (repeat for several).")
@click.option("--ltv-min", default=None, help="Lifetime value from, e.g. 500.")
@click.option("--ltv-max", default=None, help="Lifetime value up to, e.g. 5000.")
@click.option(
    "--left-from",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Only customers who left on or after this day.",
)
@click.option(
    "--left-to",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Only customers who left on or before this day.",
)
@click.option(
    "--holdout", default=10, type=click.IntRange(0, 50), show_default=True, help="Percent held out."
)
@click.option("--offer", "offer_text", required=True, help='e.g. "20% off for 6 months".')
@click.option("--code", default=None, help="The offer's code, e.g. COMEBACK20 ({code} in the email).")
@click.option("--value", default="0", help="What the offer costs for one returning customer, e.g. 120.")
@click.option(
    "--deadline",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day the offer holds (after today); or give --days.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Deadline this many days from today, 1 to 3650 (instead of --deadline).",
)
@click.option(
    "--subject",
    default=campaign_email.DEFAULT_SUBJECT,
    show_default=True,
    help="The email's subject; placeholders {first_name} {offer} {code} {value} {deadline} {company}.",
)
@click.option(
    "--body-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="UTF-8 text file with the email's body (placeholders as --subject, and {link}); default: the built-in one.",
)
@click.option("--landing-url", required=True, help="Where the offer link leads.")
@with_appcontext
def create_command(
    name: str,
    causes: tuple[str, ...],
    themes: tuple[int, ...],
    segments: tuple[str, ...],
    plans: tuple[str, ...],
    ltv_min: str | None,
    ltv_max: str | None,
    left_from: datetime | None,
    left_to: datetime | None,
    holdout: int,
    offer_text: str,
    code: str | None,
    value: str,
    deadline: datetime | None,
    days: int | None,
    subject: str,
    body_file: Path | None,
    landing_url: str,
) -> None:
    """Save a draft campaign; prints its id."""
    try:
        target = Target(
            causes=list(causes),
            theme_ids=list(themes),
            segments=list(segments),
            plans=list(plans),
            ltv_min_cents=campaigns.parse_money(ltv_min, "--ltv-min"),
            ltv_max_cents=campaigns.parse_money(ltv_max, "--ltv-max"),
            left_from=left_from.date() if left_from else None,
            left_to=left_to.date() if left_to else None,
        )
        end = (
            deadline.date()
            if deadline
            else (date.today() + timedelta(days=days) if days is not None else None)
        )
        data = campaigns.CampaignInput(
            name=name,
            target=target,
            offer_text=offer_text,
            offer_deadline=end,
            offer_value_cents=campaigns.parse_money(value, "--value") or 0,
            offer_code=code,
            holdout_share=holdout / 100,
            subject=subject,
            body=body_file.read_text(encoding="utf-8") if body_file else campaign_email.DEFAULT_BODY,
            landing_url=landing_url,
        )
        campaign = campaigns.create(data, actor="cli")
    except campaigns.CampaignError as exc:
        raise _fail(exc) from None
    click.echo(f"Campaign {campaign.id} saved as a draft (holdout seed {campaign.seed}).")


@winback_cli.command(
    "list",
    epilog=examples("winback list"),
)
@with_appcontext
def list_command() -> None:
    """Every campaign, newest first."""
    page = campaigns.all_campaigns(per_page=1000)
    if not page.items:
        click.echo("No campaigns yet; create one with `flask winback create`.")
    for c in page.items:
        click.echo(f"{c.id}\t{c.status}\t{c.offer_deadline.isoformat()}\t{c.name}")


@winback_cli.command(
    "preview",
    epilog=examples("winback preview 2"),
)
@click.argument("campaign_id", type=ROW_ID)
@with_appcontext
def preview_command(campaign_id: int) -> None:
    """Who would get the offer, who is held out, who is left out and why, and the first email. CAMPAIGN_ID: its id in `flask winback list`."""
    preview = campaigns.preview(_campaign(campaign_id))
    click.echo(f"Offer: {len(preview.offer)} customer(s); holdout: {len(preview.holdout)} (get nothing).")
    for key, count in preview.selection.excluded.items():
        if count:
            click.echo(f"Left out, {EXCLUSIONS[key]}: {count}")
    if preview.sample:
        click.echo(f"\nSubject: {preview.sample[0]}\n\n{preview.sample[1]}")


@winback_cli.command(
    "test-send",
    epilog=examples("winback test-send 2 me@example.com"),
)
@click.argument("campaign_id", type=ROW_ID)
@click.argument("address")
@with_appcontext
def test_send_command(campaign_id: int, address: str) -> None:
    """Send the email with sample values to ADDRESS. CAMPAIGN_ID: its id in `flask winback list`."""
    try:
        campaigns.test_send(_campaign(campaign_id), address, actor="cli")
    except campaigns.CampaignError as exc:
        raise _fail(exc) from None
    click.echo(f"Test email queued to {address}.")


@winback_cli.command(
    "send",
    epilog=examples("winback send 2"),
)
@click.argument("campaign_id", type=ROW_ID)
@with_appcontext
def send_command(campaign_id: int) -> None:
    """Queue the offer to everyone in the offer arm not mailed yet (safe to run again). CAMPAIGN_ID: its id in `flask winback list`."""
    try:
        report = campaigns.send(_campaign(campaign_id), actor="cli")
    except campaigns.CampaignError as exc:
        raise _fail(exc) from None
    click.echo(
        f"Queued {report.queued} email(s); {report.held_out} in the holdout got nothing; "
        f"{report.already} already had it."
    )


@winback_cli.command(
    "results",
    epilog=examples("winback results 2"),
)
@click.argument("campaign_id", type=ROW_ID)
@with_appcontext
def results_command(campaign_id: int) -> None:
    """Sent, opened, clicked and returned per arm, the lift with its interval, revenue and cost. CAMPAIGN_ID: its id in `flask winback list`."""
    r = campaign_results.results(_campaign(campaign_id))
    click.echo("arm\tcustomers\tsent\topened\tclicked\treturned")
    for label, arm in (("offer", r.offer), ("holdout", r.holdout)):
        click.echo(f"{label}\t{arm.customers}\t{arm.sent}\t{arm.opened}\t{arm.clicked}\t{arm.returned}")
    d = r.lift
    if d.difference is None or d.low is None or d.high is None:  # all None when an arm is empty
        click.echo("Lift: needs customers in both arms.")
    else:
        click.echo(
            f"Lift: {d.difference * 100:+.1f} pts (95% interval {d.low * 100:+.1f} to {d.high * 100:+.1f} pts)"
            + (" - small arms, a rough sign only" if r.too_small else "")
        )
    click.echo(
        f"Revenue regained so far: {money(r.offer.realised_cents)}; estimated second LTV: "
        f"{money(r.offer.estimated_cents)}; offer cost: {money(r.offer_cost_cents)}"
    )


@winback_cli.command(
    "expire-offers",
    epilog=examples("winback expire-offers"),
)
@with_appcontext
def expire_offers_command() -> None:
    """Mark CPR offers past their deadline as expired (also run by beat, BEAT_EXPIRE_OFFERS_SECONDS)."""
    from feedback_app.services.actions import cpr

    click.echo(f"{cpr.expire_offers()} offer(s) expired.")


@winback_cli.command(
    "counts-import",
    epilog=examples("winback counts-import counts.csv"),
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def counts_import_command(path: Path) -> None:
    """Import active-customer counts per month from PATH (CSV: month, active_customers[, segment, plan, mrr,
    new_customers]; month as 2026-09; a month uploaded again is replaced)."""
    from feedback_app.services.insights import churn_rates

    report = churn_rates.import_csv(path.read_bytes(), actor="cli")
    for problem in report.problems:
        click.echo(f"Not saved: {path.name}: {problem}", err=True)  # which file, as the other importers say
    click.echo(f"Saved {report.saved} count(s); {len(report.problems)} problem(s).")
    if report.problems and not report.saved:
        raise SystemExit(1)


@winback_cli.command(
    "ledger",
    epilog=examples("winback ledger"),
)
@with_appcontext
def ledger_command() -> None:
    """What followed each shipped fix: departures on its cause before and after, returns and revenue."""
    from feedback_app.services.actions import ledger

    entries = ledger.ledger()
    if not entries:
        click.echo("No shipped action items yet.")

    def share(window: Any) -> str:
        return "–" if window.share is None else f"{window.share:.0%}"

    def contribution(window: Any) -> str:
        if window.contribution is None:
            return "– (no active count for these months)"
        low_high = window.contribution_interval
        bounds = f" ({low_high[0]:.2%}–{low_high[1]:.2%})" if low_high else ""
        return f"{window.contribution:.2%}{bounds}"

    for e in entries:
        click.echo(
            f"{e.item.title} (shipped {e.shipped.isoformat()}, {e.days}-day windows): on its cause "
            f"{e.before.on_cause}/{e.before.answered} answered departures before ({share(e.before)}), "
            f"{e.after.on_cause}/{e.after.answered} after ({share(e.after)})"
            + ("; too small to tell" if e.too_small else "")
        )
        click.echo(
            f"  Churn contribution (share x churn rate, % per month): {contribution(e.before)} before, "
            f"{contribution(e.after)} after"
        )
        click.echo(
            f"  'We fixed it': {e.emailed.came_back} of {e.emailed.customers} came back, realised "
            f"{money(e.emailed.realised_cents)}; comparable group {e.comparable.came_back} of "
            f"{e.comparable.customers}. Win-backs on the cause: {e.winback.came_back} back, realised "
            f"{money(e.winback.realised_cents)}, estimated {money(e.winback.estimated_cents)}."
        )
