"""The survey pages show the survey's current version: a version published by another process, or a
survey recreated under the same id, shows at once; an answer keeps showing the version it was given on."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text

from feedback_app.models import Survey, SurveyVersion
from tests.factories import MINIMAL_DEFINITION


def _definition(title: str, prompt: str) -> dict:
    question = {**MINIMAL_DEFINITION["questions"][0], "prompt": prompt}
    return {**MINIMAL_DEFINITION, "title": title, "questions": [question]}


def _publish_version_two(db, survey: Survey) -> None:
    """Version 2 asks a new question (same id, new prompt)."""
    survey.versions.append(
        SurveyVersion(
            version=2,
            title="Exit survey",
            definition=_definition("Exit survey", "A brand new question?"),
            definition_hash=secrets.token_hex(32),
        )
    )
    survey.current_version = 2
    db.session.commit()


def test_a_version_published_by_another_process_shows_on_the_next_view(client, db, make):
    survey = make.survey(_definition("First title", "What happened first?"), key="moving")
    _, token = make.invitation(survey=survey)
    assert "What happened first?" in client.get(f"/s/{token}").get_data(as_text=True)  # version 1

    # Another worker (its own connection, nothing of this process) publishes version 2.
    other = create_engine(db.engine.url.render_as_string(hide_password=False))
    with other.begin() as connection:
        connection.execute(
            SurveyVersion.__table__.insert().values(
                survey_id=survey.id,
                version=2,
                title="Second title",
                definition=_definition("Second title", "What happened second?"),
                definition_hash=secrets.token_hex(32),
                created_at=datetime.now(UTC),
            )
        )
        connection.execute(text("UPDATE survey SET current_version = 2 WHERE id = :id"), {"id": survey.id})
    other.dispose()

    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert "What happened second?" in html and "What happened first?" not in html
    assert '<input id="version" name="version" type="hidden" value="2">' in html  # posts back as version 2


def test_a_survey_recreated_under_the_same_id_shows_its_own_questions(client, db, make):
    """A database restored or rebuilt under a running app can give a new survey an old survey's id."""
    old = make.survey(_definition("Old survey", "Old question?"), key="reused")
    _, old_token = make.invitation(survey=old)
    assert "Old question?" in client.get(f"/s/{old_token}").get_data(as_text=True)
    survey_id, old_created = old.id, old.created_at

    db.session.delete(old)
    db.session.commit()
    new = Survey(
        id=survey_id,
        key="reused",
        title="New survey",
        current_version=1,
        created_at=old_created + timedelta(seconds=1),
    )
    new.versions.append(
        SurveyVersion(
            version=1,
            title="New survey",
            definition=_definition("New survey", "New question?"),
            definition_hash=secrets.token_hex(32),
        )
    )
    db.session.add(new)
    db.session.commit()
    _, new_token = make.invitation(survey=new)

    html = client.get(f"/s/{new_token}").get_data(as_text=True)
    assert "New question?" in html and "Old question?" not in html
    assert client.get(f"/s/{old_token}").status_code == 404  # its invitation went with the old survey


def test_a_version_republished_after_a_restore_shows_its_new_questions(client, db, make):
    """A backup from before version 2 is restored under the running app, then an edited file is
    published: it becomes version 2 again (on SQLite even with the same row id), with new content."""
    from feedback_app.services.surveys import versions as survey_service

    first = _definition("Exit survey", "Question one?")
    survey_service.store_definition({**first, "key": "restored"})
    survey_service.store_definition({**_definition("Exit survey", "Question two?"), "key": "restored"})
    survey = db.session.scalar(select(Survey).where(Survey.key == "restored"))
    _, token = make.invitation(survey=survey)
    assert "Question two?" in client.get(f"/s/{token}").get_data(as_text=True)

    # The restore: version 2 is gone, the survey row is as it was at version 1.
    survey_id, at_version_one = survey.id, survey.created_at
    db.session.execute(
        text("DELETE FROM survey_version WHERE survey_id = :id AND version = 2"), {"id": survey_id}
    )
    db.session.execute(
        text("UPDATE survey SET current_version = 1, updated_at = :at WHERE id = :id"),
        {"at": at_version_one, "id": survey_id},
    )
    db.session.commit()
    db.session.expire_all()
    assert (
        survey_service.store_definition(
            {**_definition("Exit survey", "Question three?"), "key": "restored"}
        ).version
        == 2
    )

    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Question three?" in html and "Question two?" not in html


def test_an_answer_keeps_showing_the_version_it_was_given_on(client, db, make):
    from tests.helpers import csrf_token

    survey = make.survey(_definition("Exit survey", "What happened?"), key="answered_then_moved")
    _, token = make.invitation(survey=survey)
    page = client.get(f"/s/{token}")
    assert (
        client.post(
            f"/s/{token}",
            data={"q_what_happened": "Too slow.", "csrf_token": csrf_token(page), "version": "1"},
        ).status_code
        == 303
    )
    _publish_version_two(db, survey)

    edit = client.get(f"/s/{token}?edit=1").get_data(as_text=True)
    assert "Too slow." in edit and "What happened?" in edit and "A brand new question?" not in edit
    answered = db.session.scalar(
        select(SurveyVersion.version)
        .join(Survey)
        .where(Survey.key == "answered_then_moved")
        .order_by(SurveyVersion.version.desc())
    )
    assert answered == 2  # the survey did move on


@pytest.mark.parametrize(
    "posted, stored",
    [
        ("1", 1),  # the page was opened on version 1, then version 2 was published: it stays version 1
        ("7", 2),  # a number the survey never had (an edited form): the current version
    ],
)
def test_an_answer_is_stored_on_the_version_its_page_showed(client, db, make, posted, stored):
    from feedback_app.models import Response
    from tests.helpers import csrf_token

    survey = make.survey(_definition("Exit survey", "What happened?"), key="open_while_moving")
    _, token = make.invitation(survey=survey)
    page = client.get(f"/s/{token}")
    _publish_version_two(db, survey)
    sent = client.post(
        f"/s/{token}",
        data={"q_what_happened": "Too slow.", "csrf_token": csrf_token(page), "version": posted},
    )
    assert sent.status_code == 303
    answered = select(SurveyVersion.version).join(Response).where(SurveyVersion.survey_id == survey.id)
    assert db.session.scalar(answered) == stored
