"""The words of a win-back email: placeholders checked when saved, filled per customer when sent.

Placeholders are written in braces: ``{first_name}``, ``{offer}``, ``{code}``, ``{value}``,
``{deadline}``, ``{link}`` (the tracked link, required in the body) and ``{company}`` (our name).
A campaign's code goes beside the offer when the body shows ``{offer}`` but no ``{code}``; a body
with neither does not carry it.
The HTML part is the text, escaped, in paragraphs, with the link clickable (breaking anywhere, so a
long one fits a phone) and a 1-pixel image that counts opens; ``campaigns.render`` lays it out as
every customer email is (``email/win_back.html``). A customer reads the default subject and body, the deadline and the footer in
their own language (:mod:`feedback_app.services.outreach.follow_up_language`); a subject or body
staff changed, and the offer, go out as staff wrote them.
"""

from __future__ import annotations

import string
from datetime import date

from flask import current_app
from flask_babel import format_date, gettext
from markupsafe import escape

from feedback_app.i18n import N_
from feedback_app.models import DepartedCustomer
from feedback_app.services.actions import follow_up_texts
from feedback_app.services.actions.reports import money
from feedback_app.services.outreach.follow_up_language import greeting_name, in_language

#: Each placeholder and what it stands for (the campaign form lists them under the body).
PLACEHOLDERS = {
    "first_name": N_("the customer's first name (\u201cthere\u201d when we do not know it)"),
    "offer": N_("the offer text"),
    "code": N_("the offer code (empty when none)"),
    "value": N_("the offer's value"),
    "deadline": N_("the offer's deadline, written the customer's way (December 14, 2026; 14. Dezember 2026)"),
    "link": N_("the tracked link to take the offer (required in the body)"),
    "company": N_("your company's name"),
}

DEFAULT_SUBJECT = follow_up_texts.WIN_BACK_SUBJECT
DEFAULT_BODY = follow_up_texts.WIN_BACK_BODY


def placeholder_problems(text: str, *, field: str, need_link: bool = False) -> list[tuple[str, str]]:
    """What is wrong with the placeholders in ``text``, as (field, message) pairs."""
    try:
        parts = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError as exc:
        return [(field, f"has a stray brace ({exc}); write placeholders as {{first_name}}")]
    names = [name for name, _, _ in parts]
    problems = []
    if any(spec or conversion for _, spec, conversion in parts):
        problems.append(
            (field, "has a placeholder with a format (':' or '!'); write placeholders as {first_name}")
        )
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        problems.append(
            (
                field,
                "has unknown placeholder(s) "
                + ", ".join("{" + n + "}" for n in unknown)
                + "; use "
                + ", ".join("{" + n + "}" for n in PLACEHOLDERS),
            )
        )
    if need_link and "link" not in names:
        problems.append((field, "must contain {link}, the tracked link to the offer"))
    return problems


def long_date(day: date) -> str:
    """The date as the email's language writes it (``December 14, 2026``, ``14. Dezember 2026``)."""
    return str(format_date(day, "long"))


def words(subject: str, body: str) -> tuple[str, str]:
    """The subject and body to fill: staff's own as written, the default ones in the email's language."""
    return (
        in_language(None if subject == DEFAULT_SUBJECT else subject, DEFAULT_SUBJECT),
        in_language(None if body == DEFAULT_BODY else body, DEFAULT_BODY),
    )


def values(
    customer: DepartedCustomer | None,
    *,
    offer: str,
    code: str | None,
    value_cents: int,
    deadline: date,
    link: str,
) -> dict[str, str]:
    """The placeholder values for one customer (None: a test send with sample values)."""
    first = customer.first_name if customer is not None else None
    return {
        "first_name": greeting_name(first),
        "offer": offer,
        "code": code or "",
        "value": money(value_cents),
        "deadline": long_date(deadline),
        "link": link,
        "company": current_app.config["COMPANY_NAME"],
    }


def fill(subject: str, body: str, filled: dict[str, str], *, open_url: str | None) -> tuple[str, str, str]:
    """Subject, text body and HTML body with the placeholders filled in. A body that never shows
    ``{code}`` gets the code beside its ``{offer}`` (in the email's language); one with neither
    placeholder goes out without the code."""
    subject_text = " ".join(subject.format_map(filled).split())[:300]
    in_body = filled
    if filled["code"] and "code" not in {name for _, name, _, _ in string.Formatter().parse(body)}:
        in_body = filled | {
            "offer": gettext(follow_up_texts.OFFER_WITH_CODE, offer=filled["offer"], code=filled["code"])
        }
    text = body.format_map(in_body)
    link = filled["link"]
    paragraphs = []
    for block in text.split("\n\n"):
        html = str(escape(block)).replace("\n", "<br>")
        html = html.replace(
            str(escape(link)), f'<a href="{escape(link)}" style="word-break: break-all;">{escape(link)}</a>'
        )
        paragraphs.append(f"<p>{html}</p>")
    if open_url:
        paragraphs.append(
            f'<img src="{escape(open_url)}" width="1" height="1" alt="" style="display: block; border: 0;">'
        )  # no empty line
    return subject_text, text, "\n".join(paragraphs)
