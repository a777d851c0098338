"""Every route x {anonymous, product, cx, admin}: the status each gets, from one table.

The table below is the access policy (issue 7): admin may do everything; cx everything but staff
accounts and keys; product reads reports and themes and edits the action items its teams own.
A route missing from the table fails the test, so a new page cannot ship without a decision.
The data is seeded with script-injection payloads in every free-text field; every HTML page any
role can open must show them escaped.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from feedback_app.models import ActionItem
from tests.app.web.staff_world import RAW_MARKERS, seed_world
from tests.helpers import csrf_token

ADMIN = frozenset({"admin"})
CX = frozenset({"admin", "cx"})
STAFF = frozenset({"admin", "cx", "product"})
ROLES = ("anonymous", "product", "cx", "admin")

#: endpoint -> method -> roles allowed. Staff routes only; public ones are in PUBLIC below.
ACCESS: dict[str, dict[str, frozenset[str]]] = {
    "dashboard.index": {"GET": STAFF},
    "dashboard.overview": {"GET": STAFF},
    "dashboard.profile": {"GET": STAFF},
    "dashboard.profile_save": {"POST": STAFF},
    "dashboard.summary": {"GET": STAFF},
    "dashboard.summary_export": {"GET": STAFF},
    "dashboard.themes": {"GET": STAFF},
    "dashboard.theme": {"GET": STAFF},
    "dashboard.cause": {"GET": STAFF},
    "dashboard.plotly_js": {"GET": STAFF},
    "dashboard.analysis_run_status": {"GET": STAFF},
    "dashboard.analysis_run_panel": {"GET": STAFF},
    "dashboard.actions": {"GET": STAFF},
    "dashboard.action": {"GET": STAFF, "POST": STAFF},  # product: the seeded item is owned by product
    "dashboard.rename_theme": {"POST": CX},
    "dashboard.merge_themes": {"POST": CX},
    "dashboard.move_answer": {"POST": CX},
    "dashboard.theme_cause": {"POST": CX},
    "dashboard.split_theme": {"POST": CX},
    "dashboard.start_analysis": {"POST": CX},
    "dashboard.propose_actions": {"POST": CX},
    "dashboard.plan_theme": {"POST": CX},
    "dashboard.plan_cause": {"POST": CX},
    "dashboard.close_loop_preview": {"GET": CX},
    "dashboard.close_loop_send": {"POST": CX},
    "dashboard.close_loop_email_save": {"POST": CX},
    "dashboard.close_loop_schedule_save": {"POST": CX},
    "dashboard.follow_up_queue": {"GET": CX},
    "dashboard.follow_up_handled": {"POST": CX},
    "dashboard.follow_up_contact": {"POST": CX},
    "dashboard.follow_ups_handled_bulk": {"POST": CX},
    "dashboard.conversations": {"GET": CX},
    "dashboard.conversation": {"GET": CX},
    "dashboard.import_tickets_page": {"GET": CX, "POST": CX},
    "dashboard.interviews_page": {"GET": CX},
    "dashboard.schedule_interview": {"POST": CX},
    "dashboard.record_interview": {"POST": CX},
    "dashboard.complaints_page": {"GET": CX},
    "dashboard.complaint_step": {"POST": CX},
    "dashboard.complaint_drop": {"POST": CX},
    "dashboard.win_back": {"GET": CX},
    "dashboard.campaign_list": {"GET": CX},
    "dashboard.campaign_new": {"GET": CX, "POST": CX},
    "dashboard.campaign_edit": {"GET": CX, "POST": CX},
    "dashboard.campaign_detail": {"GET": CX},
    "dashboard.campaign_test_send": {"POST": CX},
    "dashboard.campaign_send": {"POST": CX},
    "dashboard.cpr_list": {"GET": CX},
    "dashboard.churn": {"GET": STAFF},
    "dashboard.fix_ledger": {"GET": STAFF},
    "dashboard.churn_counts_upload": {"POST": CX},
    "dashboard.cpr_case": {"GET": CX},
    "dashboard.cpr_open": {"POST": CX},
    "dashboard.cpr_offer": {"POST": CX},
    "dashboard.cpr_outcome": {"POST": CX},
    "dashboard.customers": {"GET": CX},
    "dashboard.customer": {"GET": CX},
    "dashboard.customer_invite": {"POST": CX},
    "dashboard.customer_contact": {"POST": CX},
    "dashboard.import_customers": {"GET": CX, "POST": CX},
    "dashboard.import_customers_columns": {"POST": CX},
    "dashboard.outbox": {"GET": CX},
    "dashboard.outbox_retry": {"POST": CX},
    "dashboard.outbox_requeue": {"POST": CX},
    "dashboard.outbox_files": {"GET": CX},
    "dashboard.outbox_file": {"GET": CX},
    "dashboard.invitations_new": {"GET": CX, "POST": CX},
    "dashboard.invitation_funnel": {"GET": CX},
    "dashboard.admin_users": {"GET": ADMIN},
    "dashboard.admin_users_invite": {"POST": ADMIN},
    "dashboard.admin_user_role": {"POST": ADMIN},
    "dashboard.admin_user_deactivate": {"POST": ADMIN},
    "dashboard.admin_user_reactivate": {"POST": ADMIN},
    "dashboard.admin_user_reset_link": {"POST": ADMIN},
    "dashboard.admin_audit": {"GET": ADMIN},
    "dashboard.admin_api_keys": {"GET": ADMIN},
    "dashboard.admin_api_keys_create": {"POST": ADMIN},
    "dashboard.admin_api_key_revoke": {"POST": ADMIN},
    "dashboard.admin_webhooks": {"GET": ADMIN},
    "dashboard.admin_webhooks_create": {"POST": ADMIN},
    "dashboard.admin_webhook_toggle": {"POST": ADMIN},
    "dashboard.admin_webhook_resend": {"POST": ADMIN},
    "dashboard.admin_webhook_resend_failed": {"POST": ADMIN},
    "dashboard.admin_privacy": {"GET": ADMIN, "POST": ADMIN},
    "dashboard.admin_causes": {"GET": ADMIN},
}
#: Allowed POSTs not sent by the table walk because an empty form would start real work
#: (an NLP run); their denial for other roles is still checked.
NOT_EXERCISED_WHEN_ALLOWED = {"dashboard.start_analysis"}
#: Reachable without signing in (checked in their own tests); here: never 403 and never a 500.
PUBLIC = {
    "public.index",
    "public.healthz",
    "public.winback_click",
    "public.winback_open",
    "public.winback_opt_out",
    "public.we_fixed_it_opt_out",
    "public.survey_page",
    "public.survey_opt_out",
    "public.survey_thanks",
    "public.survey_unsubscribe",
    "auth.login",
    "auth.set_password",
    "auth.logout",
    "static",
    "public.favicon",
    "api.departures",
    "api.stripe_webhook",
    "api.active_counts",
    "api.chargebee_webhook",
    "api.paddle_webhook",
    "api.read_customers",
    "api.read_responses",
    "api.read_root_causes",
    "api.read_themes",
    "api.read_action_items",
    "api.openapi_document",
}


@pytest.fixture
def world(app, db, make):
    return seed_world(app, db, make)


def _url(rule: Rule, values: dict) -> str:
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"{rule.rule}: the test has no value for {missing}"
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<{arg}>", str(values[arg]))
        for converter in ("int", "path", "string"):
            path = path.replace(f"<{converter}:{arg}>", str(values[arg]))
    return path


def _rules(app) -> list[tuple[Rule, str]]:
    pairs = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            pairs.append((rule, method))
    return sorted(pairs, key=lambda p: (p[1] != "GET", p[0].rule))  # every GET before any POST changes data


def test_every_route_has_an_access_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undecided = endpoints - set(ACCESS) - PUBLIC
    assert not undecided, f"routes with no entry in the access table: {sorted(undecided)}"
    for rule, method in _rules(app):
        if rule.endpoint in ACCESS:
            assert method in ACCESS[rule.endpoint], f"{method} {rule.rule} has no access entry"


@pytest.mark.parametrize("role", ROLES)
def test_route_role_table(app, client, login, world, role):
    if role == "anonymous":
        token = csrf_token(client.get("/auth/login"))
    else:
        login(role)
        token = _token_from_any_form(client)
    problems = []
    for rule, method in _rules(app):
        if rule.endpoint == "auth.logout":
            continue  # ends the session; covered in test_auth
        url = _url(rule, world)
        allowed = rule.endpoint in PUBLIC or role in ACCESS[rule.endpoint][method]
        if method == "POST" and allowed and rule.endpoint in NOT_EXERCISED_WHEN_ALLOWED:
            continue
        if method == "POST" and rule.endpoint in PUBLIC:
            continue  # public forms and the API have their own tests (CSRF, keys, signatures)
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        status = response.status_code
        location = response.headers.get("Location", "")
        if status >= 500:
            problems.append(f"{method} {url}: {status}")
        elif rule.endpoint in PUBLIC:
            if status == 403:
                problems.append(f"{method} {url}: public route answered 403")
        elif role == "anonymous":
            if not (status == 302 and "/auth/login" in location):
                problems.append(
                    f"{method} {url}: anonymous got {status} {location}, expected a redirect to sign in"
                )
        elif not allowed:
            if status != 403:
                problems.append(f"{method} {url}: {role} got {status}, expected 403")
        elif status in (401, 403) or "/auth/login" in location:
            problems.append(f"{method} {url}: {role} got {status} {location}, expected access")
        if response.mimetype == "text/html" and status == 200:
            html = response.get_data(as_text=True)
            leaked = [marker for marker in RAW_MARKERS if marker in html]
            if leaked:
                problems.append(f"{method} {url}: unescaped free text {leaked}")
    assert not problems, "\n".join(problems)


def _token_from_any_form(client) -> str:
    """A CSRF token from the staff navigation (the sign-out form is on every dashboard page)."""
    return csrf_token(client.get("/dashboard/"))


def test_product_cannot_edit_an_action_owned_by_another_team(app, client, login, world, db):
    item = db.session.get(ActionItem, world["item_id"])
    item.owner_team = "billing"
    db.session.commit()
    login("product")
    token = _token_from_any_form(client)
    assert client.get(f"/dashboard/actions/{item.id}").status_code == 200
    assert (
        client.post(
            f"/dashboard/actions/{item.id}", data={"csrf_token": token, "title": "Mine now"}
        ).status_code
        == 403
    )


def test_staff_sessions_do_not_open_the_api(client, login):
    login("admin")
    response = client.post(
        "/api/v1/departures", json={"external_id": "x", "email": "a@b.example", "left_at": "2026-10-01"}
    )
    assert response.status_code == 401 and response.is_json


def test_every_form_post_without_a_csrf_token_is_refused(app, client, login, world):
    """CSRF on every cookie-authenticated POST; only the RFC 8058 one-click unsubscribes and the API are exempt."""
    exempt = {"public.survey_unsubscribe", "public.winback_opt_out", "public.we_fixed_it_opt_out"} | {
        e for e in PUBLIC if e.startswith("api.")
    }
    login("admin")
    refused, accepted = [], []
    for rule, method in _rules(app):
        if method != "POST" or rule.endpoint in exempt:
            continue
        response = client.post(
            _url(rule, world), data={"email": "x@staff.example", "role": "cx", "label": "x"}
        )
        (refused if response.status_code == 400 else accepted).append(f"{rule.rule}: {response.status_code}")
    assert not accepted, accepted
    assert len(refused) >= 20
