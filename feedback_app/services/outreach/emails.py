"""Composing invitation and reminder emails: links, personalised text + HTML, unsubscribe headers.

The raw survey token exists only inside the returned email (its body), which the caller stores in
the outbox row; the invitation keeps the token's hash. The opt-out link (footer and RFC 8058
List-Unsubscribe header) is the customer's signed one (``close_loop_links``): it works forever,
after the survey link has expired or been replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale, gettext, lazy_gettext

from feedback_app.models import DepartedCustomer, Survey
from feedback_app.services.actions import close_loop_links
from feedback_app.services.mail.message import clean_header_text
from feedback_app.services.surveys.language_choice import choose_language
from feedback_app.services.surveys.versions import checked_definition, current_version

#: A token inside a link we generated (``secrets.token_urlsafe(32)`` is 43 URL-safe characters).
LINK_TOKEN = re.compile(r"/s/([A-Za-z0-9_-]{20,100})(?=[/\s\"'<>]|$)")

SUBJECTS = {
    "invitation": lazy_gettext("%(first_name)s, could you tell us why you left %(company)s?"),
    "reminder": lazy_gettext("A reminder: why did you leave %(company)s?"),
}


@dataclass(frozen=True)
class SurveyLinks:
    survey: str
    opt_out: str
    one_click: str


def links_for(customer: DepartedCustomer, token: str, invitation_id: int | None = None) -> SurveyLinks:
    """The survey link for a token (expiring with the invitation), and the customer's opt-out
    link that does not expire, for the footer and for the one-click POST alike."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    opt_out = close_loop_links.opt_out_url(customer, "survey", invitation_id)
    return SurveyLinks(survey=f"{base}/s/{token}", opt_out=opt_out, one_click=opt_out)


def unsubscribe_headers(links: SurveyLinks) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: the HTTPS one-click URL, plus mailto when configured."""
    return opt_out_headers(links.one_click)


def opt_out_headers(one_click: str) -> dict[str, str]:
    """The List-Unsubscribe headers for an opt-out URL that takes the one-click POST, plus the
    mailto target when configured: every email to a customer (survey, interview, "we fixed it",
    CPR offer, win-back) uses this, so all of them offer the same ways to stop."""
    targets = [f"<{one_click}>"]
    mailto = current_app.config.get("MAIL_UNSUBSCRIBE_MAILTO")
    if mailto:
        targets.append(f"<mailto:{clean_header_text(mailto)}?subject=unsubscribe>")
    return {"List-Unsubscribe": ", ".join(targets), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass(frozen=True)
class ComposedEmail:
    subject: str
    body_text: str
    body_html: str
    headers: dict[str, str]


def compose(
    kind: str,
    customer: DepartedCustomer,
    survey: Survey,
    token: str,
    *,
    last_reminder: bool = False,
    invitation_id: int | None = None,
) -> ComposedEmail:
    """Render the paired ``email/<kind>.txt`` and ``.html`` templates for one customer, in the
    language their survey page will open in (see ``email_language``). ``invitation_id`` goes into
    the opt-out link, so opting out from the email marks that invitation too."""
    with force_locale(email_language(customer, survey)):
        return _compose(
            kind, customer, survey, token, last_reminder=last_reminder, invitation_id=invitation_id
        )


def email_language(customer: DepartedCustomer, survey: Survey) -> str:
    """The customer's language when the survey is written in it, else the survey's default."""
    written = checked_definition(current_version(survey))
    return choose_language(written.languages, written.default_language, customer=customer.language)


def _compose(
    kind: str,
    customer: DepartedCustomer,
    survey: Survey,
    token: str,
    *,
    last_reminder: bool,
    invitation_id: int | None,
) -> ComposedEmail:
    config = current_app.config
    links = links_for(customer, token, invitation_id)
    first_name = clean_header_text(customer.first_name, limit=60) or None
    company = clean_header_text(config["COMPANY_NAME"], limit=100)
    greeting_name = first_name or gettext("Hello")
    subject = clean_header_text(str(SUBJECTS[kind]) % {"first_name": greeting_name, "company": company})
    context = dict(
        subject=subject,
        first_name=first_name,
        company_name=company,
        customer_company=clean_header_text(customer.company, limit=100) or None,
        survey_title=survey.title,
        survey_url=links.survey,
        opt_out_url=links.opt_out,
        ttl_days=config["SURVEY_TOKEN_TTL_DAYS"],
        reminder_max=int(config["REMINDER_MAX"]),
        last_reminder=last_reminder,
    )
    return ComposedEmail(
        subject=subject,
        body_text=render_template(f"email/{kind}.txt", **context),
        body_html=render_template(f"email/{kind}.html", **context),
        headers={**unsubscribe_headers(links), "X-Afterword-Kind": kind},
    )


def token_in(text: str) -> str | None:
    """The survey token inside a link in an email we composed, if any."""
    match = LINK_TOKEN.search(text or "")
    return match.group(1) if match else None
