"""An id typed or tampered with outside the app (a survey form's hidden field, a query string, an
API cursor, a CLI argument) that no row can have: '²' (a digit to str.isdigit, not to int) or a
number past the database's integer ids. Each is an unknown id, said so where it was given; none is
a 500 page or a traceback (routes' <int:...> ids are bounded already, blueprints.RowIdConverter)."""

from __future__ import annotations

import base64

import pytest

from feedback_app.services.accounts.api_keys import create_key
from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, response_count, shipped_survey

PAST_THE_IDS = "99999999999999999999"
PAST_INT = "9" * 5000  # int() refuses it with a ValueError (was a 500 as a ?theme= link)
NOT_DIGITS = ["\u00b2", PAST_THE_IDS, PAST_INT]


@pytest.mark.parametrize("edit_of", NOT_DIGITS)
def test_a_tampered_edit_field_on_the_survey_still_stores_the_answer_once(client, db, make, edit_of):
    _invitation, token = make.invitation(survey=shipped_survey())
    response = post_survey(client, token, {**GOOD_SAAS_POST, "edit_of": edit_of})
    assert response.status_code == 303
    assert response_count(db) == 1


@pytest.mark.parametrize("theme", NOT_DIGITS)
def test_a_new_campaign_from_a_theme_link_with_a_bad_id_opens_the_blank_form(client, login, theme):
    login("admin")
    page = client.get("/dashboard/win-back/campaigns/new", query_string={"theme": theme})
    assert page.status_code == 200


@pytest.mark.parametrize(
    "url, field",
    [
        ("/dashboard/follow-ups/handled", "follow_up"),
        ("/dashboard/themes/{theme}/split", "answers"),
        ("/dashboard/win-back/campaigns/new", "themes"),
    ],
)
@pytest.mark.parametrize("ident", [PAST_THE_IDS, PAST_INT])
def test_an_id_field_of_a_staff_form_past_the_ids_is_refused_on_the_form(
    app, client, db, login, make, url, field, ident
):
    """Was: ``coerce=int`` took the number and the database driver overflowed on it (a 500)."""
    from tests.app.web.staff_world import seed_world
    from tests.helpers import csrf_token

    world = seed_world(app, db, make)
    login("admin")
    token = csrf_token(client.get("/dashboard/"))
    data = {"csrf_token": token, field: ident, "label": "New", "name": "Camp", "offer_text": "o"}
    response = client.post(url.format(theme=world["theme_id"]), data=data, follow_redirects=True)
    assert response.status_code in (200, 422), response.status_code
    assert "could not be coerced" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/api/v1/customers", "/api/v1/responses", "/api/v1/action-items"])
def test_a_forged_cursor_past_the_ids_is_a_400_naming_the_cursor(client, db, url):
    _key, raw = create_key("warehouse", actor="test", scopes=["read"])
    cursor = base64.urlsafe_b64encode(f"id:{PAST_THE_IDS}".encode()).decode().rstrip("=")
    response = client.get(url, query_string={"cursor": cursor}, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("cursor: not a cursor this list gave")


@pytest.mark.parametrize(
    "args",
    [
        ["outbox", "retry", PAST_THE_IDS],
        ["winback", "preview", PAST_THE_IDS],
        ["winback", "send", PAST_THE_IDS],
        ["winback", "results", PAST_THE_IDS],
        ["winback", "test-send", PAST_THE_IDS, "me@example.com"],
    ],
)
def test_a_cli_id_past_the_ids_is_a_usage_error_naming_the_argument(runner, db, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert "is not in the range 1<=x<=2147483647" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, OverflowError)


@pytest.mark.parametrize("ident", NOT_DIGITS)
def test_revoking_an_api_key_by_an_id_no_key_has_says_so(runner, db, ident):
    result = runner.invoke(args=["apikeys", "revoke", ident])
    assert result.exit_code == 1
    assert f"No API key with id or prefix {ident!r}" in result.output
