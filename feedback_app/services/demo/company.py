"""Demo data: the fictional company Brightloop and the customers who left it.

The free-text answers in ``feedback_app/demo/data/answers.yaml`` were written by hand to read
like real former customers; everything else (names, dates, revenue) is generated from a fixed
seed so every demo database looks the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response, Survey
from feedback_app.services.outreach.tokens import hash_token, new_token
from feedback_app.services.surveys import versions as survey_service

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "data"
ANSWERS_FILE = DEMO_DIR / "answers.yaml"
DEMO_SOURCE = "demo"

PLANS = {  # monthly price in cents, typical segment
    "starter": (1900, "self_serve_consumer"),
    "team": (7900, "smb"),
    "business": (24900, "mid_market"),
    "enterprise": (120000, "enterprise"),
}
FIRST_NAMES = (
    "Amara Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kwame Lena Mateo Nadia Oskar Priya Quinn Rosa "
    "Samir Tess Umar Vera Wen Ximena Yusuf Zoe Aiko Bruno Carmen Diego Esther Felix Gita Hugo Ivy Jamal Kira "
    "Liam Maya Noor Olga Pablo Rania Sven Talia Ugo Valentina Wade Yara"
).split()
LAST_NAMES = (
    "Okafor Lindqvist Moreau Petrov Santos Haddad Kim Tanaka Novak Schmidt Mensah Rossi Alvarez Khan Berg "
    "Patel Fischer Costa Nguyen Dubois Yilmaz Kowalski Osei Larsen Ibrahim Silva Müller Hughes Romero Ahmed"
).split()
COMPANY_WORDS = (
    "Northwind Bluefin Cedar Harbor Lumen Quarry Vantage Kestrel Meridian Orchard Pioneer Summit Tidal "
    "Juniper Beacon Copper Falcon Granite Horizon Ironwood Lattice Marble Nimbus Onyx Prism Redwood Sable"
).split()
COMPANY_SUFFIXES = (
    "Labs",
    "Studio",
    "Logistics",
    "Health",
    "Partners",
    "Media",
    "Foods",
    "Analytics",
    "Design",
)


@dataclass
class DemoSummary:
    customers: int = 0
    invitations: int = 0
    responses: int = 0
    survey_links: list[str] = field(default_factory=list)


def database_is_empty() -> bool:
    """True when no departed customer exists yet (the demo loads only into an empty database)."""
    return (db.session.scalar(select(func.count(DepartedCustomer.id))) or 0) == 0


def load_answers(path: Path = ANSWERS_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        answers = yaml.safe_load(handle) or []
    if not isinstance(answers, list):
        raise ValueError(f"{path} must hold a list of answers")
    return answers


def _answers_for(entry: dict[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "main_reason": entry.get("reason", "other"),
        "what_happened": entry.get("what_happened", ""),
        "nps": entry.get("nps"),
        "contact_ok": "yes" if entry.get("contact_ok") else "no",
    }
    if entry.get("competitor"):
        answers["competitor"] = entry["competitor"]
    if entry.get("win_back"):
        answers["win_back"] = entry["win_back"]
    return answers


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour=rng.randint(8, 20), minute=rng.randint(0, 59)), tzinfo=UTC)


def load_demo(
    base_url: str,
    *,
    today: date | None = None,
    seed: int = 7,
    extra_customers: int = 900,
    surveys_dir: Path | None = None,
) -> DemoSummary:
    """Fill an empty database with Brightloop's departed customers, invitations and answers."""
    rng = random.Random(seed)
    today = today or date.today()
    summary = DemoSummary()

    surveys_dir = surveys_dir or Path(__file__).resolve().parents[3] / "surveys"
    survey_service.store_definition(survey_service.read_definition(surveys_dir / "saas_cancellation.yaml"))
    survey = db.session.scalars(select(Survey).where(Survey.key == "saas_cancellation")).one()
    version = survey_service.current_version(survey)

    entries = load_answers()
    total = len(entries) + extra_customers
    used_names: set[str] = set()
    for index in range(total):
        entry = entries[index] if index < len(entries) else None
        plan = entry["plan"] if entry else rng.choice(list(PLANS))
        price, default_segment = PLANS[plan]
        segment = entry["segment"] if entry else default_segment
        months_ago = entry.get("month_offset", rng.randint(0, 11)) if entry else rng.randint(0, 11)
        left_at = today - timedelta(days=int(months_ago) * 30 + rng.randint(0, 27))
        # The invitation goes out 1-3 days after leaving and the answer comes up to 3 days later:
        # a departure from the last week is kept a week back, so nothing is dated after today.
        left_at = min(left_at, today - timedelta(days=7))
        tenure = rng.randint(1, 48)
        seats = {
            "starter": 1,
            "team": rng.randint(1, 3),
            "business": rng.randint(1, 4),
            "enterprise": rng.randint(1, 3),
        }[plan]
        monthly = price * seats
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in used_names:
                used_names.add(name)
                break
        handle = name.lower().replace(" ", ".").replace("ü", "u")
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}"
        customer = DepartedCustomer(
            source=DEMO_SOURCE,
            external_id=f"cus_{index + 1:05d}",
            email=f"{handle}@{company.split()[0].lower()}.example",
            # Every other customer has a phone number on record, from the 555-01xx range kept for fiction.
            phone=f"+1 202 555 {100 + index % 100:04d}" if index % 2 == 0 else None,
            name=name,
            company=company,
            plan=plan,
            segment=segment,
            monthly_revenue_cents=monthly,
            lifetime_value_cents=monthly * tenure,
            tenure_months=tenure,
            left_at=left_at,
            churn_type="involuntary" if entry is None and rng.random() < 0.25 else "voluntary",
            contact_consent=bool(entry.get("contact_ok")) if entry else rng.random() < 0.4,
        )
        if entry is None and rng.random() < 0.06:
            customer.returned_at = min(today, left_at + timedelta(days=rng.randint(20, 120)))
        db.session.add(customer)
        summary.customers += 1
        if customer.churn_type == "involuntary":
            continue

        sent_at = _at(left_at + timedelta(days=rng.randint(1, 3)), rng)
        invitation = Invitation(
            customer=customer,
            survey=survey,
            token_hash=hash_token(new_token()),
            status="sent",
            sent_at=sent_at,
            created_at=sent_at,
        )
        db.session.add(invitation)
        summary.invitations += 1
        if entry is not None:
            opened = sent_at + timedelta(hours=rng.randint(1, 72))
            invitation.opened_at = opened
            invitation.completed_at = opened + timedelta(minutes=rng.randint(2, 9))
            invitation.status = "completed"
            db.session.add(
                Response(
                    invitation=invitation,
                    survey_version=version,
                    answers=_answers_for(entry),
                    submitted_at=invitation.completed_at,
                )
            )
            summary.responses += 1
        elif rng.random() < 0.1:
            invitation.status = "opted_out"
            invitation.opted_out_at = sent_at + timedelta(days=1)
            customer.opted_out = True
            customer.opted_out_at = invitation.opted_out_at
        elif rng.random() < 0.3:
            invitation.status = "opened"
            invitation.opened_at = sent_at + timedelta(hours=rng.randint(1, 48))

    # A few open invitations whose links a newcomer can click right away.
    for invitation in db.session.scalars(
        select(Invitation).where(Invitation.status.in_(("sent", "opened"))).order_by(Invitation.id).limit(3)
    ):
        token = new_token()
        invitation.token_hash = hash_token(token)
        summary.survey_links.append(f"{base_url.rstrip('/')}/s/{token}")
    db.session.commit()
    from feedback_app.services.conversations import demo as conversations_demo

    conversations_demo.add(seed)  # issue 23: a few support tickets and exit interviews
    from feedback_app.services.demo import winback as winback_demo

    winback_demo.add(today, seed)  # issue 21: active counts, a finished campaign, a CPR case
    return summary
