"""The weekly digest email to staff: what the week's departures cost and why, through the outbox,
once per ISO week and recipient."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, render_template
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.jobs import enqueue, job
from feedback_app.models import DepartedCustomer, OutboxEmail, Response, Theme
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import RootCauseFigures, root_cause_figures
from feedback_app.services.integrations.alerts import dashboard_url, recipients
from feedback_app.services.outreach.outbox import queue_email

TOP_CAUSES = 5
QUOTES = 3
QUOTE_CHARS = 300


class DigestError(ValueError):
    """A week the digest cannot be about (bad ``--week``)."""


def parse_week(value: str | None, today: date | None = None) -> tuple[str, date]:
    """``YYYY-Www`` and its Monday; without a value, the last complete week before ``today``."""
    if not value:
        monday = (today or date.today()) - timedelta(days=(today or date.today()).isoweekday() - 1 + 7)
    else:
        try:
            monday = datetime.strptime(value.strip() + "-1", "%G-W%V-%u").date()
        except ValueError:
            raise DigestError(
                f"--week: {value[:20]!r} is not an ISO week in the form YYYY-Www, e.g. 2026-W44."
            ) from None
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", monday


@dataclass
class Digest:
    week: str
    start: date
    end: date
    departures: int = 0
    answers: int = 0
    causes: list[RootCauseFigures] = field(default_factory=list)
    new_themes: list[Theme] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return f"Weekly digest {self.week}: {self.departures} departures, {self.answers} answers"

    def change_points(self, cause: RootCauseFigures) -> str:
        """The share's change against the week before, in words."""
        if cause.trend is None:
            return "no answers the week before"
        points = round(cause.trend * 100)
        return "unchanged" if points == 0 else f"{points:+d} points"


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
    )


def build(week: str | None = None, today: date | None = None) -> Digest:
    """The figures for one ISO week (departure dates), with the week before for the change."""
    key, monday = parse_week(week, today)
    digest = Digest(week=key, start=monday, end=monday + timedelta(days=6))
    since, until = _bounds(digest.start, digest.end)
    digest.departures = (
        db.session.scalar(
            select(func.count(DepartedCustomer.id)).where(
                DepartedCustomer.left_at >= digest.start, DepartedCustomer.left_at <= digest.end
            )
        )
        or 0
    )
    answered = (Response.submitted_at >= since) & (Response.submitted_at < until)
    digest.answers = db.session.scalar(select(func.count(Response.id)).where(answered)) or 0
    digest.causes = root_cause_figures(Filters(start=digest.start, end=digest.end))[:TOP_CAUSES]
    digest.new_themes = list(
        db.session.scalars(
            select(Theme)
            .where(Theme.created_at >= since, Theme.created_at < until, Theme.merged_into_id.is_(None))
            .order_by(Theme.size.desc(), Theme.id)
        )
    )
    texts = db.session.scalars(
        select(Response.redacted_text)
        .where(
            answered,
            Response.redacted_text.is_not(None),
            Response.redacted_text != "",
            Response.text_purged_at.is_(None),
        )
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(QUOTES)
    )
    digest.quotes = [t if len(t) <= QUOTE_CHARS else t[: QUOTE_CHARS - 1] + "…" for t in texts if t]
    return digest


def render(digest: Digest) -> tuple[str, str]:
    """The text and HTML bodies (paired templates)."""
    context = {
        "digest": digest,
        "themes_url": dashboard_url(f"/themes?start={digest.start.isoformat()}&end={digest.end.isoformat()}"),
        "theme_url": lambda theme: dashboard_url(f"/themes/{theme.id}"),
    }
    return (render_template("email/digest.txt", **context), render_template("email/digest.html", **context))


@dataclass
class DigestRun:
    digest: Digest
    queued: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)


def send(week: str | None = None, *, dry_run: bool = False, today: date | None = None) -> DigestRun:
    """Queue the digest for each of ``DIGEST_RECIPIENTS`` not sent it for this week yet."""
    digest = build(week, today)
    run = DigestRun(digest)
    body_text, body_html = render(digest)
    for address in recipients(current_app.config.get("DIGEST_RECIPIENTS") or ""):
        key = f"digest:{digest.week}:{address.lower()}"
        if db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.idempotency_key == key)):
            run.already_sent.append(address)
            continue
        run.queued.append(address)
        if not dry_run:
            queue_email(
                kind="digest",
                idempotency_key=key,
                recipient=address,
                subject=digest.subject,
                body_text=body_text,
                body_html=body_html,
            )
    if run.queued and not dry_run:
        db.session.commit()
        enqueue("outbox.deliver")
    return run


@job("digest.weekly")
def weekly(week: str | None = None) -> dict[str, object]:
    """The periodic digest: run as often as beat likes, each week goes to each recipient once."""
    run = send(week)
    return {"week": run.digest.week, "queued": len(run.queued), "already_sent": len(run.already_sent)}
