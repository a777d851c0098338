"""Recording staff and system actions in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import SQLColumnExpression, func, select

from feedback_app.extensions import db
from feedback_app.models import ActionItem, AuditEvent, StaffUser, Theme
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit_words

#: What each recorded action means, as the audit page says it (unknown actions read as words).
ACTION_NAMES = {
    "action.propose": "Proposed an action item",
    "action.create": "Started an action item for a theme or root cause",
    "action.update": "Edited an action item",
    "action.close_loop": "Told customers it was fixed",
    "action.close_loop_scheduled": "Booked the we-fixed-it email",
    "action.close_loop_unscheduled": "Cancelled the booked we-fixed-it email",
    "action.close_loop_schedule_failed": "Booked we-fixed-it email not sent",
    "action.email_edit": "Edited the \u201cwe changed it\u201d email",
    "action.close_loop_test": "Sent a test of the \u201cwe changed it\u201d email",
    "analysis.start": "Started an analysis",
    "apikey.create": "Created an API key",
    "apikey.revoke": "Revoked an API key",
    "api.responses_raw": "Read answers' raw text through the API",
    "auth.login": "Signed in",
    "customer.contact_shown": "Showed a customer's contact details",
    "customer.erase": "Erased a customer's data",
    "customer.export": "Exported a customer's data",
    "customer.opted_out": "Customer opted out",
    "customers.import": "Imported customers",
    "customers.api_intake": "Customers sent through the API",
    "customers.stripe_event": "Stripe cancellation received",
    "email.bounced": "Email bounced",
    "email.requeued": "Requeued emails",
    "email.retry": "Retried an email",
    "follow_up.contact_shown": "Showed a follow-up's contact details",
    "follow_up.handled": "Marked a follow-up handled",
    "invitations.created": "Invited customers to a survey",
    "invitations.reminded": "Sent survey reminders",
    "retention.purge": "Purged old answer text",
    "theme.confirm_cause": "Set a theme's root cause",
    "theme.merge": "Merged themes",
    "theme.move_answer": "Moved an answer to another theme",
    "theme.rename": "Renamed a theme",
    "theme.split": "Split a theme",
    "user.create": "Created a staff account",
    "user.deactivate": "Deactivated a staff account",
    "user.digest_opt_in": "Turned the weekly digest on",
    "user.digest_opt_out": "Turned the weekly digest off",
    "user.reactivate": "Reactivated a staff account",
    "user.reset_link": "Made a set-password link",
    "user.set_password": "Set a password",
    "user.set_role": "Changed a staff role",
    "churn.counts_saved": "Saved active-customer counts",
    "complaint.drop": "Dropped a complaint from the queue",
    "complaint.step": "Recorded a step on a complaint",
    "cpr.case_opened": "Opened a CPR case",
    "cpr.offer_sent": "Sent a CPR offer",
    "cpr.outcome": "Recorded a CPR case's outcome",
    "interview.record": "Recorded an exit interview",
    "interview.schedule": "Invited to an exit interview",
    "survey.auto_invite": "Set automatic survey invitations",
    "theme.change_cause": "Changed a theme's root cause",
    "tickets.import": "Imported support tickets",
    "webhook.disable": "Turned a webhook off",
    "webhook.enable": "Turned a webhook on",
    "webhook.resend": "Resent a failed webhook delivery",
    "webhook.resend_failed": "Resent a webhook's failed deliveries",
    "webhook.subscribe": "Added a webhook",
    "winback.campaign_created": "Created a win-back campaign",
    "winback.campaign_sent": "Sent a win-back campaign",
    "winback.campaign_updated": "Edited a win-back campaign",
    "winback.test_sent": "Sent a test of a win-back email",
}
TARGET_NAMES = {
    "active_count": "Active-customer counts",
    "complaint_case": "Complaint",
    "conversation": "Conversation",
    "cpr_case": "CPR case",
    "webhook_endpoint": "Webhook",
    "winback_campaign": "Win-back campaign",
    "action_item": "Action item",
    "analysis_run": "Analysis run",
    "api_key": "API key",
    "departed_customer": "Customer",
    "follow_up": "Follow-up",
    "outbox_email": "Email",
    "page": "Page",
    "response": "Answer",
    "staff_user": "Staff account",
    "survey": "Survey",
    "theme": "Theme",
}


def _words(key: str) -> str:
    return audit_words.key_words(key)


def _detail(value: Any) -> str:
    """A recorded detail as people read it: yes/no, a dash for nothing, a mapping as "came back: 66,
    opted out: 55" (its empty entries left out, "none" when all are), a list comma-separated."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        shown = [
            f"{_words(str(k)).lower()}: {_detail(v)}"
            for k, v in value.items()
            if not (v is None or v is False or (isinstance(v, str | list | tuple | dict) and not v))
        ]
        return ", ".join(shown) or "none"
    if isinstance(value, list | tuple):
        return ", ".join(_detail(v) for v in value) or "none"
    return str(value)


def action_name(action: str) -> str:
    """A recorded action in words ("Created a staff account" for ``user.create``)."""
    return ACTION_NAMES.get(action) or _words(action)


def record(
    action: str,
    *,
    actor: str = "system",
    actor_user_id: int | None = None,
    target_type: str | None = None,
    target_id: object = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        actor=actor,
        actor_user_id=actor_user_id,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details,
    )
    db.session.add(event)
    return event


@dataclass
class AuditLine:
    """One event as people read it: who (a person's email, never a row id), what, on what."""

    event: AuditEvent
    who: str
    what: str
    on: str
    details: str


def _names(
    model: type[StaffUser | Theme | ActionItem], column: SQLColumnExpression[str], ids: set[int]
) -> dict[int, str]:
    if not ids:
        return {}
    return {row[0]: row[1] for row in db.session.execute(select(model.id, column).where(model.id.in_(ids)))}


def describe(events: list[AuditEvent]) -> list[AuditLine]:
    """The events of one page in words, with staff accounts, themes and action items by name."""

    def ids(kind: str) -> set[int]:
        return {
            int(e.target_id)
            for e in events
            if e.target_type == kind and e.target_id is not None and e.target_id.isdigit()
        }

    staff = _names(
        StaffUser, StaffUser.email, ids("staff_user") | {e.actor_user_id for e in events if e.actor_user_id}
    )
    named = {
        "staff_user": staff,
        "theme": _names(Theme, func.coalesce(Theme.human_label, Theme.label), ids("theme")),
        "action_item": _names(ActionItem, ActionItem.title, ids("action_item")),
    }
    themes = _names(
        Theme, func.coalesce(Theme.human_label, Theme.label), audit_words.theme_ids(e.details for e in events)
    )
    lines = []
    for event in events:
        kind = event.target_type or ""
        on = ""
        if kind:
            name = (
                named.get(kind, {}).get(int(event.target_id))
                if event.target_id is not None and event.target_id.isdigit()
                else None
            )
            on = f"{TARGET_NAMES.get(kind) or _words(kind)} " + (
                f"\u201c{name}\u201d"
                if name and kind != "staff_user"
                else name or f"#{event.target_id or ''}".rstrip("#")
            )
        who = staff.get(event.actor_user_id) if event.actor_user_id else None
        details = "; ".join(
            f"{_words(str(k))}: {audit_words.special_value(str(k), v, themes, event.action) or _detail(v)}"
            for k, v in (event.details or {}).items()
        )
        lines.append(
            AuditLine(
                event,
                who or audit_words.actor_words(event.actor),
                action_name(event.action),
                on.strip(),
                details,
            )
        )
    return lines


def list_events(
    *, action: str | None = None, actor: str | None = None, page: int = 1, per_page: int = 50
) -> Pagination:
    """Newest first, optionally one action or actor, one page at a time (the admin audit page)."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    return paginate(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()), page, per_page)


def actions() -> list[str]:
    """The actions recorded so far, for the audit page's filter."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
