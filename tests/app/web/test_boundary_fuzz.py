"""Every route in ``app.url_map`` sent malformed input at its boundary: junk path values, junk
query strings, junk and duplicated form fields, wrong content types, JSON of the wrong shape,
oversized bodies; signed in as an admin and anonymously. Never a 500; an API route's error is
JSON and names what was wrong.

``test_fuzz.py`` and ``test_fuzz_api.py`` fuzz the survey form, CSV cells, the staff filters and
the departures API and Stripe bodies in depth; ``test_route_access.py`` checks who may open what.
This module is the walk over every route, so a new route is fuzzed without anyone listing it.
Hypothesis runs derandomized with a fixed number of examples: the same inputs every run.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from html import unescape
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from feedback_app.services.billing.chargebee import basic_header
from feedback_app.services.billing.paddle import sign as paddle_sign
from feedback_app.services.billing.stripe import sign as stripe_sign
from tests.app.web.staff_world import seed_world

#: Posts that would start real work (an NLP run loading models) on a form that happens to pass.
NOT_POSTED = {"dashboard.start_analysis", "auth.logout"}
#: Query values, percent-encoded as a client may send them: NUL, a lone surrogate (CESU-8),
#: bytes that are not UTF-8, non-ASCII digits, numbers past every limit, dates that do not exist.
JUNK_QUERY_VALUES = [
    "",
    "-1",
    "0",
    "99999999999999999999",
    "9" * 5000,
    "1e309",
    "NaN",
    "%C2%B2",  # '²': a digit to str.isdigit, not to int
    "%D9%A3",  # Arabic-Indic three
    "%00",
    "a%00b",
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "%FF%FE",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "-0001-01-01",
    "2026-10-01T25:61:00",
    "x" * 10_000,
    "%5B%5D",  # []
    "..%2F..%2Fetc%2Fpasswd",
    "%3Cscript%3E",
]
#: Query names the views and services read (report filters, lists, read API, links).
QUERY_NAMES = [
    "page",
    "sort",
    "order",
    "from",
    "to",
    "start",
    "end",
    "since",
    "until",
    "limit",
    "cursor",
    "status",
    "kind",
    "plan",
    "segment",
    "churn_type",
    "survey",
    "theme",
    "cause",
    "themes",
    "customer",
    "reason",
    "lang",
    "text",
    "show",
    "next",
    "edit",
    "action",
    "offer_value",
    "cost_to_serve",
    "q",
    "source",
    "fmt",
]
#: Form field names the app's forms and views read (WTForms fields and ``request.form``).
FORM_NAMES = (
    "actions address answers body booking_link booking_note can_read can_write cause causes change "
    "confirm cost_to_serve create customer description digest dry_run due_date edit_of email erase "
    "events export file fmt follow_up held_on holdout_percent include_involuntary interviewer label "
    "landing_url left_before left_from left_since left_to lock ltv_max ltv_min name note notes "
    "offer_code offer_deadline offer_text offer_value outcome owner_team password plan plans preview "
    "role root_cause segment segments send_at since source status subject submit survey target theme "
    "themes title url version step ids theme_ids response_ids target_theme back_theme counts month"
).split()
#: Form values, as text (the client encodes them): the same kinds as the query junk.
JUNK_FORM_VALUES = [
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999",
    "9" * 5000,
    "1e309",
    "NaN",
    "\u00b2",
    "\x00",
    "a\x00b",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "x" * 10_000,
    "[]",
    '{"a": 1}',
    "yes",
    "on",
]
#: Path values for ``<token>``/``<name>``-like parts and for ``<int:...>`` ids, percent-encoded.
JUNK_PATH_VALUES = [
    "-1",
    "0",
    "99999999999999999999",
    "%C2%B2",
    "%D9%A3",
    "%00",
    "%ED%A0%80",
    "%FF",
    "x" * 3000,
    "..%2F..%2Fconfig.py",
    "a.b",
    "%20",
]
#: JSON bodies of the wrong shape for any API route.
JUNK_JSON_BODIES = [
    b"[]",
    b"[1, 2]",
    b"1",
    b"-1e999",
    b"null",
    b'"text"',
    b"true",
    b"{}",
    b'{"a": {"b": {"c": []}}}',
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
    b"\xff\xfe{\x00}\x00",
    b"{",
    b"",
    b"\x00",
    b'{"\\ud800": "\\udfff"}',
    b'[{"external_id": "\\u0000", "email": "\\ud800@x.example", "left_at": "2026-02-30"}]',
    b'[{"external_id": ["a"], "email": {"x": 1}, "left_at": 20261001, "monthly_revenue": "1e309"}]',
]
WRONG_CONTENT_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=zz",
    "application/json; charset=latin-1",
    "application/xml",
    "",
]
API_SECRETS = {
    "STRIPE_WEBHOOK_SECRET": "whsec_boundary",
    "PADDLE_WEBHOOK_SECRET": "pdl_ntfset_boundary",
    "CHARGEBEE_WEBHOOK_USERNAME": "chargebee",
    "CHARGEBEE_WEBHOOK_PASSWORD": "a-long-random-password",
}


@pytest.fixture
def app_overrides() -> dict[str, object]:
    """The billing webhooks configured, so they verify and go on to read the body; an exception
    in a view answered as the 500 a client would get, so a walk lists every crash, not the first."""
    return {**API_SECRETS, "PROPAGATE_EXCEPTIONS": False}


def _sign_in(app, login) -> None:
    """Signs an admin in, then turns CSRF off so junk reaches each form's own validation (CSRF
    has its own test in ``test_route_access.py``)."""
    app.config["WTF_CSRF_ENABLED"] = True
    login("admin")
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def world(app, db, make):
    return seed_world(app, db, make)


@pytest.fixture
def admin(app, login, world):
    _sign_in(app, login)
    return world


def _rules(app) -> Iterator[tuple[Rule, str]]:
    """Every route and method but the static files, GETs first (a POST may change data)."""
    pairs = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]
    yield from sorted(pairs, key=lambda pair: (pair[1] != "GET", pair[0].rule))


def _url(rule: Rule, values: dict, replace: dict[str, str] | None = None) -> str:
    """The rule's path with the world's values, or the given raw (already encoded) ones."""
    path = rule.rule
    for arg in rule.arguments:
        value = (replace or {}).get(arg, quote(str(values[arg]), safe=""))
        for pattern in (f"<{arg}>", f"<int:{arg}>", f"<path:{arg}>", f"<string:{arg}>"):
            path = path.replace(pattern, value)
    return path


def _is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def _api_headers(endpoint: str, body: bytes, api_key: str) -> dict[str, str]:
    """The credentials each API route checks first, so the body reaches its validation."""
    now = int(time.time())
    if endpoint == "api.stripe_webhook":
        return {
            "Stripe-Signature": f"t={now},v1={stripe_sign(body, API_SECRETS['STRIPE_WEBHOOK_SECRET'], now)}"
        }
    if endpoint == "api.paddle_webhook":
        return {
            "Paddle-Signature": f"ts={now};h1={paddle_sign(body, API_SECRETS['PADDLE_WEBHOOK_SECRET'], now)}"
        }
    if endpoint == "api.chargebee_webhook":
        return {
            "Authorization": basic_header(
                API_SECRETS["CHARGEBEE_WEBHOOK_USERNAME"], API_SECRETS["CHARGEBEE_WEBHOOK_PASSWORD"]
            )
        }
    return {"Authorization": f"Bearer {api_key}"}


def _problem(method: str, url: str, response, *, api: bool) -> str | None:
    """What is wrong with the answer: a 5xx, or an API error that is not JSON naming something."""
    shown = url if len(url) < 120 else url[:117] + "..."
    if response.status_code >= 500:
        return f"{method} {shown}: {response.status_code}"
    if api and response.status_code >= 400:
        if not response.is_json:
            return f"{method} {shown}: {response.status_code} not JSON"
        body = response.get_json()
        named = body.get("message") or all(
            e.get("field") or e.get("message") for e in body.get("errors", [{}])
        )
        if not named:
            return f"{method} {shown}: {response.status_code} {body} names nothing"
    return None


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize("signed_in", [True, False], ids=["admin", "anonymous"])
def test_junk_path_values_are_never_a_500(app, client, login, world, signed_in):
    if signed_in:
        _sign_in(app, login)
    else:
        app.config["WTF_CSRF_ENABLED"] = False  # junk reaches the public forms' validation
    problems = []
    for rule, method in _rules(app):
        if not rule.arguments or (method == "POST" and rule.endpoint in NOT_POSTED):
            continue
        if not signed_in and rule.rule.startswith("/dashboard/"):
            continue  # anonymous: staff pages only redirect to the sign-in page
        for arg in rule.arguments:
            for junk in JUNK_PATH_VALUES:
                url = _url(rule, world, {arg: junk})
                problem = _problem(method, url, client.open(url, method=method), api=_is_api(rule))
                if problem:
                    problems.append(problem)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- query strings


#: The query values each route gets in the walk (the Hypothesis test below draws from them all).
WALKED_QUERY_VALUES = ["9" * 5000, "%C2%B2", "a%00%ED%A0%80%FFb", "2026-02-30", "x" * 10_000]


def _junk_queries() -> Iterator[str]:
    """Every name with one junk value at a time, every name repeated, and broken pairs."""
    for value in WALKED_QUERY_VALUES:
        yield "&".join(f"{name}={value}" for name in QUERY_NAMES)
    yield "&".join(f"{name}=1&{name}=x&{name}=&{name}=%00" for name in QUERY_NAMES)
    yield "&&&=&==&%00=%00&" + "a=&" * 200


@pytest.mark.parametrize("signed_in", [True, False], ids=["admin", "anonymous"])
def test_junk_query_strings_are_never_a_500(app, client, login, world, api_key, signed_in):
    if signed_in:
        _sign_in(app, login)
    problems = []
    for rule, method in _rules(app):
        if method != "GET" or (not signed_in and rule.rule.startswith("/dashboard/")):
            continue  # anonymous: staff pages only redirect to the sign-in page
        for query in _junk_queries():
            url = f"{_url(rule, world)}?{query}"
            headers = _api_headers(rule.endpoint, b"", api_key) if _is_api(rule) else {}
            problem = _problem(
                method, url, client.open(url, method=method, headers=headers), api=_is_api(rule)
            )
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- forms


#: The form values each POST gets in the walk (the Hypothesis test below draws from them all).
WALKED_FORM_VALUES = ["", "99999999999999999999", "9" * 5000, "\u00b2", "a\x00b", "2026-02-30", "x" * 10_000]


def _junk_forms() -> Iterator[list[tuple[str, str]]]:
    """No field, every field with one junk value, every field twice with two values."""
    yield []
    for value in WALKED_FORM_VALUES:
        yield [(name, value) for name in FORM_NAMES]
    yield [pair for name in FORM_NAMES for pair in ((name, "1"), (name, "\x00x"))]


#: Form bodies as bytes a client may send: a lone surrogate and bytes that are not UTF-8, encoded.
RAW_FORMS = [
    "&".join(f"{name}={value}" for name in FORM_NAMES).encode() for value in ("%ED%A0%80%FF%00", "%D9%A3")
]


def test_junk_forms_on_every_staff_post_are_never_a_500(app, client, login, admin):
    problems = []
    for rule, method in _rules(app):
        if method != "POST" or rule.endpoint in NOT_POSTED or _is_api(rule):
            continue
        url = _url(rule, admin)
        for form in _junk_forms():
            response = client.post(url, data=MultiDict(form))
            problem = _problem(method, url, response, api=False)
            if problem:
                problems.append(f"{problem} with {form[:1]}")
        for raw in RAW_FORMS:
            response = client.post(url, data=raw, content_type="application/x-www-form-urlencoded")
            problem = _problem(method, url, response, api=False)
            if problem:
                problems.append(f"{problem} with {raw[:30]!r}")
        # A post may have ended the session. The profile has the same ``roles_required(*ALL_STAFF)``
        # as the overview this asked before, without computing its figures (a sixth of the test's CPU).
        if client.get("/dashboard/profile").status_code != 200:
            _sign_in(app, login)
    assert not problems, "\n".join(problems)


_HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
_ATTR = re.compile(r'(name|value)="([^"]*)"')


def _hidden_fields(html: str) -> dict[str, str]:
    """The page's hidden inputs (a survey form's signature, version, edit_of), by name."""
    fields = {}
    for tag in _HIDDEN.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if "name" in attrs:
            fields[attrs["name"]] = unescape(attrs.get("value", ""))
    return fields


def test_junk_in_signed_public_forms_is_never_a_500(app, client, world):
    """The public forms (survey, opt-outs, sign-in, set-password) posted with their page's own
    signed hidden fields, so the junk gets past the signature to the answers' validation; each
    hidden field is also junked in turn (edit_of, version)."""
    app.config["WTF_CSRF_ENABLED"] = True  # the sign-in form's token comes from its page, as a browser's
    problems = []
    for rule, method in _rules(app):
        if (
            method != "POST"
            or _is_api(rule)
            or rule.rule.startswith("/dashboard")
            or rule.endpoint in NOT_POSTED
        ):
            continue
        if "GET" not in (rule.methods or set()):
            continue
        url = _url(rule, world)
        hidden = _hidden_fields(client.get(url).get_data(as_text=True))
        junked = [MultiDict(form) for form in _junk_forms()] + [
            MultiDict({**hidden, name: value})
            for name in hidden
            if name != "csrf_token"
            for value in WALKED_FORM_VALUES
        ]
        for form in junked:
            for name, value in hidden.items():
                if name not in form:
                    form[name] = value
            problem = _problem(method, url, client.post(url, data=form), api=False)
            if problem:
                problems.append(f"{problem} with {list(form.items())[:2]}")
    assert not problems, "\n".join(problems)


def test_wrong_bodies_on_every_post_are_never_a_500(app, client, admin, api_key):
    """A JSON body, plain text, a broken multipart body, a file where text is expected."""
    problems = []
    for rule, method in _rules(app):
        if method != "POST" or rule.endpoint in NOT_POSTED:
            continue
        url = _url(rule, admin)
        bodies: list[dict] = [
            {"data": json.dumps({"email": ["x"], "name": {"a": 1}}), "content_type": "application/json"},
            {"data": b"\xff\xfe\x00junk", "content_type": "text/plain"},
            {
                "data": b"--zz\r\nContent-Disposition: form-data; name=",
                "content_type": "multipart/form-data; boundary=zz",
            },
            {"data": {"file": (b"\xff\xfe" + "é,ü\n".encode("utf-16-le"), "x.csv"), "name": "x"}},
            {
                "data": {
                    name: (b"\x00" * 10, "x.bin") for name in ("file", "email", "name", "label", "survey")
                }
            },
        ]
        for body in bodies:
            raw = body["data"] if isinstance(body["data"], bytes | str) else b""
            headers = _api_headers(rule.endpoint, raw if isinstance(raw, bytes) else raw.encode(), api_key)
            response = client.post(url, headers=headers if _is_api(rule) else {}, **body)
            problem = _problem(method, url, response, api=_is_api(rule))
            if problem:
                problems.append(f"{problem} ({body.get('content_type', 'multipart')})")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the API's JSON


def _api_posts(app) -> list[Rule]:
    return [rule for rule, method in _rules(app) if method == "POST" and _is_api(rule)]


def test_json_of_the_wrong_shape_is_a_json_error_on_every_api_post(app, client, db, api_key):
    problems = []
    for rule in _api_posts(app):
        for body in JUNK_JSON_BODIES:
            for content_type in ["application/json", *WRONG_CONTENT_TYPES]:
                headers = {**_api_headers(rule.endpoint, body, api_key), "Content-Type": content_type}
                response = client.post(rule.rule, data=body, headers=headers)
                problem = _problem("POST", rule.rule, response, api=True)
                if problem:
                    problems.append(f"{problem} body {body[:40]!r} as {content_type!r}")
    assert not problems, "\n".join(problems)


def test_oversized_bodies_are_413_on_every_post(app, client, admin, api_key):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["API_MAX_BODY_BYTES"] = 64 * 1024
    body = b"[" + b" " * (100 * 1024) + b"]"
    problems = []
    for rule, method in _rules(app):
        if method != "POST":
            continue
        headers = _api_headers(rule.endpoint, body, api_key) if _is_api(rule) else {}
        response = client.post(
            _url(rule, admin), data=body, headers={**headers, "Content-Type": "application/json"}
        )
        if response.status_code != 413:
            problems.append(f"POST {rule.rule}: {response.status_code}, expected 413")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- hypothesis: mixed junk

QUERY_PAIR = st.tuples(st.sampled_from(QUERY_NAMES), st.sampled_from(JUNK_QUERY_VALUES))
FORM_PAIR = st.tuples(st.sampled_from(FORM_NAMES), st.sampled_from(JUNK_FORM_VALUES))
MIXED = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@MIXED
@given(data=st.data())
def test_mixed_junk_on_any_route_is_never_a_500(app, client, admin, api_key, data):
    """Several junk query keys and form fields together, on any route: combinations the walks
    above, one junk kind at a time, do not send."""
    rules = [pair for pair in _rules(app) if not (pair[1] == "POST" and pair[0].endpoint in NOT_POSTED)]
    rule, method = data.draw(st.sampled_from(rules), label="route")
    path = {
        arg: data.draw(st.sampled_from(JUNK_PATH_VALUES + [quote(str(admin[arg]), safe="")]), label=arg)
        for arg in rule.arguments
    }
    query = "&".join(f"{k}={v}" for k, v in data.draw(st.lists(QUERY_PAIR, max_size=6), label="query"))
    url = f"{_url(rule, admin, path)}?{query}"
    form = data.draw(st.lists(FORM_PAIR, max_size=12), label="form") if method == "POST" else None
    headers = _api_headers(rule.endpoint, b"", api_key) if _is_api(rule) else {}
    response = client.open(url, method=method, data=MultiDict(form), headers=headers)
    problem = _problem(method, url, response, api=_is_api(rule))
    assert problem is None, problem
