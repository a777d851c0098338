"""What happens after an answer is stored: callbacks after the commit, and the follow-up queue
(asks to be called, very negative answers from high-value customers), in the same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from feedback_app.models import Response
from feedback_app.services.responses import submission as response_service
from tests.app.survey_helpers import (
    GOOD_SAAS_POST,
    post_survey,
    response_count,
    submit_as_the_page_does,
)
from tests.helpers import csrf_token


def test_after_response_submitted_callbacks_run_after_commit(client, db, live):
    seen: list[tuple[int, int]] = []

    def callback(response_id: int) -> None:
        from feedback_app.extensions import db as _db

        seen.append((response_id, _db.session.scalar(select(func.count(Response.id)))))

    response_service.on_response_submitted(callback)
    try:
        _, token = live
        assert post_survey(client, token, GOOD_SAAS_POST).status_code == 303
    finally:
        response_service.remove_response_callback(callback)
    response_id = db.session.scalar(select(Response.id))
    assert seen == [(response_id, 1)]


def test_a_failing_callback_does_not_lose_the_answer(client, db, live, caplog, monkeypatch):
    import logging

    # Alembic's fileConfig (run in-process by the migration tests) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger(response_service.__name__), "disabled", False)

    def broken(response_id: int) -> None:
        raise RuntimeError("theme service down")

    response_service.on_response_submitted(broken)
    try:
        _, token = live
        reply = post_survey(client, token, GOOD_SAAS_POST)
    finally:
        response_service.remove_response_callback(broken)
    assert reply.status_code == 303 and response_count(db) == 1
    assert "theme service down" in caplog.text


def _follow_up_reasons(db) -> dict[int, str]:
    from feedback_app.models import FollowUp

    db.session.expire_all()
    return {f.response_id: f.reason for f in db.session.scalars(select(FollowUp))}


def test_an_answer_asking_to_be_called_enters_the_follow_up_queue_with_it(client, db, live):
    _, token = live
    answer = {**GOOD_SAAS_POST, "q_what_happened": "Billing broke twice. Please call me about the refund."}
    assert post_survey(client, token, answer).status_code == 303
    response_id = db.session.scalar(select(Response.id))
    assert _follow_up_reasons(db) == {response_id: "Asks to be contacted"}


def test_follow_up_rules_at_submission_use_consent_and_customer_value(client, db, make, saas):
    calls = {**GOOD_SAAS_POST, "q_what_happened": "Please call me.", "q_nps": "8"}
    no_consent, no_token = make.invitation(customer=make.customer(), survey=saas, status="sent")
    assert post_survey(client, no_token, {**calls, "q_contact_ok": "no"}).status_code == 303
    opted_out, opted_token = make.invitation(
        customer=make.customer(opted_out=True), survey=saas, status="sent"
    )
    assert post_survey(client, opted_token, calls).status_code == 303
    angry = {**GOOD_SAAS_POST, "q_nps": "1"}
    big, big_token = make.invitation(
        customer=make.customer(lifetime_value_cents=900000), survey=saas, status="sent"
    )
    assert post_survey(client, big_token, angry).status_code == 303
    small, small_token = make.invitation(
        customer=make.customer(lifetime_value_cents=9000), survey=saas, status="sent"
    )
    assert post_survey(client, small_token, angry).status_code == 303
    big_response = db.session.scalar(select(Response.id).where(Response.invitation_id == big.id))
    assert _follow_up_reasons(db) == {big_response: "Very negative answer from a high-value customer"}


def test_a_broken_follow_up_check_does_not_lose_the_answer(client, db, live, caplog, monkeypatch):
    import logging

    from feedback_app.services.insights import follow_ups

    monkeypatch.setattr(logging.getLogger(follow_ups.__name__), "disabled", False)

    def broken(*_args):
        raise RuntimeError("rule misconfigured")

    monkeypatch.setattr(follow_ups, "_reason", broken)
    _, token = live
    reply = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "Please call me."})
    assert reply.status_code == 303 and response_count(db) == 1
    assert _follow_up_reasons(db) == {}
    assert "rule misconfigured" in caplog.text
    monkeypatch.undo()
    assert follow_ups.refresh() == 1  # the queue catches up on the next refresh (after each analysis run)


def test_a_failure_while_queueing_the_follow_up_stores_nothing_half_done(client, db, live, monkeypatch):
    """Answer, completion and follow-up land together in one transaction, so a failure part-way
    leaves no answer without its follow-up."""
    from feedback_app.models import Invitation
    from feedback_app.services.insights import follow_ups

    def failing(*_args):
        raise RuntimeError("follow-up queue unavailable")

    invitation, token = live
    monkeypatch.setattr(follow_ups, "add_follow_up", failing)
    with pytest.raises(RuntimeError):
        submit_as_the_page_does(token, {"what_happened": "Please call me.", "contact_ok": "yes"})
    db.session.rollback()
    assert response_count(db) == 0
    assert db.session.get(Invitation, invitation.id).status != "completed"
    monkeypatch.undo()  # the person sends the form again: now it is stored, with its follow-up
    assert (
        post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "Please call me."}).status_code
        == 303
    )
    assert list(_follow_up_reasons(db).values()) == ["Asks to be contacted"]


def test_an_edit_that_asks_for_a_call_is_queued(client, db, live, app):
    app.config["SURVEY_EDIT_WINDOW_MINUTES"] = 30
    _, token = live
    first = post_survey(client, token, GOOD_SAAS_POST)
    assert first.status_code == 303 and _follow_up_reasons(db) == {}
    page = client.get(f"/s/{token}?edit=1")
    response_id = db.session.scalar(select(Response.id))
    edited = client.post(
        f"/s/{token}",
        data={
            **GOOD_SAAS_POST,
            "q_what_happened": "On reflection, please call me.",
            "edit_of": str(response_id),
            "version": "1",
            "csrf_token": csrf_token(page),
        },
    )
    assert edited.status_code == 303 and response_count(db) == 1
    assert list(_follow_up_reasons(db).values()) == ["Asks to be contacted"]
