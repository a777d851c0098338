"""Finding the invitation behind a survey link, and recording that it was opened.

Tokens are looked up by their SHA-256 only. An unknown, revoked or expired token finds nothing,
and the caller answers all three the same way (a friendly 404 that reveals nothing).

Two ways to look a token up: ``find_link`` reads everything the survey pages show in one narrow
Core query (no ORM objects: a page view is the hottest path in the app), and ``find_invitation``
loads the ORM invitation for the code that changes it (submitting, opting out).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import ContextManager

from sqlalchemy import bindparam, case, func, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.orm import joinedload

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, Survey, utcnow
from feedback_app.services.database import autocommit_connection
from feedback_app.services.direct_select import DirectSelect
from feedback_app.services.link_opens import opened_marks
from feedback_app.services.outreach.tokens import hash_token
from feedback_app.services.version_index import current_and_answered

#: Longest token we bother hashing; real ones are 43 characters.
MAX_TOKEN_LENGTH = 200
#: Statuses that become "opened" on the first view (a completed or revoked one stays).
OPENABLE_STATUSES = ("pending", "sent", "bounced")


def find_invitation(token: str, *, now: datetime | None = None) -> Invitation | None:
    """The live invitation for a raw token, or None when unknown, revoked or expired."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    # One query for everything the survey page shows: the person, the survey and its versions.
    query = (select(Invitation)
             .options(joinedload(Invitation.customer), joinedload(Invitation.survey).joinedload(Survey.versions))
             .where(Invitation.token_hash == hash_token(token)))
    invitation = db.session.scalars(query).unique().one_or_none()  # token_hash is unique
    if invitation is None or invitation.revoked_at is not None or invitation.status == "revoked":
        return None
    now = now or utcnow()
    if invitation.expires_at is not None and invitation.expires_at <= now:
        return None
    return invitation


@dataclass(frozen=True, slots=True)
class LinkCustomer:
    """The former customer behind a link: what the pages greet and what the follow-up rule reads
    (``answers.may_contact`` and ``follow_ups`` take it where they take a ``DepartedCustomer``)."""

    name: str | None
    email: str | None
    contact_consent: bool
    opted_out: bool
    email_bounced_at: datetime | None
    erased_at: datetime | None
    lifetime_value_cents: int | None


@dataclass(frozen=True, slots=True)
class SurveyLink:
    """What the survey pages need about a live link, read in one query (see ``find_link``)."""

    invitation_id: int
    opened_at: datetime | None
    completed_at: datetime | None
    survey_id: int
    survey_key: str
    #: The survey's current version: its number, row id and content fingerprint.
    version: int
    version_id: int
    definition_hash: str
    customer: LinkCustomer
    #: The stored response, if any, and the version it answered.
    response_id: int | None
    response_submitted_at: datetime | None
    response_version: int | None
    response_version_id: int | None
    response_definition_hash: str | None

    @property
    def first_name(self) -> str | None:
        """The first word of the name, as ``DepartedCustomer.first_name`` has it."""
        return self.customer.name.split()[0] if self.customer.name else None


#: One row per live link. The two versions the pages need (the current one, and the one an answer
#: was given on) come from ``version_index`` rather than two more joins.
_LINK_QUERY = (
    select(Invitation.id, Invitation.status, Invitation.revoked_at, Invitation.expires_at, Invitation.opened_at,
           Invitation.completed_at, Survey.id, Survey.key, Survey.current_version, Survey.created_at, Survey.updated_at,
           DepartedCustomer.name, DepartedCustomer.email, DepartedCustomer.contact_consent,
           DepartedCustomer.opted_out, DepartedCustomer.email_bounced_at, DepartedCustomer.erased_at,
           DepartedCustomer.lifetime_value_cents, Response.id, Response.submitted_at, Response.survey_version_id)
    .join(DepartedCustomer, DepartedCustomer.id == Invitation.customer_id)
    .join(Survey, Survey.id == Invitation.survey_id)
    .outerjoin(Response, Response.invitation_id == Invitation.id)
    .where(Invitation.token_hash == bindparam("token_hash", type_=Invitation.token_hash.type))
)
#: The page views' lookup, read straight on the driver's cursor (see ``direct_select``).
_DIRECT_LINK_QUERY = DirectSelect(_LINK_QUERY)
#: An opened link's new status: "opened" unless it was already answered or revoked. (An OR, not
#: IN: an expanding IN cannot run as executemany, which ``write_opened`` uses on SQLite.)
_OPENED_STATUS = case((or_(*(Invitation.status == status for status in OPENABLE_STATUSES)), "opened"),
                      else_=Invitation.status)
#: Built once: a statement built per request spends more time in SQLAlchemy's cache-key and
#: result-adaptation code than the database spends running it.
_OPENED_STATEMENT = (
    update(Invitation)
    .where(Invitation.id == bindparam("invitation_id", type_=Invitation.id.type), Invitation.opened_at.is_(None))
    .values(opened_at=bindparam("opened_now", type_=Invitation.opened_at.type), status=_OPENED_STATUS)
)


_BATCH = (func.unnest(bindparam("ids", type_=postgresql.ARRAY(Invitation.id.type)),
                      bindparam("opened", type_=postgresql.ARRAY(Invitation.opened_at.type)))
          .table_valued("invitation_id", "opened_at").render_derived(name="batch"))
#: PostgreSQL: every mark of a batch in one statement (see ``write_opened``).
_OPENED_BATCH_STATEMENT = (
    update(Invitation)
    .where(Invitation.id == _BATCH.c.invitation_id, Invitation.opened_at.is_(None))
    .values(opened_at=_BATCH.c.opened_at, status=_OPENED_STATUS)
)
#: Run first in the batch's transaction: it leaves the planner one join, each mark found by primary
#: key. Planned with the batch's own values, it may hash the batch against a scan of the whole
#: invitation table once a batch has a few hundred marks, more readily as the statistics on
#: ``opened_at`` go stale (they do within seconds while links are being opened), at a cost that
#: grows with the table. That is how each pooled connection's first batches are planned: psycopg
#: prepares the statement from its sixth run, and PostgreSQL then settles on a generic plan,
#: which is already this one. ``bench/opened_marks.py`` measures both ways.
OPENED_BATCH_PLAN = "SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)"


def find_link(token: str, *, now: datetime | None = None, read_only: bool = False) -> SurveyLink | None:
    """The live link for a raw token (same rules as ``find_invitation``), read in one Core query.

    By default it runs on the session's connection, so it shares the request's transaction. It
    builds no ORM objects: loading and identity-mapping four of them was most of a page view's database cost.
    ``read_only`` is for a request that goes on to write at most single statements (a page view,
    the thank-you page, a submission whose writes start their own transaction): it reads outside
    a transaction, straight on a pooled driver connection (``direct_select``).
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    if read_only:
        row = _DIRECT_LINK_QUERY.first({"token_hash": hash_token(token)})
        reload_on = autocommit_connection
    else:
        row = db.session.connection().execute(_LINK_QUERY, {"token_hash": hash_token(token)}).first()
        reload_on = _session_connection
    if row is None:
        return None
    (invitation_id, status, revoked_at, expires_at, opened_at, completed_at, survey_id, survey_key, current_number,
     survey_created_at, survey_updated_at, name, email, consent, opted_out, bounced_at, erased_at, lifetime_value,
     response_id, submitted_at, answered_version_id) = row
    if revoked_at is not None or status == "revoked":
        return None
    if expires_at is not None and expires_at <= (now or utcnow()):
        return None
    current, answered = current_and_answered(survey_id, survey_created_at, survey_updated_at, current_number,
                                             answered_version_id, reload_on)
    if current is None:  # a survey without its current version's row: nothing to show
        return None
    customer = LinkCustomer(name, email, bool(consent), bool(opted_out), bounced_at, erased_at, lifetime_value)
    return SurveyLink(invitation_id, opened_at, completed_at, survey_id, survey_key, current.number,
                      current.version_id, current.definition_hash, customer, response_id, submitted_at,
                      answered.number if answered else None, answered.version_id if answered else None,
                      answered.definition_hash if answered else None)


def _session_connection() -> ContextManager[Connection]:
    """The session's connection, left open (it belongs to the request's transaction)."""
    return nullcontext(db.session.connection())


def record_link_opened(link: SurveyLink) -> None:
    """Record the first opening of a link: nothing at all once it was opened; else the mark goes
    to the write-behind buffer (``link_opens``), or with no delay configured one Core UPDATE runs
    now, on its own in autocommit (one round trip). The UPDATE only matches
    while ``opened_at`` is empty, so two tabs opening the link at once cannot both record it."""
    if link.opened_at is not None:
        return
    now = utcnow()
    marks = opened_marks()
    if marks is not None:
        marks.add(link.invitation_id, now)
        return
    with autocommit_connection() as connection:
        connection.execute(_OPENED_STATEMENT, {"invitation_id": link.invitation_id, "opened_now": now})


def write_opened(opened: dict[int, datetime]) -> None:
    """Record many first openings (invitation id -> when) in one transaction; links opened
    meanwhile by someone else, or answered, keep what they have.

    On PostgreSQL the whole batch is one UPDATE joined to ``unnest`` of two arrays, instead of one
    statement per page view: half the client's CPU per mark (0.035 -> 0.016 ms); the server's
    part is the row update itself, each row found by primary key (``OPENED_BATCH_PLAN``). SQLite
    runs the statement per row (its executemany stays inside the driver)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        write_opened_batch(connection, opened)
    else:
        connection.execute(_OPENED_STATEMENT, [
            {"invitation_id": invitation_id, "opened_now": at} for invitation_id, at in opened.items()])
    db.session.commit()


def write_opened_batch(connection: Connection, opened: dict[int, datetime]) -> None:
    """PostgreSQL: the batch's UPDATE, inside the caller's transaction, each row found by primary key."""
    connection.exec_driver_sql(OPENED_BATCH_PLAN).close()  # for this transaction only
    connection.execute(_OPENED_BATCH_STATEMENT, {"ids": list(opened), "opened": list(opened.values())})
