"""Automatic invitations: one survey that cannot be sent does not hold up the others."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from feedback_app.models import Invitation, Survey, utcnow
from feedback_app.services.outreach import invitations


def test_a_survey_whose_email_cannot_be_written_does_not_stop_the_others(app, make, db, monkeypatch):
    for key in ("a_exit", "b_exit"):
        make.survey(key=key)
        invitations.set_auto_invite(key, 0, actor="test")
    make.customer(left_at=(utcnow() - timedelta(days=1)).date())
    real_compose = invitations.compose

    def compose(kind, customer, survey, token, **options):
        if survey.key == "a_exit":  # e.g. a definition stored under rules that have since changed
            raise ValueError("survey a_exit: question 'nps' has no prompt")
        return real_compose(kind, customer, survey, token, **options)

    monkeypatch.setattr(invitations, "compose", compose)
    runs = invitations.auto_invite()
    assert {run.survey_key: run.created for run in runs} == {"b_exit": 1}
    invited = db.session.scalars(select(Survey.key).join(Invitation, Invitation.survey_id == Survey.id))
    assert list(invited) == ["b_exit"]
