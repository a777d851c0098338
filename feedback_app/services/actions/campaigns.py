"""Win-back campaigns: create and edit a draft, preview it, send a test, and send it for real.

Sending adds every customer of the target to the campaign once, in the arm the seeded holdout
draw gives them (:mod:`.campaign_targets`), and queues one ``winback`` outbox email per offer-arm
customer, keyed ``winback:<campaign id>:<customer id>``: a second send mails only customers who
joined the target since, never anyone twice, and never the holdout. The outbox delivers.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from feedback_app.database import hold_row
from feedback_app.extensions import db
from feedback_app.jobs import enqueue
from feedback_app.models import (
    CampaignMember,
    DepartedCustomer,
    OutboxEmail,
    Theme,
    WinbackCampaign,
    utcnow,
)
from feedback_app.pagination import paginate
from feedback_app.services.accounts import audit
from feedback_app.services.actions import campaign_email
from feedback_app.services.actions.campaign_targets import (
    Selection,
    Target,
    arm_for,
    select_target,
)
from feedback_app.services.insights import root_causes
from feedback_app.services.outreach import emails, outbox
from feedback_app.services.outreach.follow_up_language import (
    FALLBACK,
    OPT_OUT,
    count_by_language,
    language_name,
    languages_for,
    with_text_footer,
)
from feedback_app.services.outreach.tokens import hash_token, new_token
from feedback_app.services.validation.email_addresses import InvalidEmail, check_email

MAX_HOLDOUT = 0.5


class CampaignError(ValueError):
    """A campaign that cannot be saved or sent, with (field, message) problems."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" if f else m for f, m in problems))


def parse_money(text: str | None, field_name: str) -> int | None:
    """``"20"`` or ``"19.99"`` to cents; blank to None; CampaignError naming the field otherwise."""
    if text is None or not str(text).strip():
        return None
    try:
        amount = Decimal(str(text).strip())
    except InvalidOperation:
        raise CampaignError([(field_name, f"{text!r} is not an amount; write e.g. 20 or 19.99")]) from None
    if not amount.is_finite() or amount < 0 or amount > 10_000_000 or (amount * 100) % 1:
        raise CampaignError(
            [(field_name, f"{text!r} must be an amount from 0 to 10,000,000 with at most 2 decimals")]
        )
    return int(amount * 100)


@dataclass
class CampaignInput:
    """What a person fills in; the view or CLI converts text, this module checks meaning."""

    name: str
    target: Target
    offer_text: str
    offer_deadline: date | None
    offer_value_cents: int = 0
    offer_code: str | None = None
    holdout_share: float = 0.1
    subject: str = campaign_email.DEFAULT_SUBJECT
    body: str = campaign_email.DEFAULT_BODY
    landing_url: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)


def check(data: CampaignInput, *, today: date | None = None) -> list[tuple[str, str]]:
    """Every problem with the input, by field (empty when it can be saved)."""
    today = today or date.today()
    problems = list(data.problems)
    if not data.name.strip():
        problems.append(("name", "Enter a name for the campaign."))
    if not data.offer_text.strip():
        problems.append(("offer_text", 'Describe the offer, e.g. "20% off for 6 months".'))
    if data.offer_deadline is None:
        problems.append(("offer_deadline", "Set a deadline: offers with a deadline work better."))
    elif data.offer_deadline <= today:
        problems.append(
            ("offer_deadline", f"The deadline {data.offer_deadline.isoformat()} is not after today.")
        )
    if not 0 <= data.holdout_share <= MAX_HOLDOUT:
        problems.append(("holdout_share", f"The holdout must be from 0% to {MAX_HOLDOUT:.0%} of the target."))
    unknown = [c for c in data.target.causes if not root_causes.is_cause(c)]
    if unknown:
        problems.append(("causes", "Unknown root cause(s): " + ", ".join(unknown)))
    if data.target.theme_ids:
        found = set(db.session.scalars(select(Theme.id).where(Theme.id.in_(data.target.theme_ids))))
        missing = [str(i) for i in data.target.theme_ids if i not in found]
        if missing:
            problems.append(("themes", "No theme with id " + ", ".join(missing)))
    t = data.target
    if t.ltv_min_cents is not None and t.ltv_max_cents is not None and t.ltv_min_cents > t.ltv_max_cents:
        problems.append(("ltv_max", "The lifetime value 'up to' is below the 'from'."))
    if t.left_from and t.left_to and t.left_from > t.left_to:
        problems.append(("left_to", "'Left until' is before 'left from'."))
    problems += campaign_email.placeholder_problems(data.subject, field="subject")
    problems += campaign_email.placeholder_problems(data.body, field="body", need_link=True)
    if not data.subject.strip():
        problems.append(("subject", "Enter a subject."))
    try:
        url = urlsplit(data.landing_url.strip())
        web = url.scheme in ("http", "https") and bool(url.netloc)
    except ValueError:  # an unclosed IPv6 bracket
        web = False
    if not web:
        problems.append(
            ("landing_url", "Enter the web address the offer link leads to (http:// or https://).")
        )
    return problems


def _apply(campaign: WinbackCampaign, data: CampaignInput) -> None:
    campaign.name, campaign.target = data.name.strip()[:200], data.target.to_json()
    campaign.offer_text, campaign.offer_code = (
        data.offer_text.strip(),
        (data.offer_code or "").strip() or None,
    )
    if data.offer_deadline is None:
        raise CampaignError([("offer_deadline", "Set a deadline: offers with a deadline work better.")])
    campaign.offer_value_cents, campaign.offer_deadline = data.offer_value_cents, data.offer_deadline
    campaign.holdout_share, campaign.landing_url = data.holdout_share, data.landing_url.strip()
    campaign.subject, campaign.body = data.subject.strip(), data.body.replace("\r\n", "\n").strip()


def create(
    data: CampaignInput, *, actor: str, actor_user_id: int | None = None, today: date | None = None
) -> WinbackCampaign:
    """Save a draft campaign with a fresh holdout seed; CampaignError lists every problem."""
    problems = check(data, today=today)
    if problems:
        raise CampaignError(problems)
    campaign = WinbackCampaign(status="draft", seed=secrets.randbelow(2**31 - 1), created_by_id=actor_user_id)
    _apply(campaign, data)
    db.session.add(campaign)
    db.session.flush()
    audit.record(
        "winback.campaign_created",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="winback_campaign",
        target_id=campaign.id,
        seed=campaign.seed,
        holdout_share=campaign.holdout_share,
    )
    db.session.commit()
    return campaign


def update(
    campaign: WinbackCampaign,
    data: CampaignInput,
    *,
    actor: str,
    actor_user_id: int | None = None,
    today: date | None = None,
) -> WinbackCampaign:
    """Change a draft; a sent campaign keeps its target, offer and holdout (its results depend on them)."""
    if campaign.status != "draft":
        raise CampaignError(
            [("", "This campaign has been sent; its target, offer and email can no longer change.")]
        )
    problems = check(data, today=today)
    if problems:
        raise CampaignError(problems)
    _apply(campaign, data)
    audit.record(
        "winback.campaign_updated",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="winback_campaign",
        target_id=campaign.id,
    )
    db.session.commit()
    return campaign


def input_of(campaign: WinbackCampaign) -> CampaignInput:
    """A campaign's saved values as input (to fill the edit form)."""
    return CampaignInput(
        name=campaign.name,
        target=Target.from_json(campaign.target),
        offer_text=campaign.offer_text,
        offer_deadline=campaign.offer_deadline,
        offer_value_cents=campaign.offer_value_cents,
        offer_code=campaign.offer_code,
        holdout_share=campaign.holdout_share,
        subject=campaign.subject,
        body=campaign.body,
        landing_url=campaign.landing_url,
    )


# ---------------------------------------------------------------- rendering


def links(token: str) -> tuple[str, str, str]:
    """The tracked click link, the open pixel and the opt-out link of one member's token."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/w/{token}", f"{base}/w/{token}/open.gif", f"{base}/w/{token}/opt-out"


def render(
    campaign: WinbackCampaign, customer: DepartedCustomer | None, token: str, *, language: str = FALLBACK
) -> tuple[str, str, str]:
    """Subject, text and HTML of the email one customer gets, in ``language`` (None: sample values
    for a test)."""
    click, pixel, opt_out = links(token)
    with force_locale(language):
        filled = campaign_email.values(
            customer,
            offer=campaign.offer_text,
            code=campaign.offer_code,
            value_cents=campaign.offer_value_cents,
            deadline=campaign.offer_deadline,
            link=click,
        )
        subject, body = campaign_email.words(campaign.subject, campaign.body)
        subject, text, html = campaign_email.fill(subject, body, filled, open_url=pixel)
        footer, link_text = gettext(OPT_OUT), gettext("opt out")
        # The shared customer-email layout (viewport, 560 px column), in the email's language.
        html = render_template(
            "email/win_back.html",
            subject=subject,
            body=Markup(html),  # fill() escaped every part staff or customers wrote
            footer=footer,
            opt_out_url=opt_out,
            link_text=link_text,
        )
    return subject, with_text_footer(text, f"{footer} {opt_out}"), html


@dataclass
class Preview:
    selection: Selection
    offer: list[DepartedCustomer]
    holdout: list[DepartedCustomer]
    sample: tuple[str, str, str] | None
    unmailed: list[DepartedCustomer]  # offer-arm customers a send would mail now (not mailed before)
    #: The offer arm by the language each gets the email in, e.g. [("English", 3), ("German", 1)].
    languages: list[tuple[str, int]] = field(default_factory=list)
    #: The name of the language of the sample (the first offer-arm customer's).
    sample_language: str | None = None


def preview(campaign: WinbackCampaign) -> Preview:
    """Who would be mailed and who held out (members keep their arm), the language each offer-arm
    customer reads it in, and the first email."""
    selection = select_target(
        Target.from_json(campaign.target), keep=[m.customer_id for m in campaign.members]
    )
    arms = {m.customer_id: m.arm for m in campaign.members}
    mailed = {m.customer_id for m in campaign.members if m.outbox_email_id}
    offer: list[DepartedCustomer] = []
    holdout: list[DepartedCustomer] = []
    for customer in selection.customers:
        arm = arms.get(customer.id) or arm_for(campaign.seed, customer.id, campaign.holdout_share)
        (holdout if arm == "holdout" else offer).append(customer)
    languages = languages_for(offer)
    sample = render(campaign, offer[0], "preview-link", language=languages[offer[0].id]) if offer else None
    return Preview(
        selection,
        offer,
        holdout,
        sample,
        [c for c in offer if c.id not in mailed],
        count_by_language(languages.values()),
        language_name(languages[offer[0].id]) if offer else None,
    )


def test_send(
    campaign: WinbackCampaign, address: str, *, actor: str, actor_user_id: int | None = None
) -> OutboxEmail:
    """Queue the email with sample values to a staff address (links are not tracked)."""
    try:
        recipient = check_email(address)
    except InvalidEmail as exc:
        raise CampaignError([("address", f"The test address {exc}.")]) from None
    subject, text, html = render(campaign, None, "test-link")
    email = outbox.queue_email(
        kind="winback",
        idempotency_key=f"winback-test:{campaign.id}:{uuid.uuid4().hex}",
        recipient=recipient,
        subject="[Test] " + subject,
        body_text=text,
        body_html=html,
        headers={"X-Afterword-Kind": "winback-test"},
    )
    audit.record(
        "winback.test_sent",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="winback_campaign",
        target_id=campaign.id,
    )
    db.session.commit()
    enqueue("outbox.deliver")
    return email


# ---------------------------------------------------------------- sending


@dataclass
class SendReport:
    queued: int = 0
    held_out: int = 0
    already: int = 0


def current_preview(campaign: WinbackCampaign, *, today: date | None = None) -> Preview | None:
    """The preview while the campaign may still send (a draft, or an offer that has not ended);
    None once the offer is over, when only the results matter."""
    if campaign.status != "draft" and campaign.offer_deadline < (today or date.today()):
        return None
    return preview(campaign)


def idempotency_key(campaign: WinbackCampaign, customer: DepartedCustomer) -> str:
    return f"winback:{campaign.id}:{customer.id}"


def queue_member_email(campaign: WinbackCampaign, member: CampaignMember, *, language: str) -> OutboxEmail:
    """Queue one offer-arm member's email with a fresh tracked link, in ``language``. The demo's
    campaign goes through here too, so its emails read as real ones."""
    customer = member.customer
    token = new_token()
    member.token_hash = hash_token(token)
    subject, text, html = render(campaign, customer, token, language=language)
    email = outbox.queue_email(
        kind="winback",
        idempotency_key=idempotency_key(campaign, customer),
        recipient=customer.email or "",
        subject=subject,
        body_text=text,
        body_html=html,
        customer_id=customer.id,
        headers={
            "X-Afterword-Kind": "winback",
            **emails.opt_out_headers(links(token)[2]),
        },
    )
    db.session.flush()
    member.outbox_email_id = email.id
    return email


def send(
    campaign: WinbackCampaign, *, actor: str, actor_user_id: int | None = None, today: date | None = None
) -> SendReport:
    """Add the target to the campaign and queue one email per offer-arm customer not mailed yet."""
    today = today or date.today()
    if campaign.offer_deadline < today:
        raise CampaignError(
            [
                (
                    "offer_deadline",
                    (
                        f"The offer ended on {campaign.offer_deadline.isoformat()}; "
                        "nothing more can be sent for this campaign."
                    ),
                )
            ]
        )
    # One send of a campaign at a time until this one commits: a second click waits, then finds the
    # members and emails the first added. Without it both added the same members and the second
    # failed on the first's rows (a server error page).
    hold_row(WinbackCampaign.status, campaign.id)
    db.session.refresh(campaign)
    members = {m.customer_id: m for m in campaign.members}
    selection = select_target(Target.from_json(campaign.target), keep=members)
    languages = languages_for(selection.customers)
    report = SendReport()
    for customer in selection.customers:
        member = members.get(customer.id)
        if member is None:
            member = CampaignMember(
                campaign=campaign,
                customer=customer,
                arm=arm_for(campaign.seed, customer.id, campaign.holdout_share),
            )
            db.session.add(member)
        if member.arm == "holdout":
            report.held_out += 1
            continue
        key = idempotency_key(campaign, customer)
        if member.outbox_email_id or db.session.scalar(
            select(OutboxEmail.id).where(OutboxEmail.idempotency_key == key)
        ):
            report.already += 1
            continue
        queue_member_email(campaign, member, language=languages[customer.id])
        report.queued += 1
    campaign.status, campaign.sent_at = "sent", campaign.sent_at or utcnow()
    audit.record(
        "winback.campaign_sent",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="winback_campaign",
        target_id=campaign.id,
        queued=report.queued,
        held_out=report.held_out,
    )
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent send of the same campaign won; its emails stand
        db.session.rollback()
        raise CampaignError(
            [("", "This campaign is being sent by another request; reload the page.")]
        ) from None
    enqueue("outbox.deliver")
    return report


def all_campaigns(page: int = 1, per_page: int = 25) -> Pagination:
    """Campaigns, newest first (past the last page: the last page)."""
    return paginate(select(WinbackCampaign).order_by(WinbackCampaign.id.desc()), page, per_page)
