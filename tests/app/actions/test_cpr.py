"""The CPR desk: who comes to it, the proposal arithmetic, one written offer, outcomes and deadlines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from feedback_app.models import AuditEvent, CprCase, OutboxEmail
from feedback_app.services.actions import cpr
from tests.app.insights_data import World
from tests.helpers import csrf_token, without_tags


@pytest.fixture
def valued(make, db):
    """A customer worth $9,000 who answered about price and allows contact."""
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    customer, _ = world.answer(
        price,
        text="The per-seat price doubled.",
        lifetime_value_cents=900_000,
        monthly_revenue_cents=50_000,
        tenure_months=18,
        name="Dana Ruiz",
    )
    return customer


def test_the_desk_lists_customers_over_the_threshold_and_those_picked_by_hand(app, make, db, valued):
    small = make.customer(lifetime_value_cents=1_000)
    make.customer(lifetime_value_cents=2_000)
    assert [c.id for c in cpr.candidates().items] == [valued.id]
    case = cpr.open_case(small, actor="t")
    assert case.picked_by == "hand"
    assert [c.id for c in cpr.candidates().items] == [valued.id, small.id]
    assert cpr.open_case(valued, actor="t").picked_by == "threshold"
    assert cpr.open_case(valued, actor="t").id == cpr.open_case(valued, actor="t").id


def test_proposal_with_and_without_them_by_hand(app, valued):
    # second life = min(18 x 0.6, 36) = 10.8 months x $500 = $5,400; cost $100/month x 10.8 = $1,080
    p = cpr.proposal(valued, offer_cents=100_000, cost_to_serve_monthly_cents=10_000)
    assert p.months == pytest.approx(10.8)
    assert p.second_ltv_cents == 540_000 and p.cost_to_serve_cents == 108_000
    assert p.net_with_cents == 540_000 - 108_000 - 100_000 and p.net_without_cents == 0
    assert p.net_value_cents == 332_000 and p.break_even_offer_cents == 432_000
    unknown_cost = cpr.proposal(valued, offer_cents=0, cost_to_serve_monthly_cents=None)
    assert unknown_cost.cost_to_serve_cents is None and unknown_cost.break_even_offer_cents == 540_000


def test_the_offer_goes_once_by_smtp_and_an_acceptance_brings_them_back(app, smtp_server, db, valued):
    app.config.update(smtp_server.mail_settings())
    case = cpr.open_case(valued, actor="t")
    deadline = date.today() + timedelta(days=10)
    cpr.send_offer(
        case,
        subject="Dana, a proposal",
        body="Half price for a year.",
        offer_cents=300_000,
        deadline=deadline,
        cost_to_serve_monthly_cents=None,
        actor="t",
    )
    with pytest.raises(cpr.CprError, match="already sent"):
        cpr.send_offer(
            case,
            subject="Again",
            body="x",
            offer_cents=0,
            deadline=deadline,
            cost_to_serve_monthly_cents=None,
            actor="t",
        )
    (received,) = smtp_server.messages
    assert received.rcpt_tos == [valued.email]
    assert "Half price for a year." in received.message.get_body(("plain",)).get_content()
    cpr.record_outcome(case, "accepted", note="Signed", actor="t")
    assert case.status == "accepted" and valued.returned_at == date.today()
    with pytest.raises(cpr.CprError, match="No open offer"):
        cpr.record_outcome(case, "declined", note=None, actor="t")


def test_a_second_offer_racing_the_first_is_told_it_was_already_sent(app, db, valued):
    """Two "send offer" requests at once: both read the case open, the first one's email holds the
    case's outbox key, and the second gets the desk's "already sent", not a 500."""
    case = cpr.open_case(valued, actor="t")
    deadline = date.today() + timedelta(days=10)
    with app.test_request_context():
        first = cpr.compose_letter(valued, subject="Dana", body="Half price.", deadline=deadline)
        cpr.queue_letter(case, first)  # the first request's email, committed before the second's flush
    db.session.commit()
    assert case.status == "open"
    with pytest.raises(cpr.CprError, match="already sent"):
        cpr.send_offer(
            case,
            subject="Again",
            body="Half price.",
            offer_cents=0,
            deadline=deadline,
            cost_to_serve_monthly_cents=None,
            actor="t",
        )
    assert len(db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "cpr_offer")).all()) == 1


def test_bad_offers_are_refused_with_the_reason(app, make, db, valued):
    case = cpr.open_case(valued, actor="t")
    with pytest.raises(cpr.CprError) as caught:
        cpr.send_offer(
            case,
            subject=" ",
            body="",
            offer_cents=0,
            deadline=date.today(),
            cost_to_serve_monthly_cents=None,
            actor="t",
        )
    assert "Enter a subject" in str(caught.value) and "Write the offer" in str(caught.value)
    assert "not after today" in str(caught.value)
    subject, letter = cpr.default_letter(valued)
    with pytest.raises(cpr.CprError, match="Fill in the letter's '...'"):  # sent as drafted, blanks and all
        cpr.send_offer(
            case,
            subject=subject,
            body=letter,
            offer_cents=0,
            deadline=date.today() + timedelta(days=3),
            cost_to_serve_monthly_cents=None,
            actor="t",
        )
    silent = make.customer(lifetime_value_cents=900_000, contact_consent=False)
    with pytest.raises(cpr.CprError, match="did not allow contact"):
        cpr.send_offer(
            cpr.open_case(silent, actor="t"),
            subject="s",
            body="b",
            offer_cents=0,
            deadline=date.today() + timedelta(days=3),
            cost_to_serve_monthly_cents=None,
            actor="t",
        )


def test_deadlines_are_enforced_by_the_job_and_late_acceptance_is_refused(app, runner, db, valued):
    case = cpr.open_case(valued, actor="t")
    deadline = date.today() + timedelta(days=2)
    cpr.send_offer(
        case,
        subject="s",
        body="b",
        offer_cents=0,
        deadline=deadline,
        cost_to_serve_monthly_cents=None,
        actor="t",
    )
    with pytest.raises(cpr.CprError, match="expired on"):
        cpr.record_outcome(case, "accepted", note=None, actor="t", today=deadline + timedelta(days=1))
    assert cpr.expire_offers(today=deadline) == 0  # the deadline day itself is still open
    assert cpr.expire_offers(today=deadline + timedelta(days=1)) == 1
    assert case.status == "expired" and valued.returned_at is None
    assert "0 offer(s) expired" in runner.invoke(args=["winback", "expire-offers"]).output
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cpr.outcome")).details["outcome"]
        == "expired"
    )


def test_a_cx_user_opens_a_case_calculates_and_sends_an_offer(app, client, login, smtp_server, db, valued):
    app.config.update(smtp_server.mail_settings())
    login("cx")
    listing = client.get("/dashboard/cpr").get_data(as_text=True)
    assert "Dana Ruiz" in listing and "No case yet" in listing
    page = client.get(f"/dashboard/cpr/{valued.id}?offer_value=1000&cost_to_serve=100")
    text = page.get_data(as_text=True)
    assert "The per-seat price doubled." in text and "Picked:</strong> Price" in text
    assert "Break-even offer:</strong> $4,320" in text and "$3,320" in text
    assert "Offer value, total ($)" in text and "Cost to serve per month ($, if known)" in text
    opened = client.post(f"/dashboard/cpr/{valued.id}/open", data={"csrf_token": csrf_token(page)})
    page = client.get(opened.headers["Location"])
    bad = client.post(
        f"/dashboard/cpr/{valued.id}/offer",
        data={
            "csrf_token": csrf_token(page),
            "offer_value": "abc",
            "subject": "s",
            "body": "b",
            "offer_deadline": "",
        },
    )
    assert bad.status_code == 422 and "is not an amount" in bad.get_data(as_text=True)
    sent = client.post(
        f"/dashboard/cpr/{valued.id}/offer",
        data={
            "csrf_token": csrf_token(page),
            "offer_value": "1000",
            "cost_to_serve": "100",
            "subject": "Dana, stay",
            "body": "A year at the old price.",
            "offer_deadline": (date.today() + timedelta(days=7)).isoformat(),
        },
    )
    assert sent.status_code == 302
    assert [m.rcpt_tos for m in smtp_server.messages] == [[valued.email]]
    page = client.get(sent.headers["Location"])
    assert "Offer sent" in page.get_data(as_text=True)
    assert "Email “Dana, stay” — Sent" in page.get_data(as_text=True)  # the status in words, not "sent"
    assert "the offer as sent" in page.get_data(as_text=True) and "$3,320" in page.get_data(as_text=True)
    client.post(
        f"/dashboard/cpr/{valued.id}/outcome", data={"csrf_token": csrf_token(page), "outcome": "declined"}
    )
    db.session.expire_all()
    assert db.session.scalar(select(CprCase.status)) == "declined"


def test_the_desk_says_why_it_may_not_write_to_each_customer(app, client, login, make, db):
    """ "May we write?" said "No: no consent, opted out, bounced or no address" for every one of
    them; a CX lead has to know which (an opt-out is final, a missing consent can be asked for)."""
    world = World(make, db)
    price = world.theme("p", "Too expensive", category="price")
    rich = {"lifetime_value_cents": 900_000}
    said_no, _ = world.answer(price, contact_ok="no", name="Ada Said-No", **rich)
    make.customer(name="Bo Opted-Out", opted_out=True, **rich)
    make.customer(name="Cy Never-Asked", contact_consent=False, **rich)
    make.customer(name="Di No-Address", email=None, **rich)
    make.customer(name="Ed Yes", **rich)
    login("cx")
    listing = client.get("/dashboard/cpr").get_data(as_text=True)
    rows = {
        name: without_tags(next(r for r in listing.split("<tr>") if name in r))
        for name in ("Ada Said-No", "Bo Opted-Out", "Cy Never-Asked", "Di No-Address", "Ed Yes")
    }
    assert "No: they said no to being contacted in the survey" in rows["Ada Said-No"]
    assert "No: they opted out of our emails" in rows["Bo Opted-Out"]
    assert "No: they never allowed contact" in rows["Cy Never-Asked"]
    assert "No: we have no email address for them" in rows["Di No-Address"]
    assert "Yes" in rows["Ed Yes"] and "No:" not in rows["Ed Yes"]
    page = without_tags(client.get(f"/dashboard/cpr/{said_no.id}").get_data(as_text=True))
    assert "No email can go to this customer: they said no to being contacted in the survey." in page
