"""A customer with a full history for the customer page's tests: an answer the analysis themed
(with a second reason), a support ticket the analysis themed and an exit interview, three emails,
a follow-up, a win-back campaign, a CPR case and an action item about their theme; and a plain
customer nobody has invited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from feedback_app.models import (
    ActionItem,
    CampaignMember,
    Conversation,
    ConversationAssignment,
    CprCase,
    DepartedCustomer,
    FollowUp,
    OutboxEmail,
    Response,
    Theme,
    ThemeAssignment,
    WinbackCampaign,
)
from feedback_app.services.outreach import outbox
from tests.app.insights_data import World

TICKET_SUBJECT = "Sync lost our invoices"
TICKET_TEXT = f"{TICKET_SUBJECT}\n[NAME] here: the sync lost three days of invoices again."
INTERVIEW_TEXT = "Said the price doubled at renewal and nobody warned them."
RAW = "Dana Ruiz here, call me on 555 0100: sync kept losing our work and the price doubled."
REDACTED = "[NAME] here, call me on [PHONE]: sync kept losing our work and the price doubled."
PHONE = "+1 555 0100"


@dataclass
class History:
    customer: DepartedCustomer
    response: Response
    bugs: Theme
    price: Theme
    item: ActionItem
    campaign: WinbackCampaign
    emails: list[OutboxEmail]
    world: World
    ticket: Conversation
    interview: Conversation


def _email(customer: DepartedCustomer, kind: str, key: str, status: str, **fields) -> OutboxEmail:
    email = outbox.queue_email(
        kind=kind,
        idempotency_key=key,
        recipient=customer.email or "",
        subject=f"About {kind}",
        body_text="Hello",
        body_html="<p>Hello</p>",
        customer_id=customer.id,
        **fields,
    )
    email.status = status
    if status == "sent":
        email.sent_at = datetime(2026, 10, 2, 9, tzinfo=UTC)
    if status == "failed":
        email.last_error = "Mailbox unavailable"
        email.attempts = 5
    return email


def _conversations(
    db, customer: DepartedCustomer, world: World, bugs: Theme, tag: str, extra: int
) -> list[Conversation]:
    """A Zendesk ticket themed as bugs (opened after they left), an exit interview held, and
    ``extra`` more tickets nobody has analysed yet."""
    ticket = Conversation(
        customer_id=customer.id,
        kind="ticket",
        origin="zendesk",
        external_id=f"ZD-1{tag}",
        subject=TICKET_SUBJECT,
        status="closed",
        resolution="unresolved",
        opened_at=datetime(2026, 9, 20, 10, tzinfo=UTC),
        redacted_text=TICKET_TEXT,
    )
    interview = Conversation(
        customer_id=customer.id,
        kind="interview",
        origin="dashboard",
        status="held",
        interviewer="Priya",
        opened_at=datetime(2026, 10, 6, 15, tzinfo=UTC),
        redacted_text=INTERVIEW_TEXT,
    )
    more = [
        Conversation(
            customer_id=customer.id,
            kind="ticket",
            origin="csv",
            external_id=f"T-{n}{tag}",
            status="open",
            opened_at=datetime(2026, 9, 1, tzinfo=UTC) - timedelta(days=n),
            redacted_text=f"Question {n}",
        )
        for n in range(extra)
    ]
    db.session.add_all([ticket, interview, *more])
    db.session.flush()
    db.session.add(ConversationAssignment(run_id=world.run.id, conversation_id=ticket.id, theme_id=bugs.id))
    return [ticket, interview]


def full_history(
    make,
    db,
    *,
    world: World | None = None,
    tag: str = "",
    extra_emails: int = 0,
    extra_tickets: int = 0,
) -> History:
    """Dana Ruiz: answered, themed as bugs (main) and price (second), a ticket and an interview,
    emailed, followed up, won-back campaign member, on the CPR desk. ``extra_emails`` and
    ``extra_tickets`` add that many more win-back emails and tickets; a second history in the same
    ``world`` needs its own ``tag``."""
    world = world or World(make, db)
    bugs = world.themes.get("t-bugs") or world.theme("t-bugs", "Sync loses work", category="bugs_reliability")
    price = world.themes.get("t-price") or world.theme("t-price", "Price doubled", category="price")
    customer, response = world.answer(
        bugs,
        text=REDACTED,
        name="Dana Ruiz",
        company="Ruiz Bakery",
        email=f"dana{tag}@ruiz.example",
        phone=PHONE,
        plan="pro_annual",
        external_id=f"cus_dana{tag}",
        monthly_revenue_cents=12_900,
        lifetime_value_cents=412_800,
        tenure_months=32,
        left_at=date(2026, 9, 30),
        language="de",
        competitor="ClickStack",
    )
    customer.source = "stripe"  # World.answer's own ``source`` is the theme assignment's
    response.answers = {**response.answers, "what_happened": RAW}
    invitation = response.invitation
    invitation.reminder_count = 1
    invitation.reminded_at = datetime(2026, 10, 3, 8, tzinfo=UTC)
    invitation.completed_at = response.submitted_at
    db.session.add(
        ThemeAssignment(run_id=world.run.id, response_id=response.id, theme_id=price.id, is_primary=False)
    )
    item = ActionItem(
        title=f"Stop sync losing work{tag}", theme=bugs, owner_team="engineering", status="shipped"
    )
    campaign = WinbackCampaign(
        name=f"Autumn win-back{tag}",
        target={"causes": ["bugs_reliability"]},
        seed=3,
        offer_text="Two months free",
        offer_deadline=date(2026, 12, 31),
        subject="Come back",
        body="{offer} {link}",
        landing_url="https://x.example/",
        status="sent",
    )
    db.session.add_all([item, campaign, FollowUp(response_id=response.id, reason="Asks to be contacted")])
    db.session.flush()
    emails = [
        _email(customer, "invitation", f"inv{tag}", "sent", invitation_id=invitation.id),
        _email(customer, "reminder", f"rem{tag}", "failed", invitation_id=invitation.id),
        _email(customer, "we_fixed_it", f"fixed{tag}", "pending", action_item_id=item.id),
    ]
    emails += [_email(customer, "winback", f"wb{tag}-{n}", "sent") for n in range(extra_emails)]
    db.session.flush()
    db.session.add_all(
        [
            CampaignMember(campaign_id=campaign.id, customer_id=customer.id, arm="offer", opened_at=None),
            CprCase(customer_id=customer.id, status="offered", offer_deadline=date(2026, 12, 1)),
        ]
    )
    ticket, interview = _conversations(db, customer, world, bugs, tag, extra_tickets)
    db.session.commit()
    return History(customer, response, bugs, price, item, campaign, emails, world, ticket, interview)
