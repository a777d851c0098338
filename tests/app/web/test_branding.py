"""The company's logo and colour from config on the dashboard, on the vendored design system."""

from __future__ import annotations

import subprocess
import sys

import pytest

from feedback_app.branding import ink_on


def test_dashboard_uses_the_vendored_framework_and_the_brand(app, client, login):
    app.config.update(BRAND_COLOUR="#ffcc00", BRAND_LOGO_URL="https://cdn.brightloop.example/logo.svg")
    login("cx")
    response = client.get("/dashboard/overview")
    page = response.get_data(as_text=True)
    assert "/static/vendor/pico/pico.min.css" in page and "/static/css/dashboard.css" in page
    assert "/static/css/app.css" not in page, "one design system on the dashboard"
    assert "--brand: #ffcc00; --brand-ink: #111111;" in page, "dark text on a light brand colour"
    assert '<img src="https://cdn.brightloop.example/logo.svg" alt="" height="28">' in page
    assert (
        "img-src 'self' data: https://cdn.brightloop.example;" in response.headers["Content-Security-Policy"]
    )
    assert client.get("/static/vendor/pico/pico.min.css").status_code == 200
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


@pytest.mark.parametrize(
    "logo",
    [
        "https://cdn.example;script-src * 'unsafe-inline'/l.png",
        "https://cdn.example *.evil.example/l.png",
        "https://[::1/l.png",
    ],
)
def test_a_logo_address_never_changes_the_policy_or_breaks_a_page(app, client, logo):
    """Set in app.config (past the startup check): the policy's img-src takes the logo's origin
    only when it is a plain https host, so nothing in it ends the directive or adds a source, and an
    address urlsplit cannot read no longer fails every response."""
    app.config.update(BRAND_LOGO_URL=logo)
    response = client.get("/auth/login")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "*" not in policy and "unsafe-inline' " not in policy.split("style-src")[0]
    assert "img-src 'self' data:;" in policy and policy.count("script-src") == 1


def test_default_brand_is_the_company_name_and_app_blue(client, login):
    login("cx")
    page = client.get("/dashboard/overview").get_data(as_text=True)
    assert "--brand: #0b5cad; --brand-ink: #ffffff;" in page
    assert "<span>Brightloop</span></a>" in page


def test_text_on_the_brand_colour_is_the_more_readable_of_black_and_white():
    assert ink_on("#0b5cad") == "#ffffff"
    assert ink_on("#ffffff") == "#111111"
    assert ink_on("#ffcc00") == "#111111"


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("BRAND_COLOUR", "blue", "BRAND_COLOUR must be a colour like #0b5cad, got 'blue'"),
        ("BRAND_LOGO_URL", "http://x.example/l.png", "BRAND_LOGO_URL must be an https:// URL"),
        # the host goes into the Content-Security-Policy: no directive or source may come with it
        (
            "BRAND_LOGO_URL",
            "https://cdn.example;script-src * 'unsafe-inline'/l.png",
            "must be an https:// URL",
        ),
    ],
)
def test_a_bad_brand_setting_stops_the_app_with_its_name(name, value, message):
    result = subprocess.run(
        [sys.executable, "-c", "import config"],
        env={"PATH": "/usr/bin:/bin", name: value},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and message in result.stderr
