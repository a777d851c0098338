"""The weekly digest email to staff: what the week's departures cost and why, the follow-ups
waiting and the action items due or shipped, through the outbox, once per ISO week and recipient.

It goes to every active staff user who turned it on on their profile page, and to the addresses in
``DIGEST_RECIPIENTS`` that are not a staff user's (a team list); a staff user's own setting decides
for their address, so someone who turned it off gets none even when listed there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, render_template
from flask_babel import gettext, ngettext
from sqlalchemy import ColumnElement, func, select

from feedback_app.extensions import db
from feedback_app.jobs import enqueue, job
from feedback_app.models import (
    ActionItem,
    DepartedCustomer,
    FollowUp,
    Invitation,
    OutboxEmail,
    Response,
    StaffUser,
    Theme,
)
from feedback_app.services.accounts.users import digest_subscribers
from feedback_app.services.insights.assignment import current_assignments
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import RootCauseFigures, root_cause_figures
from feedback_app.services.integrations.alerts import dashboard_url, recipients
from feedback_app.services.outreach.outbox import queue_email

TOP_CAUSES = 5
QUOTES = 3
QUOTE_CHARS = 300
#: Answers read at a time while looking for the week's newest themed ones.
QUOTE_BATCH = 100
#: At most this many follow-ups and action items are listed; the count says how many there are.
LISTED = 10
#: Action items not shipped that are due by this many days after the week are "due".
DUE_AHEAD_DAYS = 7


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
    follow_ups_waiting: int = 0
    follow_ups: list[tuple[FollowUp, DepartedCustomer]] = field(default_factory=list)
    actions_due: list[ActionItem] = field(default_factory=list)
    actions_shipped: list[ActionItem] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return gettext(
            "Weekly digest %(week)s: %(departures)s departures, %(answers)s answers",
            week=self.week,
            departures=self.departures,
            answers=self.answers,
        )

    def change_points(self, cause: RootCauseFigures) -> str:
        """The share's change against the week before, in words."""
        if cause.trend is None:
            return gettext("no answers the week before")
        points = round(cause.trend * 100)
        if points == 0:
            return gettext("unchanged")
        signed = format(points, "+d")
        return ngettext("%(change)s point", "%(change)s points", abs(points), change=signed)


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
    digest.quotes = _reasons_in_their_words(answered)
    _add_work(digest, until)
    return digest


def _reasons_in_their_words(answered: ColumnElement[bool]) -> list[str]:
    """The week's newest written reasons, redacted: answers the analysis gave a theme, so a
    non-answer it set aside ("lol no", "x") is never quoted as why someone left."""
    query = (
        select(Response.id, Response.redacted_text)
        .where(
            answered,
            Response.redacted_text.is_not(None),
            Response.redacted_text != "",
            Response.text_purged_at.is_(None),
        )
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    )
    quotes: list[str] = []
    offset = 0
    while len(quotes) < QUOTES:
        batch = db.session.execute(query.offset(offset).limit(QUOTE_BATCH)).all()
        themed = current_assignments([row.id for row in batch])
        quotes += [row.redacted_text for row in batch if row.id in themed and row.redacted_text]
        if len(batch) < QUOTE_BATCH:
            break
        offset += QUOTE_BATCH
    return [t if len(t) <= QUOTE_CHARS else t[: QUOTE_CHARS - 1] + "…" for t in quotes[:QUOTES]]


def _add_work(digest: Digest, until: datetime) -> None:
    """Follow-ups waiting (oldest first) and action items due soon or overdue, or shipped that week."""
    waiting = FollowUp.handled_at.is_(None)
    digest.follow_ups_waiting = db.session.scalar(select(func.count(FollowUp.id)).where(waiting)) or 0
    digest.follow_ups = [
        (follow_up, customer)
        for follow_up, customer in db.session.execute(
            select(FollowUp, DepartedCustomer)
            .join(Response, FollowUp.response_id == Response.id)
            .join(Invitation, Response.invitation_id == Invitation.id)
            .join(DepartedCustomer, Invitation.customer_id == DepartedCustomer.id)
            .where(waiting)
            .order_by(FollowUp.created_at, FollowUp.id)
            .limit(LISTED)
        )
    ]
    digest.actions_due = list(
        db.session.scalars(
            select(ActionItem)
            .where(
                ActionItem.status.not_in(("shipped", "dropped")),
                ActionItem.due_date.is_not(None),
                ActionItem.due_date <= digest.end + timedelta(days=DUE_AHEAD_DAYS),
            )
            .order_by(ActionItem.due_date, ActionItem.id)
            .limit(LISTED)
        )
    )
    since = until - timedelta(days=7)
    digest.actions_shipped = list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.shipped_at >= since, ActionItem.shipped_at < until)
            .order_by(ActionItem.shipped_at, ActionItem.id)
            .limit(LISTED)
        )
    )


def render(digest: Digest, *, opted_in: bool | None = False, people: bool = True) -> tuple[str, str]:
    """The text and HTML bodies (paired templates); ``opted_in`` says why the reader gets it (a
    staff user who turned it on, else an address in ``DIGEST_RECIPIENTS``; ``None``: a preview
    for nobody in particular, without that line), ``people`` whether it names the customers
    waiting for a follow-up (else only their count)."""
    context = {
        "digest": digest,
        "opted_in": opted_in,
        "people": people,
        "profile_url": dashboard_url("/profile"),
        "themes_url": dashboard_url(f"/themes?start={digest.start.isoformat()}&end={digest.end.isoformat()}"),
        "theme_url": lambda theme: dashboard_url(f"/themes/{theme.id}"),
        "follow_ups_url": dashboard_url("/follow-ups"),
        "customer_url": lambda customer: dashboard_url(f"/customers/{customer.id}"),
        "action_url": lambda item: dashboard_url(f"/actions/{item.id}"),
    }
    return (render_template("email/digest.txt", **context), render_template("email/digest.html", **context))


@dataclass
class DigestRun:
    digest: Digest
    queued: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    #: Why each queued address gets it: "turned it on on their profile" or "in DIGEST_RECIPIENTS".
    why: dict[str, str] = field(default_factory=dict)


#: Roles that may see who is waiting for a follow-up: those of the follow-up queue and customer pages.
PEOPLE_ROLES = ("admin", "cx")


@dataclass(frozen=True)
class Recipient:
    address: str
    opted_in: bool  # a staff user who turned it on (else an address in DIGEST_RECIPIENTS)
    people: bool  # named customers waiting for a follow-up, not only their count


def audience() -> list[Recipient]:
    """Who gets the digest: staff who turned it on (names of customers waiting for a follow-up only
    for roles that may open those pages), then ``DIGEST_RECIPIENTS`` addresses that belong to no
    staff user (an admin's list: names included)."""
    staff = {email.lower() for email in db.session.scalars(select(StaffUser.email))}
    chosen = [Recipient(user.email, True, user.role in PEOPLE_ROLES) for user in digest_subscribers()]
    listed = recipients(current_app.config.get("DIGEST_RECIPIENTS") or "")
    return chosen + [Recipient(address, False, True) for address in listed if address.lower() not in staff]


def no_recipients_reason() -> str:
    """Why nobody gets the digest, in the words of the setting that would change it."""
    listed = recipients(current_app.config.get("DIGEST_RECIPIENTS") or "")
    if not listed:
        where = "DIGEST_RECIPIENTS is empty"
    else:
        where = (
            "every address in DIGEST_RECIPIENTS is a staff user's, and their own profile setting "
            "(off) decides for them"
        )
    return (
        f"No recipients: no staff user turned the weekly digest on and {where}. Staff turn it on on "
        f"their profile page ({dashboard_url('/profile')}), or set DIGEST_RECIPIENTS to addresses, "
        "comma-separated (e.g. DIGEST_RECIPIENTS=product@example.com,cx@example.com)."
    )


def send(week: str | None = None, *, dry_run: bool = False, today: date | None = None) -> DigestRun:
    """Queue the digest for everyone in :func:`audience` not sent it for this week yet."""
    digest = build(week, today)
    run = DigestRun(digest)
    bodies = {
        (opted_in, people): render(digest, opted_in=opted_in, people=people)
        for opted_in in (True, False)
        for people in (True, False)
    }
    for recipient in audience():
        address = recipient.address
        key = f"digest:{digest.week}:{address.lower()}"
        if db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.idempotency_key == key)):
            run.already_sent.append(address)
            continue
        run.queued.append(address)
        run.why[address] = "turned it on on their profile" if recipient.opted_in else "in DIGEST_RECIPIENTS"
        if not dry_run:
            body_text, body_html = bodies[(recipient.opted_in, recipient.people)]
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
