"""Every route x {anonymous, product, cx, admin}: the status each gets, from one table.

The table below is the access policy (issue 7): admin may do everything; cx everything but staff
accounts and keys; product reads reports and themes and edits the action items its teams own.
A route missing from the table fails the test, so a new page cannot ship without a decision.
The data is seeded with script-injection payloads in every free-text field; every HTML page any
role can open must show them escaped.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from werkzeug.routing import Rule

from feedback_app.models import ActionItem, AnalysisRun, ComplaintCase, FollowUp, Theme, ThemeAssignment
from feedback_app.ratelimit import limiter
from feedback_app.services.outreach import outbox
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
    "dashboard.close_loop_preview": {"GET": CX},
    "dashboard.close_loop_send": {"POST": CX},
    "dashboard.close_loop_email_save": {"POST": CX},
    "dashboard.close_loop_schedule_save": {"POST": CX},
    "dashboard.follow_up_queue": {"GET": CX},
    "dashboard.follow_up_handled": {"POST": CX},
    "dashboard.follow_ups_handled_bulk": {"POST": CX},
    "dashboard.conversations": {"GET": CX},
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
    "dashboard.import_customers": {"GET": CX, "POST": CX},
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
    "dashboard.admin_user_reset_link": {"POST": ADMIN},
    "dashboard.admin_audit": {"GET": ADMIN},
    "dashboard.admin_api_keys": {"GET": ADMIN},
    "dashboard.admin_api_keys_create": {"POST": ADMIN},
    "dashboard.admin_api_key_revoke": {"POST": ADMIN},
    "dashboard.admin_webhooks": {"GET": ADMIN},
    "dashboard.admin_webhooks_create": {"POST": ADMIN},
    "dashboard.admin_webhook_toggle": {"POST": ADMIN},
    "dashboard.admin_privacy": {"GET": ADMIN, "POST": ADMIN},
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

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW_MARKERS = ('<script>alert("xss")', "<img src=x onerror")


@pytest.fixture
def world(app, db, make):
    """One of everything a route can name, with script payloads in every free-text field."""
    limiter().enabled = False  # this test sends many requests; limits have their own tests
    app.config.update(MAIL_TRANSPORT="file")
    survey = make.survey()
    customer = make.customer(name=f"Pat {XSS}", company=XSS, email="pat.xss@example.org")
    invitation, token = make.invitation(customer=customer, survey=survey, status="sent")
    email = outbox.queue_email(
        kind="invitation",
        idempotency_key="route-table",
        recipient=customer.email,
        subject=f"Hello {XSS}",
        body_text=f"Hi {XSS}",
        body_html=f"<p>Hi {XSS}</p>",
        customer_id=customer.id,
        invitation_id=invitation.id,
    )
    db.session.commit()
    outbox.deliver()
    response = make.response(
        invitation=invitation, answers={"what_happened": f"It broke. {XSS}"}, redacted_text=f"It broke. {XSS}"
    )
    run = AnalysisRun(status="succeeded", progress=1.0, stage="done", finished_at=datetime.now(UTC))
    db.session.add(run)
    db.session.flush()
    theme = Theme(
        stable_key="t-xss",
        label=f"Bugs {XSS}",
        keywords=[XSS],
        quotes=[f"It broke. {XSS}"],
        size=1,
        category="bugs_reliability",
        first_seen_run_id=run.id,
        last_seen_run_id=run.id,
    )
    db.session.add(theme)
    db.session.flush()
    db.session.add(ThemeAssignment(run_id=run.id, response_id=response.id, theme_id=theme.id))
    item = ActionItem(
        title=f"Fix {XSS}",
        theme=theme,
        owner_team="product",
        root_cause=XSS,
        actions=[XSS],
        evidence={"quotes": [XSS]},
    )
    follow_up = FollowUp(response_id=response.id, reason=f"asked for contact {XSS}")
    db.session.add_all([item, follow_up])
    db.session.flush()
    case = ComplaintCase(customer_id=customer.id, step="acknowledge", status="open", history=[])
    db.session.add(case)
    db.session.commit()
    from datetime import date, timedelta

    from feedback_app.models import WinbackCampaign

    campaign = WinbackCampaign(
        name=f"Win {XSS}",
        target={"causes": ["bugs_reliability"]},
        seed=7,
        offer_text=f"Offer {XSS}",
        offer_deadline=date.today() + timedelta(days=9),
        subject=f"Hi {XSS}",
        body="{offer} {link}",
        landing_url="https://x.example/",
    )
    db.session.add(campaign)
    db.session.commit()
    target, _ = make.staff_user("product", email="target@staff.example")
    from feedback_app.services.accounts.api_keys import create_key

    key, _raw = create_key(f"billing {XSS}", actor="test")
    from feedback_app.services.integrations.webhooks import subscribe

    endpoint = subscribe("https://hooks.example/x", ["action.shipped"], description=XSS, actor="test")
    from pathlib import Path

    eml = next(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    return {
        "item_id": item.id,
        "run_id": run.id,
        "theme_id": theme.id,
        "user_id": target.id,
        "response_id": response.id,
        "email_id": email.id,
        "key_id": key.id,
        "follow_up_id": follow_up.id,
        "endpoint_id": endpoint.id,
        "name": eml.name,
        "token": token,
        "campaign_id": campaign.id,
        "customer_id": customer.id,
        "fmt": "csv",
        "filename": "css/app.css",
        "case_id": case.id,
    }


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
    exempt = {"public.survey_unsubscribe", "public.winback_opt_out"} | {
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
