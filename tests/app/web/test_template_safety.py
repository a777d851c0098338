"""Templates keep to the rules the Content-Security-Policy relies on: no inline script or event
handlers, no third-party assets, data for scripts only through ``|tojson``, and ``|safe`` only
on HTML that was sanitised first."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[3] / "feedback_app" / "templates"
#: template -> why its ``|safe`` is safe
SAFE_ALLOWED = {
    "outbox/file.html": "mail_files.safe_html rebuilds the email from allowed tags, escaping all text"
}

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
EXTERNAL_ASSET = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//", re.IGNORECASE
)


def _templates():
    return sorted(p for p in TEMPLATES.rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(_templates()) > 10


def test_no_inline_script_and_data_blocks_use_tojson():
    problems = []
    for path in _templates():
        for attrs, body in SCRIPT_TAG.findall(path.read_text()):
            name = path.relative_to(TEMPLATES)
            if "application/json" in attrs:
                if body.strip() and "|tojson" not in body.replace(" ", ""):
                    problems.append(f"{name}: JSON data block without |tojson")
            elif body.strip():
                problems.append(f"{name}: inline script (put it in static/js/)")
            elif "src=" not in attrs:
                problems.append(f"{name}: script tag without src")
    assert not problems, "\n".join(problems)


def test_no_inline_event_handlers_or_javascript_urls():
    problems = [
        str(p.relative_to(TEMPLATES))
        for p in _templates()
        if EVENT_HANDLER.search(p.read_text()) or "javascript:" in p.read_text().lower()
    ]
    assert not problems, problems


def test_no_third_party_assets():
    problems = [str(p.relative_to(TEMPLATES)) for p in _templates() if EXTERNAL_ASSET.search(p.read_text())]
    assert not problems, problems


def test_safe_filter_only_on_sanitised_html():
    problems = [
        str(p.relative_to(TEMPLATES))
        for p in _templates()
        if re.search(r"\|\s*safe\b", p.read_text()) and str(p.relative_to(TEMPLATES)) not in SAFE_ALLOWED
    ]
    assert not problems, problems


def test_the_sanitiser_behind_the_one_safe_filter_strips_script():
    from feedback_app.services.mail.files import safe_html

    html = safe_html(
        '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        "<img src=x onerror=alert(1)></p>"
    )
    assert "script" not in html and "onclick" not in html and "javascript:" not in html and "<img" not in html
    assert html.startswith("<p>Hi ")


def test_free_text_in_emails_is_escaped_in_the_html_part(app, make):
    from feedback_app.services.outreach.emails import compose

    customer = make.customer(name="<b>Pat</b> Example", company="<script>alert(2)</script>")
    email = compose("invitation", customer, make.survey(key="esc"), "tok")
    assert "<b>Pat</b>" not in email.body_html and "&lt;b&gt;Pat&lt;/b&gt;" in email.body_html
    assert "<script>alert(2)" not in email.body_html
    assert "\n" not in email.subject and "\r" not in email.subject
