"""The database itself refuses data that would break the feedback loop."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from feedback_app.models import DepartedCustomer, Invitation, OutboxEmail, Response


def test_duplicate_external_id_from_the_same_source_is_refused(db, make):
    make.customer(source="crm", external_id="C-1")
    with pytest.raises(IntegrityError):
        make.customer(source="crm", external_id="C-1")
    db.session.rollback()


def test_same_external_id_from_another_source_is_allowed(make):
    make.customer(source="crm", external_id="C-1")
    assert make.customer(source="stripe", external_id="C-1").id


def test_duplicate_token_hash_is_refused(db, make):
    make.invitation(token="the-same-token")
    with pytest.raises(IntegrityError):
        make.invitation(token="the-same-token")
    db.session.rollback()


def test_second_invitation_for_same_customer_and_survey_is_refused(db, make):
    invitation, _ = make.invitation()
    db.session.add(Invitation(customer=invitation.customer, survey=invitation.survey, token_hash="x" * 64))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_second_response_to_one_invitation_is_refused(db, make):
    first = make.response()
    db.session.add(
        Response(
            invitation_id=first.invitation_id,
            survey_version_id=first.survey_version_id,
            answers={"what_happened": "again"},
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "field, value",
    [
        ("monthly_revenue_cents", -1),
        ("lifetime_value_cents", -5),
        ("tenure_months", -2),
        ("churn_type", "bored"),
    ],
)
def test_customer_check_constraints(db, make, field, value):
    with pytest.raises(IntegrityError):
        make.customer(**{field: value})
    db.session.rollback()


def test_customer_needs_a_departure_date(db):
    db.session.add(DepartedCustomer(source="x", external_id="1", email="a@example.com"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_invitation_must_point_at_an_existing_customer(db, make):
    survey = make.survey(key="fk")
    db.session.add(Invitation(customer_id=987654, survey_id=survey.id, token_hash="f" * 64))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_outbox_idempotency_key_is_unique(db, make):
    customer = make.customer()

    def email(message_id: str) -> OutboxEmail:
        return OutboxEmail(
            idempotency_key="invitation:1",
            message_id=message_id,
            kind="invitation",
            customer_id=customer.id,
            recipient=customer.email,
            subject="s",
            body_text="t",
            body_html="<p>t</p>",
        )

    db.session.add(email("<a@x>"))
    db.session.commit()
    db.session.add(email("<b@x>"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
