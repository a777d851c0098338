"""Every response carries the browser protections; cookies and proxies behave as configured."""

from __future__ import annotations

import logging

import pytest

from config import TestingConfig
from feedback_app import create_app
from feedback_app.extensions import db as _db
from feedback_app.logsafety import mask
from tests.helpers import csrf_token


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize(
    "path", ["/", "/auth/login", "/healthz", "/dashboard/", "/no-such-page", "/s/some-token"]
)
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    csp = _csp(response)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == "object-src 'none'"
    assert csp["base-uri"] == "base-uri 'none'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_pages_without_inline_script_allow_only_this_origin(client):
    assert _csp(client.get("/"))["script-src"] == "script-src 'self'"


def test_a_page_that_uses_a_nonce_gets_a_fresh_one_per_response_matching_its_script():
    from flask import render_template_string

    app = create_app(TestingConfig)
    app.add_url_rule(
        "/inline", "inline", lambda: render_template_string('<script nonce="{{ csp_nonce() }}">1</script>')
    )
    client = app.test_client()
    pages = [client.get("/inline") for _ in range(2)]
    sources = [_csp(page)["script-src"] for page in pages]
    assert sources[0] != sources[1]
    for page, source in zip(pages, sources, strict=True):
        nonce = page.get_data(as_text=True).split('nonce="')[1].split('"')[0]
        assert source == f"script-src 'self' 'nonce-{nonce}'"


def test_survey_pages_send_no_referrer_and_others_same_origin(client):
    assert client.get("/s/abc123").headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/auth/login").headers["Referrer-Policy"] == "same-origin"


def test_pages_whose_url_is_a_secret_ask_not_to_be_indexed(client, make):
    from tests.app.survey_helpers import shipped_survey

    _invitation, live_token = make.invitation(survey=shipped_survey("saas_cancellation"), status="sent")
    assert client.get(f"/s/{live_token}").status_code == 200
    for path in (
        f"/s/{live_token}",
        f"/s/{live_token}/opt-out",
        "/s/unknown-token",
        "/auth/set-password/abc",
    ):
        assert client.get(path).headers["X-Robots-Tag"] == "noindex, nofollow", path
    assert "X-Robots-Tag" not in client.get("/auth/login").headers


def test_win_back_and_we_fixed_it_links_are_secret_urls_too(client, make, db):
    """``/w/<token>`` (a win-back email's click, pixel and opt-out) and ``/f/<token>/opt-out`` (a
    "we fixed it" or CPR email's opt-out) hold a personal token like ``/s/``: no Referer, no cache,
    no index; found and unknown tokens alike."""
    from datetime import date, timedelta

    from feedback_app.models import CampaignMember, WinbackCampaign
    from feedback_app.services.actions import close_loop_links
    from feedback_app.services.outreach.tokens import hash_token

    customer = make.customer()
    campaign = WinbackCampaign(
        name="Come back",
        target={"causes": ["pricing"]},
        seed=1,
        offer_text="20% off",
        offer_deadline=date.today() + timedelta(days=9),
        subject="Hi",
        body="{offer} {link}",
        landing_url="https://x.example/",
    )
    db.session.add(campaign)
    db.session.flush()
    db.session.add(
        CampaignMember(
            campaign_id=campaign.id, customer_id=customer.id, arm="offer", token_hash=hash_token("w-token")
        )
    )
    db.session.commit()
    fixed = close_loop_links.make_token(customer)
    for path, status in (
        ("/w/w-token", 302),
        ("/w/w-token/open.gif", 200),
        ("/w/w-token/opt-out", 200),
        (f"/f/{fixed}/opt-out", 200),
        ("/w/unknown", 404),
        ("/f/unknown/opt-out", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow", path


def test_pages_with_personal_data_are_not_cached(client, login):
    login("cx")
    assert client.get("/dashboard/").headers["Cache-Control"] == "no-store"
    assert client.get("/s/abc123").headers["Cache-Control"] == "no-store"


def test_https_requests_get_hsts_and_a_secure_session_cookie(client, make):
    user, password = make.staff_user()
    page = client.get("/auth/login", base_url="https://afterword.test")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    response = client.post(
        "/auth/login",
        base_url="https://afterword.test",
        data={"email": user.email, "password": password, "csrf_token": csrf_token(page)},
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_plain_http_session_cookie_is_httponly_lax_but_not_secure(client, make):
    user, password = make.staff_user()
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login", data={"email": user.email, "password": password, "csrf_token": csrf_token(page)}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_request_bodies_over_the_limit_get_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/auth/login", data={"email": "a@b.example", "password": "x" * 5000})
    assert response.status_code == 413


def _proxied_app(tmp_path, x_for: int):
    proxied = create_app(
        TestingConfig,
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.db'}",
            "PROXY_FIX_X_FOR": x_for,
            "PROXY_FIX_X_PROTO": x_for,
            "RATELIMIT_SURVEY": "2/minute",
        },
    )
    with proxied.app_context():
        _db.create_all()
    return proxied


def test_rate_limits_key_on_the_real_client_behind_a_trusted_proxy(tmp_path):
    app = _proxied_app(tmp_path, x_for=1)
    client = app.test_client()
    one = {"X-Forwarded-For": "203.0.113.7"}
    other = {"X-Forwarded-For": "198.51.100.9"}
    codes = [client.get("/s/tok", headers=one).status_code for _ in range(3)]
    assert 429 not in codes[:2] and codes[2] == 429
    assert client.get("/s/tok", headers=other).status_code != 429  # another person is not blocked


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(tmp_path):
    app = _proxied_app(tmp_path, x_for=0)
    client = app.test_client()
    codes = [
        client.get("/s/tok", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)
    ]
    assert 429 not in codes[:2] and codes[2] == 429  # spoofed addresses do not reset the count


def test_a_rate_limited_page_says_when_to_retry(app, client):
    app.config["RATELIMIT_SURVEY"] = "1/minute"
    client.get("/s/tok")
    response = client.get("/s/tok")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Too many requests" in response.get_data(as_text=True)


def test_api_requests_are_rate_limited(app, client):
    app.config["RATELIMIT_API"] = "2/minute"
    codes = [client.get("/api/v1/nothing-here").status_code for _ in range(3)]
    assert codes[-1] == 429 and 429 not in codes[:2]
    assert client.get("/api/v1/nothing-here").is_json


def test_login_posts_are_rate_limited_per_address(app, client):
    app.config["RATELIMIT_LOGIN"] = "3/minute"
    codes = [client.post("/auth/login", data={}).status_code for _ in range(4)]
    assert codes[-1] == 429
    assert client.get("/auth/login").status_code == 200  # reading the page is not counted


@pytest.mark.parametrize(
    "text, secret",
    [
        ("GET /s/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u HTTP/1.1", "Zm9vYmFyYmF6cXV4"),
        ("GET /s/short-tok?x=1 HTTP/1.1", "short-tok"),
        ("mail to pat.example+tag@brightloop.example failed", "pat.example+tag@brightloop.example"),
        # internationalised addresses, which the address check accepts, were logged as they were
        ("mail to josé@example.com failed", "josé@"),
        ("Key (email)=(zoë@müller.de) already exists", "müller"),
        ("recipient user@例え.jp refused", "user@"),
        ("POST /auth/set-password/eyJ1IjoxfQ.abc.def 200", "eyJ1IjoxfQ"),
        ("GET /export?token=abc123 200", "abc123"),
        # the "we fixed it" opt-out and the win-back links carry a signed customer token too
        ("POST /f/eyJjIjoxMjYxfQ.Rtg9N-FP9YmbxKt4uX1LBr5NyPg/opt-out 200", "Rtg9N-FP9Ymb"),
        ("GET /w/eyJtIjo0Mn0.c2lnbmF0dXJl/open.gif 200", "c2lnbmF0dXJl"),
    ],
)
def test_logs_never_hold_tokens_or_emails(text, secret):
    assert secret not in mask(text)


@pytest.mark.parametrize(
    "text, secret",
    [
        # a bare survey token, an API key and a set-password token stay masked beside a task id
        (
            "Task outbox.deliver[0b9f4c4e-5d0a-4f38-9b1e-3f6e2d7c8a91] token "
            "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u",
            "Zm9vYmFyYmF6cXV4",
        ),
        ("bad key awk_Q2hhbmdlTWVDaGFuZ2VNZUNoYW5nZU1lQ2hhbmdlTWU1 from 10.0.0.1", "Q2hhbmdlTWVD"),
        ("link eyJ1IjoxMjN9.Z3xK_aQ.n1Wn3lDq0Pxj5cJY2R5qS8zq3B8vT1hA made", "n1Wn3lDq0Pxj"),
        # a UUID with anything glued on is not a bare task id
        ("secret x0b9f4c4e-5d0a-4f38-9b1e-3f6e2d7c8a91x", "0b9f4c4e-5d0a"),
        ("Connected to redis://:s3cret@127.0.0.1:6379/5", "s3cret"),
        ("postgresql+psycopg://afterword:pa55w0rd@db.internal:5432/afterword", "pa55w0rd"),
        ("redis://:p@ss@127.0.0.1:6379/5", "ss"),  # an unencoded @ in a password: all of it goes
        ("broker redis://:hunter2@localhost:6379/0 up", "hunter2"),  # a host without a dot leaked it
        ("amqp://guest:guest@rabbit.local// then pat@example.com", "pat@example.com"),
    ],
)
def test_log_masking_keeps_secrets_out_whatever_sits_beside_them(text, secret):
    assert secret not in mask(text)


@pytest.mark.parametrize(
    "text, masked",
    [
        # Celery's task ids: a UUID is no secret (jobs take ids only) and is how log lines match up
        (
            "Task outbox.deliver[0b9f4c4e-5d0a-4f38-9b1e-3f6e2d7c8a91] succeeded in 0.01s: None",
            "Task outbox.deliver[0b9f4c4e-5d0a-4f38-9b1e-3f6e2d7c8a91] succeeded in 0.01s: None",
        ),
        # a URL's password is masked, its host and user kept (the email rule used to eat the host)
        ("Connected to redis://:s3cret@127.0.0.1:6379/5", "Connected to redis://:***@127.0.0.1:6379/5"),
        (
            "engine postgresql+psycopg://afterword:pa55w0rd@db.internal:5432/afterword ready",
            "engine postgresql+psycopg://afterword:***@db.internal:5432/afterword ready",
        ),
        ("redis://:p@ss@127.0.0.1:6379/5", "redis://:***@127.0.0.1:6379/5"),
        (
            "broker amqp://guest:guest@rabbit.local// failed for pat@example.com",
            "broker amqp://guest:***@rabbit.local// failed for [email]",
        ),
        (
            "GET https://app.example/s/abc123?x=1 via redis://:pw@h:1/0",
            "GET https://app.example/s/[token]?x=1 via redis://:***@h:1/0",
        ),
    ],
)
def test_log_masking_keeps_what_is_no_secret(text, masked):
    assert mask(text) == masked


def test_request_log_lines_are_masked(app, caplog):
    # A logger of our own: the masking is on every record, and werkzeug's logger may be reconfigured by others.
    caplog.set_level(logging.INFO, logger="tests.request_log")
    logging.getLogger("tests.request_log").info(
        '127.0.0.1 - - "%s %s %s" %s -', "GET", "/s/secrettokenvalue", "HTTP/1.1", 200
    )
    logging.getLogger("feedback_app.test").warning("could not send to %s", "pat@example.com")
    assert "secrettokenvalue" not in caplog.text and "pat@example.com" not in caplog.text
    assert "/s/[token]" in caplog.text and "[email]" in caplog.text


def test_https_behind_a_trusted_proxy_gets_hsts(tmp_path):
    app = _proxied_app(tmp_path, x_for=1)
    response = app.test_client().get(
        "/", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert "Strict-Transport-Security" in response.headers
    plain = app.test_client().get("/", headers={"X-Forwarded-For": "203.0.113.7"})
    assert "Strict-Transport-Security" not in plain.headers


def test_a_views_own_headers_are_kept_or_replaced_never_doubled():
    """A view's Cache-Control stands (the security pass only fills it in when absent); a view's
    own X-Frame-Options or Referrer-Policy is replaced by the policy's; no header appears twice."""
    from flask import make_response

    app = create_app(TestingConfig)

    def own_headers():
        response = make_response("ok")
        response.headers["Cache-Control"] = "private, max-age=60"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["referrer-policy"] = "unsafe-url"
        return response

    app.add_url_rule("/s/own/headers", "own_headers", own_headers)
    headers = app.test_client().get("/s/own/headers").headers
    assert headers.getlist("Cache-Control") == ["private, max-age=60"]
    assert headers.getlist("X-Frame-Options") == ["DENY"]
    assert headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert headers.getlist("X-Robots-Tag") == ["noindex, nofollow"]
    assert len(headers.getlist("Content-Security-Policy")) == 1


def test_a_logged_traceback_is_masked_too(app, caplog):
    # A failing job or a 500 logs its traceback (logger.exception), whose last line is the error's
    # message: one that quotes an address or a survey link must not reach the log there either.
    from feedback_app.services.validation.email_addresses import InvalidEmail, check_email

    caplog.set_level(logging.ERROR, logger="feedback_app.jobs")
    try:
        check_email("pat.tracy@example.com /s/secrettokenvalue")
    except InvalidEmail:
        logging.getLogger("feedback_app.jobs").exception("job %s failed", "customers.import")
    assert "job customers.import failed" in caplog.text and "InvalidEmail" in caplog.text
    assert "pat.tracy@example.com" not in caplog.text and "secrettokenvalue" not in caplog.text
    assert "[email]" in caplog.text
    (record,) = caplog.records
    assert record.exc_info is None  # a handler formatting the exception itself gets nothing raw
