"""The demo's win-back side: twelve months of active counts (uploaded, then carried by billing
events), a finished campaign with a holdout and some returns, and a CPR case with a sent offer.

The demo's emails are recorded as already sent weeks ago, the way they would look after the
outbox delivered them; nothing is handed to the mail transport while the demo loads.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import CampaignMember, DepartedCustomer, SubscriptionMovement
from feedback_app.services.actions import campaigns, cpr
from feedback_app.services.actions.campaign_targets import Target, arm_for, select_target
from feedback_app.services.insights import churn_rates
from feedback_app.services.insights.billing_counts import month_of, next_month
from feedback_app.services.outreach.follow_up_language import greeting_name, languages_for

UPLOADED_MONTHS = 9  # the first nine of twelve months come as a CSV; billing events carry the rest
BILLING_FROM = 7  # billing events start in the eighth month, so two months have both (the upload wins)
START_ACTIVE = 2400


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=UTC)


def add_counts(today: date, rng: random.Random) -> None:
    """CSV counts for nine months, then billing movements from the eighth month to today."""
    months = [month_of(today)]
    while len(months) < 12:
        months.insert(0, month_of(months[0] - timedelta(days=1)))
    customers = db.session.execute(
        select(DepartedCustomer.external_id, DepartedCustomer.left_at, DepartedCustomer.returned_at)
    ).all()
    revenue = db.session.scalar(select(func.avg(DepartedCustomer.monthly_revenue_cents))) or 9_000
    left = Counter(month_of(c.left_at) for c in customers)
    back = Counter(month_of(c.returned_at) for c in customers if c.returned_at)
    active, records, event = START_ACTIVE, [], 0
    for index, month in enumerate(months):
        new = rng.randint(80, 115)
        if index < UPLOADED_MONTHS:
            records.append(churn_rates.CountRecord(month, "", "", active, round(active * revenue), new))
        if index >= BILLING_FROM:
            last_day = min(today, next_month(month) - timedelta(days=1))
            days = (last_day - month).days + 1
            share = days / (next_month(month) - month).days
            for _ in range(round(new * share)):
                event += 1
                day = month + timedelta(days=rng.randrange(days))
                db.session.add(
                    SubscriptionMovement(
                        provider="stripe",
                        event_id=f"evt_demo_{event}",
                        external_id=f"cus_demo_new_{event}",
                        kind="new",
                        day=day,
                    )
                )
            for c in customers:
                for kind, day in (("cancelled", c.left_at), ("returned", c.returned_at)):
                    if day is not None and month_of(day) == month:
                        event += 1
                        db.session.add(
                            SubscriptionMovement(
                                provider="stripe",
                                event_id=f"evt_demo_{event}",
                                external_id=c.external_id,
                                kind=kind,
                                day=day,
                            )
                        )
        active += new + back[month] - left[month]
    churn_rates.save(records, source="csv", actor="demo")


def add_campaign(today: date, rng: random.Random) -> None:
    """A campaign sent 50 days ago whose deadline passed 20 days ago, a 20% holdout, some returns."""
    sent_day, deadline = today - timedelta(days=50), today - timedelta(days=20)
    data = campaigns.CampaignInput(
        name="Come back to Team and Business: 20% off",
        target=Target(plans=["team", "business"], left_from=today - timedelta(days=330), left_to=sent_day),
        offer_text="20% off your plan for 6 months",
        offer_code="COMEBACK20",
        offer_value_cents=9_000,
        offer_deadline=deadline,
        holdout_share=0.2,
        landing_url="https://brightloop.example/pricing",
    )
    campaign = campaigns.create(data, actor="demo", today=sent_day)
    sent_at = _moment(sent_day, rng)
    customers = select_target(Target.from_json(campaign.target)).customers
    languages = languages_for(customers)  # each in their survey's language, as campaigns.send does
    for customer in customers:
        member = CampaignMember(
            campaign=campaign,
            customer=customer,
            arm=arm_for(campaign.seed, customer.id, campaign.holdout_share),
        )
        db.session.add(member)
        comes_back = rng.random() < (0.2 if member.arm == "offer" else 0.06)
        if comes_back:
            customer.returned_at = sent_day + timedelta(days=rng.randint(1, 29))
        if member.arm == "holdout":
            continue
        email = campaigns.queue_member_email(campaign, member, language=languages[customer.id])
        # queued when it was sent, as it would have been: not at load time, after its "sent" date
        email.status, email.attempts, email.sent_at, email.created_at = "sent", 1, sent_at, sent_at
        if comes_back or rng.random() < 0.35:
            member.opened_at = sent_at + timedelta(hours=rng.randint(1, 72))
            if comes_back or rng.random() < 0.3:
                member.clicked_at = member.opened_at + timedelta(minutes=rng.randint(1, 30))
    campaign.status, campaign.sent_at = "sent", sent_at
    db.session.commit()


def add_cpr_case(today: date, rng: random.Random) -> None:
    """The most valuable former customer who may be written to: a case with an offer sent 5 days ago."""
    for customer in db.session.scalars(
        select(DepartedCustomer)
        .where(DepartedCustomer.returned_at.is_(None))
        .order_by(DepartedCustomer.lifetime_value_cents.desc())
        .limit(50)
    ):
        if cpr.contact_allowed(customer):
            break
    else:
        return
    case = cpr.open_case(customer, actor="demo")
    subject, _ = cpr.default_letter(customer)
    deadline = today + timedelta(days=9)
    body = (
        f"Hello {greeting_name(customer.first_name)},\n\nThank you for telling us why you left. We understood that "
        "the price had outgrown what your team used.\n\nWhat we propose: your plan at 25% off for twelve months, "
        "and a quarterly review with us of what you use.\n\nJust reply to this email to accept."
    )
    # composed and queued as the desk's Send does: the deadline and opt-out lines in their language
    letter = cpr.compose_letter(customer, subject=subject, body=body, deadline=deadline)
    offered = _moment(today - timedelta(days=5), rng)
    email = cpr.queue_letter(case, letter)
    email.status, email.attempts, email.sent_at, email.created_at = "sent", 1, offered, offered
    text = letter.letter
    value = round((customer.monthly_revenue_cents or 0) * 12 * 0.25)
    case.status, case.offered_at, case.outbox_email_id = "offered", offered, email.id
    case.offer_subject, case.offer_text, case.offer_value_cents, case.offer_deadline = (
        subject,
        text,
        value,
        deadline,
    )
    db.session.commit()


def add(today: date, seed: int) -> None:
    """All three, from a fixed seed (after the customers are loaded)."""
    rng = random.Random(seed + 21)
    add_campaign(today, rng)  # first: its returns feed the counts' movements
    add_counts(today, rng)
    add_cpr_case(today, rng)
