"""``flask analyze`` (run the theme analysis) and ``flask report`` (export the root-cause summary)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from tqdm import tqdm

from feedback_app.cli.args import checked_group, examples
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.actions import reports
from feedback_app.services.insights import pipeline, runs
from feedback_app.services.insights.filters import Filters, filter_choices, parse_date


@checked_group("analyze", help="Group the free-text reasons for leaving into root-cause themes.")
def analyze_cli() -> None:
    pass


@analyze_cli.command(
    "run",
    epilog=examples("analyze run", "analyze run --survey saas_cancellation --since 2026-10-01"),
)
@click.option("--survey", "survey_key", default=None, help="Only answers to this survey (its key).")
@click.option(
    "--since", default=None, metavar="YYYY-MM-DD", help="Only answers submitted on or after this date."
)
@with_appcontext
def run_command(survey_key: str | None, since: str | None) -> None:
    """Run the analysis now, in this process, with a progress bar; keeps curation and theme ids."""
    try:
        since_date = parse_date(since, "--since")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    if not pipeline.pipeline_available():
        raise click.ClickException(
            "The nlp package is not importable here; install the project's dependencies."
        )
    if survey_key and survey_key not in filter_choices()["survey"]:
        raise click.BadParameter(f"no survey with key {survey_key!r}", param_hint="--survey")
    try:
        run = runs.queue_run(survey_key=survey_key, since=since_date, actor="cli")
    except runs.AnalysisError as exc:
        raise click.ClickException(str(exc)) from None
    with tqdm(total=100, unit="%", desc="starting", bar_format="{desc:<28} {bar} {n:3.0f}%") as bar:

        def progress(stage: str, fraction: float) -> None:
            bar.set_description_str(stage[:28])
            bar.n = round(fraction * 100)
            bar.refresh()

        run = runs.execute_run(run.id, progress=progress)
    if run.status != "succeeded":
        raise click.ClickException(f"Analysis run {run.id} failed: {run.error}")
    counts = run.counts
    click.echo(
        f"Run {run.id}: {counts['answers']} answers, {counts['themes']} themes, "
        f"{counts['non_answers']} non-answers, {len(counts.get('new_theme_keys', []))} new themes."
    )
    for skipped in counts.get("skipped", []):
        click.echo(f"Response {skipped['response_id']} left out: {skipped['reason']}.", err=True)


@checked_group("report", help="Export the product root-cause summary and the action plan.")
def report_cli() -> None:
    pass


@report_cli.command(
    "export",
    epilog=examples(
        "report export", "report export --format csv --out summary.csv --start 2026-07-01 --end 2026-09-30"
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(reports.FORMATS),
    default="md",
    show_default=True,
    help="md (Markdown), html, csv (one row per theme) or json, as the summary page's downloads.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option(
    "--start",
    default=None,
    metavar="YYYY-MM-DD",
    help="Only customers who left on or after this date (default: no bound; the summary page opens on the last 180 days).",
)
@click.option(
    "--end", default=None, metavar="YYYY-MM-DD", help="Only customers who left on or before this date."
)
@with_appcontext
def export_command(fmt: str, out: Path | None, start: str | None, end: str | None) -> None:
    """Per theme: what customers say, how many, how much revenue, since when, quotes, actions."""
    try:
        filters = Filters(start=parse_date(start, "--start"), end=parse_date(end, "--end"))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    text = reports.export(fmt, filters)
    if out is None:
        click.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:  # a folder, a name too long, no permission: said, not a traceback
            raise click.ClickException(f"Could not write {str(out)[:80]!r}: {exc.strerror}.") from None
        click.echo(f"Wrote {fmt} summary to {out}", err=True)


@report_cli.command(
    "propose-actions",
    epilog=examples("report propose-actions --top 3"),
)
@click.option(
    "--top",
    default=5,
    type=click.IntRange(min=1),
    show_default=True,
    help="How many top themes (by monthly revenue lost).",
)
@with_appcontext
def propose_command(top: int) -> None:
    """Propose action-plan items for the top themes that have none yet."""
    try:
        created = action_plan.propose(top=top, actor="cli")
    except action_plan.PlaybookError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Proposed {len(created)} action item(s).")
    for item in created:
        click.echo(f"  #{item.id} {item.title} ({item.owner_team}, due {item.due_date})")


@report_cli.command(
    "send-booked",
    epilog=examples("report send-booked"),
)
@with_appcontext
def send_booked_command() -> None:
    """Send the we-fixed-it emails whose booked time has come (Celery beat does this every
    BEAT_CLOSE_LOOP_SECONDS; use this where no beat runs, e.g. from cron)."""
    from feedback_app.services.actions import close_loop_schedule

    click.echo(f"Queued {close_loop_schedule.send_due()} booked email(s).")
