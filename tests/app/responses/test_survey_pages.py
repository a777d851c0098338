"""The page a former customer sees: /s/<token>, what it shows, its validation and skip logic, and
what it stores."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from feedback_app.models import Response, utcnow
from feedback_app.services.outreach.tokens import new_token
from tests.app.survey_helpers import (
    GOOD_SAAS_POST,
    post_survey,
    response_count,
    shipped_survey,
)
from tests.helpers import csrf_token


def test_page_is_personalised_and_accessible(client, live, app):
    _, token = live
    page = client.get(f"/s/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hi Zoë," in html
    assert f"recommend {app.config['COMPANY_NAME']} to a friend" in html  # {company} filled in
    assert "{company}" not in html
    # choice groups are fieldsets with legends; text inputs have labels tied to them
    assert html.count("<fieldset") == 3 and html.count("<legend>") == 3  # reason, nps, contact
    assert '<label for="q_what_happened">' in html and 'id="q_what_happened"' in html
    assert 'name="csrf_token"' in html
    # opt-out link on the page, JS from our own origin only, no inline script
    assert f'href="/s/{token}/opt-out"' in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all('src="/static/' in s for s in scripts)
    assert "http://" not in html.replace("http://survey.test", "") and "https://" not in html
    assert 'name="viewport"' in html


def test_survey_pages_send_no_referrer(client, live):
    _, token = live
    for path in (f"/s/{token}", f"/s/{token}/opt-out", f"/s/{new_token()}"):
        assert client.get(path).headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("kind", ["unknown", "tampered", "revoked", "revoked_status", "expired"])
def test_dead_links_get_the_same_friendly_404(client, make, saas, kind):
    extra = {
        "revoked": {"revoked_at": utcnow()},
        "revoked_status": {"status": "revoked"},
        "expired": {"expires_at": utcnow() - timedelta(minutes=1)},
    }.get(kind, {})
    invitation, token = make.invitation(survey=saas, **extra)
    if kind == "unknown":
        token = new_token()
    elif kind == "tampered":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    ended = kind not in ("unknown", "tampered")
    for path in (f"/s/{token}",) if ended else (f"/s/{token}", f"/s/{token}/opt-out"):
        page = client.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 404
        assert "We could not find that page" in html
        assert "expired" not in html.lower() and "revoked" not in html.lower()
        assert invitation.customer.name.split()[0] not in html
    assert client.post(f"/s/{token}", data=GOOD_SAAS_POST).status_code in (400, 404)
    if ended:  # an old email's opt-out link still opts out, on the signed page that never ends
        handed_over = client.get(f"/s/{token}/opt-out")
        assert handed_over.status_code == 303 and "/f/" in handed_over.headers["Location"]


def test_opening_records_opened_at_once(client, db, live):
    invitation, token = live
    client.get(f"/s/{token}")
    db.session.expire_all()
    first = invitation.opened_at
    assert first is not None and invitation.status == "opened"
    client.get(f"/s/{token}")
    db.session.expire_all()
    assert invitation.opened_at == first


def test_submit_with_error_keeps_answers_then_fix_and_store_one_response(client, db, live):
    invitation, token = live
    bad = {**GOOD_SAAS_POST, "q_main_reason": "", "q_what_happened": "Slow <reports> & “exports”"}
    page = post_survey(client, token, bad)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'role="alert"' in html and "Please choose an answer." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="q_main_reason-error"' in html
    assert 'id="q_main_reason-error"' in html
    assert "Slow &lt;reports&gt; &amp; “exports”</textarea>" in html  # kept, escaped
    assert 'value="ClickStack"' in html and 'value="3" checked' in html
    assert response_count(db) == 0

    fixed = post_survey(client, token, {**bad, "q_main_reason": "switched_competitor"}, page=page)
    assert fixed.status_code == 303
    thanks = client.get(fixed.headers["Location"])
    assert "Thank you, Zoë" in thanks.get_data(as_text=True)
    assert response_count(db) == 1
    response = db.session.scalar(select(Response))
    assert response.answers == {
        "main_reason": "switched_competitor",
        "what_happened": "Slow <reports> & “exports”",
        "nps": 3,
        "competitor": "ClickStack",
        "win_back": "Faster reports",
        "contact_ok": "yes",
    }
    assert response.survey_version.version == 1 and response.survey_version.survey.key == "saas_cancellation"
    assert invitation.status == "completed" and invitation.completed_at is not None


def test_required_text_must_not_be_blank(client, db, live):
    _, token = live
    page = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "   \r\n  "})
    assert page.status_code == 422
    assert "Please write an answer." in page.get_data(as_text=True)
    assert response_count(db) == 0


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("q_main_reason", "hacked", "Please choose one of the answers listed."),
        ("q_nps", "11", "Please choose a number from 0 to 10."),
        ("q_contact_ok", "maybe", "Please answer yes or no."),
    ],
)
def test_tampered_choices_are_rejected(client, db, live, field, value, message):
    _, token = live
    page = post_survey(client, token, {**GOOD_SAAS_POST, field: value})
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert response_count(db) == 0


def test_skip_logic_hidden_question_is_not_stored_nor_required(client, db, live):
    _, token = live
    posted = {**GOOD_SAAS_POST, "q_main_reason": "hard_to_use", "q_competitor": "Sneaky value"}
    assert post_survey(client, token, posted).status_code == 303
    response = db.session.scalar(select(Response))
    assert "competitor" not in response.answers
    assert response.answers["main_reason"] == "hard_to_use"


def test_skip_logic_shown_question_is_stored_and_blank_optional_is_none(client, db, live):
    _, token = live
    posted = {**GOOD_SAAS_POST, "q_main_reason": "too_expensive", "q_competitor": "", "q_nps": ""}
    assert post_survey(client, token, posted).status_code == 303
    answers = db.session.scalar(select(Response)).answers
    assert answers["competitor"] is None and answers["nps"] is None


def test_skip_logic_is_described_for_pages_without_javascript(client, live):
    _, token = live
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert 'data-show-if-question="q_main_reason"' in html
    assert "Only if you answered “We switched to another product” or" in html


@pytest.mark.parametrize(
    "lang,quoted",
    [
        ("de", "„Wir sind zu einem anderen Produkt gewechselt“ oder"),
        ("es", "«Nos cambiamos a otro producto» o"),
        ("fr", "«\u00a0Nous sommes passés à un autre produit\u00a0» ou"),
        ("pt", "«Mudámos para outro produto» ou"),
    ],
)
def test_skip_logic_note_quotes_the_answers_as_its_language_does(client, live, lang, quoted):
    """Walk (former customer, German, no script): the note read „prompt“ with the answers in
    English marks (“Wir sind ...”), two kinds of quotes in one sentence; the answers now take the
    marks the language gives the prompt."""
    _, token = live
    html = client.get(f"/s/{token}?lang={lang}").get_data(as_text=True)
    note = re.search(r'class="help condition"[^>]*>([^<]*)<', html).group(1)
    assert quoted in note.replace("&#34;", '"'), note
    assert "”" not in note and (lang == "de" or "“" not in note), note


def test_required_question_behind_skip_logic_is_required_only_when_shown(client, db, make, app):
    from tests.factories import MINIMAL_DEFINITION

    definition = {
        **MINIMAL_DEFINITION,
        "key": "branchy",
        "questions": [
            {"id": "stay", "type": "yes_no", "prompt": "Would you stay?", "required": True},
            {
                "id": "why_not",
                "type": "short_text",
                "prompt": "Why not?",
                "required": True,
                "show_if": {"question": "stay", "equals": "no"},
            },
        ],
    }
    survey = make.survey(definition)
    _, token = make.invitation(survey=survey)
    page = post_survey(client, token, {"q_stay": "no", "q_why_not": ""})
    assert page.status_code == 422 and "Please write an answer." in page.get_data(as_text=True)
    assert post_survey(client, token, {"q_stay": "yes", "q_why_not": ""}).status_code == 303
    assert db.session.scalar(select(Response)).answers == {"stay": "yes"}


def test_unicode_is_stored_exactly_and_script_is_escaped_on_output(client, db, live):
    _, token = live
    text = "Zu teuer — 太贵了 🙁 naïve café\nSecond line <script>alert('x')</script> \u200d\u00a0end"
    assert (
        post_survey(
            client,
            token,
            {
                **GOOD_SAAS_POST,
                "q_what_happened": text.replace("\n", "\r\n"),
                "q_win_back": "<img src=x onerror=alert(1)>",
            },
        ).status_code
        == 303
    )
    answers = db.session.scalar(select(Response)).answers
    assert answers["what_happened"] == text
    assert answers["win_back"] == "<img src=x onerror=alert(1)>"
    edit = client.get(f"/s/{token}?edit=1").get_data(as_text=True)
    assert "<script>alert" not in edit and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in edit
    assert "<img src=x" not in edit and "&lt;img src=x onerror=alert(1)&gt;" in edit


def test_over_long_text_is_rejected_with_a_visible_count(client, db, live, app):
    _, token = live
    limit = app.config["FREE_TEXT_MAX_CHARS"]
    page = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "é" * (limit + 3)})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert f"Please shorten your answer to {limit:,} characters or fewer" in html and "3 over" in html
    assert f"{limit + 3:,} of {limit:,} characters" in html
    assert response_count(db) == 0
    exactly = post_survey(client, token, {**GOOD_SAAS_POST, "q_what_happened": "🙂" * limit})
    assert exactly.status_code == 303
    assert db.session.scalar(select(Response)).answers["what_happened"] == "🙂" * limit


def test_free_text_limit_follows_config(client, db, live, app):
    app.config["FREE_TEXT_MAX_CHARS"] = 10
    _, token = live
    assert 'data-maxchars="10"' in client.get(f"/s/{token}").get_data(as_text=True)
    assert post_survey(client, token, {**GOOD_SAAS_POST, "q_win_back": "x" * 11}).status_code == 422


def test_a_head_request_is_a_page_view_never_a_submission(client, db, live):
    """HEAD reaches the GET/POST view; with a form body (no browser sends one, a script might) it
    must neither store answers nor skip the signed-field check."""
    _invitation, token = live
    response = client.open(f"/s/{token}", method="HEAD", data={**GOOD_SAAS_POST, "version": "1"})
    assert response.status_code == 200 and response.get_data() == b""
    assert response_count(db) == 0


def test_response_records_the_version_it_answered(client, db, make, app):
    from feedback_app.services.surveys import versions as survey_service
    from tests.factories import MINIMAL_DEFINITION

    first = {**MINIMAL_DEFINITION, "key": "versioned"}
    survey_service.store_definition(first)
    from feedback_app.models import Survey

    survey = db.session.scalar(select(Survey).where(Survey.key == "versioned"))
    _, token_a = make.invitation(survey=survey)
    _, token_b = make.invitation(survey=survey)
    page_a = client.get(f"/s/{token_a}")  # rendered with version 1
    changed = {**first, "title": "Why did you leave us?"}
    assert survey_service.store_definition(changed).version == 2
    client.post(
        f"/s/{token_a}", data={"q_what_happened": "a", "csrf_token": csrf_token(page_a), "version": "1"}
    )
    page_b = client.get(f"/s/{token_b}")
    assert "Why did you leave us?" in page_b.get_data(as_text=True)
    client.post(
        f"/s/{token_b}", data={"q_what_happened": "b", "csrf_token": csrf_token(page_b), "version": "2"}
    )
    versions = {
        r.answers["what_happened"]: r.survey_version.version for r in db.session.scalars(select(Response))
    }
    assert versions == {"a": 1, "b": 2}


@pytest.mark.parametrize("name", ["ecommerce_lapsed_buyer", "subscription_service"])
def test_other_shipped_surveys_render_and_accept_an_answer(client, db, make, name):
    survey = shipped_survey(name)
    _, token = make.invitation(survey=survey)
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert "{company}" not in html and "Brightloop" in html
    posted = {"q_main_reason": "other", "q_what_happened": "Moved abroad.", "q_contact_ok": "no"}
    assert post_survey(client, token, posted).status_code == 303
    answers = db.session.scalar(select(Response)).answers
    assert answers["main_reason"] == "other" and answers["contact_ok"] == "no" and "competitor" not in answers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(
        st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"), min_size=1, max_size=300
    ).filter(lambda t: t.strip())
)
def test_any_unicode_text_is_stored_exactly_as_typed(app, client, db, make, saas, text):
    """Whatever a person types (any script, emoji, combining marks, RTL, leading spaces) comes back
    unchanged; the browser's CRLF for a typed line break is stored as the one character typed."""
    _, token = make.invitation(survey=saas)
    posted = {**GOOD_SAAS_POST, "q_what_happened": text.replace("\n", "\r\n")}
    assert post_survey(client, token, posted).status_code == 303
    stored = db.session.scalar(select(Response).order_by(Response.id.desc()))
    assert stored.answers["what_happened"] == text


def _numbers(html: str) -> list[str]:
    return re.findall(r'<p class="question-number"[^>]*>([^<]*)</p>', html)


def test_the_question_count_is_the_same_first_shown_and_shown_again(client, db, live):
    """Acceptance walk: "Question 1 of 6" first, "QUESTION 1 OF 5" after sending an empty form
    (the page's script counts only the questions shown), "of 6" again once a reason brings the
    competitor question. The server now counts as the script does, for the answers held now."""
    _, token = live
    first = client.get(f"/s/{token}").get_data(as_text=True)
    shown = [f"Question {n} of 5" for n in range(1, 4)] + [""] + [f"Question {n} of 5" for n in range(4, 6)]
    assert _numbers(first) == shown, "the competitor question waits for a reason"
    assert "Up to 6 short questions" in first
    empty = post_survey(client, token, {})
    assert empty.status_code == 422 and _numbers(empty.get_data(as_text=True)) == shown
    switched = post_survey(client, token, {"q_main_reason": "switched_competitor"})
    assert _numbers(switched.get_data(as_text=True)) == [f"Question {n} of 6" for n in range(1, 7)]
    assert response_count(db) == 0
