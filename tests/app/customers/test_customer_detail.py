"""The customer page's data (services/customers/detail.py): one customer's surveys, answers with
their themes, emails, win-back and follow-ups, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select

from feedback_app.models import AuditEvent, Invitation, OutboxEmail
from feedback_app.services.customers.detail import CONVERSATIONS_SHOWN, contact_details, customer_detail
from feedback_app.services.outreach.invitations import invite_customer
from tests.app.customers.detail_data import PHONE, REDACTED, full_history
from tests.helpers import counted


def test_an_unknown_customer_has_no_page(app):
    assert customer_detail(987654) is None


def test_a_customer_nobody_invited_can_be_invited_to_an_active_survey(app, make):
    survey = make.survey()
    customer = make.customer()
    detail = customer_detail(customer.id)
    assert detail is not None
    assert detail.surveys == [] and detail.emails == [] and detail.answers == []
    assert detail.invite_blocked is None
    assert [s.key for s in detail.invitable_surveys] == [survey.key]
    assert detail.contact_refusal is None  # imported consent, no answer to say otherwise


def test_a_customer_who_opted_out_is_not_offered_an_invitation(app, make):
    make.survey()
    customer = make.customer(opted_out=True)
    detail = customer_detail(customer.id)
    assert detail is not None
    assert detail.invite_blocked == "opted out" and detail.invitable_surveys == []
    assert detail.contact_refusal == "opted_out"


def test_the_full_history_is_assembled(app, make, db):
    history = full_history(make, db)
    detail = customer_detail(history.customer.id)
    assert detail is not None
    [survey] = detail.surveys
    assert survey.invitation.reminder_count == 1
    answer = survey.answer
    assert answer is not None
    assert answer.text == REDACTED  # the redacted text, never the raw answer
    assert answer.picked == "Price" and answer.score == 5 and answer.competitor == "ClickStack"
    assert answer.main_theme == history.bugs and answer.second_themes == [history.price]
    assert detail.causes == ["bugs_reliability", "price"]
    assert [t.id for t in detail.themes] == [history.bugs.id, history.price.id]
    assert [(e.kind, e.status) for e in detail.emails] == [
        ("invitation", "sent"),
        ("reminder", "failed"),
        ("we_fixed_it", "pending"),
    ]
    assert [f.reason for f in detail.follow_ups] == ["Asks to be contacted"]
    assert [c.campaign.name for c in detail.campaigns] == ["Autumn win-back"]
    assert detail.cpr_case is not None and detail.cpr_case.status == "offered"
    assert [i.title for i in detail.actions] == ["Stop sync losing work"]
    assert detail.language == "German"
    assert detail.has_phone and detail.invite_blocked is None and detail.invitable_surveys == []
    # their tickets and interviews, newest first, each with the theme it counts toward now
    assert [(v.conversation.kind, v.theme) for v in detail.conversations] == [
        ("interview", None),
        ("ticket", history.bugs),
    ]
    assert detail.conversations[1].text == "[NAME] here: the sync lost three days of invoices again."
    assert detail.more_conversations is False


def test_a_second_reason_of_the_main_reasons_own_cause_is_not_listed_twice(app, make, db):
    history = full_history(make, db)
    history.price.category = "bugs_reliability"
    db.session.commit()
    detail = customer_detail(history.customer.id)
    assert detail is not None
    assert detail.answers[0].second_themes == [] and detail.causes == ["bugs_reliability"]


def test_the_number_of_queries_does_not_grow_with_the_history(app, make, db):
    small = full_history(make, db)
    big = full_history(make, db, world=small.world, tag="-big", extra_emails=12, extra_tickets=30)
    for n in range(3):  # more surveys answered, each themed
        survey = make.survey(key=f"extra-{n}")
        invitation, _ = make.invitation(customer=big.customer, survey=survey, status="sent")
        make.response(invitation=invitation, redacted_text=f"Answer {n}")
    db.session.expire_all()
    with counted(db) as few:
        customer_detail(small.customer.id)
    db.session.expire_all()
    with counted(db) as many:
        detail = customer_detail(big.customer.id)
    assert detail is not None and len(detail.surveys) == 4 and len(detail.emails) == 15
    assert len(detail.conversations) == CONVERSATIONS_SHOWN and detail.more_conversations
    assert len(many) == len(few), (len(few), len(many))


def test_showing_contact_details_gives_the_phone_and_is_audited(app, make, db):
    history = full_history(make, db)
    details = contact_details(history.customer, actor="cx@staff.example", actor_user_id=None)
    assert details.phone == PHONE and details.email == "dana@ruiz.example" and details.may_contact
    event_ = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.contact_shown"))
    assert event_ is not None and event_.target_id == str(history.customer.id)


def test_inviting_one_customer_queues_one_email_and_a_second_try_is_skipped(app, make, db):
    survey = make.survey()
    customer = make.customer()
    other = make.customer()
    run = invite_customer(customer, survey.key, actor="cx@staff.example")
    assert run.created == 1
    assert db.session.scalars(select(Invitation.customer_id)).all() == [customer.id]
    assert db.session.scalars(select(OutboxEmail.kind)).all() == ["invitation"]
    again = invite_customer(customer, survey.key, actor="cx@staff.example")
    assert again.created == 0 and again.skipped["already invited to this survey"] == 1
    assert other.id not in db.session.scalars(select(Invitation.customer_id)).all()
