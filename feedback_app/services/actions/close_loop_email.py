"""The "you told us, we changed it" message: the default text, its placeholders, the checks on
what staff write, and rendering it as each customer will read it.

Customers see only the subject and body (with ``{first_name}``, ``{company}`` and ``{change}``
filled in) and the change as staff described it for them: never the item's internal title, its
playbook actions or the theme's label. Each customer reads the default text and the footer in
their own language (:mod:`feedback_app.services.outreach.follow_up_language`); a subject or body
staff edited, and what changed, go out as staff wrote them.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale, gettext

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import ActionItem
from feedback_app.services.accounts import audit
from feedback_app.services.actions import follow_up_texts
from feedback_app.services.outreach.follow_up_language import FALLBACK, OPT_OUT, greeting_name, in_language

PLACEHOLDERS = {
    "first_name": N_("the customer's first name (\u201cthere\u201d when we do not know it)"),
    "company": N_("your company's name"),
    "change": N_("what changed, as written in \u201cWhat changed\u201d"),
}
DEFAULT_SUBJECT = follow_up_texts.CLOSE_LOOP_SUBJECT
DEFAULT_BODY = follow_up_texts.CLOSE_LOOP_BODY
FOOTER = follow_up_texts.CLOSE_LOOP_FOOTER
MAX_SUBJECT, MAX_BODY, MAX_CHANGE = 200, 10_000, 4_000


class EmailTextError(ValueError):
    """What staff wrote cannot be sent; the message names the field."""


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def subject_of(item: ActionItem) -> str:
    return item.customer_subject or DEFAULT_SUBJECT


def body_of(item: ActionItem) -> str:
    return item.customer_body or DEFAULT_BODY


def check_placeholders(text: str, field: str) -> None:
    """Every ``{name}`` in ``text`` is a known placeholder with no format or conversion (``:`` or
    ``!``: ``{first_name:>1000000000}`` filled in a gigabyte of spaces, ``{first_name:d}`` raised
    on every render) and every brace is paired."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)]
    except ValueError:
        raise EmailTextError(
            f"{field}: a {{ or }} is not paired; write placeholders like {{first_name}}."
        ) from None
    names = [name for name, _, _ in fields if name is not None]
    if any(spec or conversion for name, spec, conversion in fields if name is not None):
        raise EmailTextError(
            f"{field}: write placeholders as {{first_name}}, with no format (':' or '!') after the name."
        )
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        raise EmailTextError(
            f"{field}: {', '.join('{' + n + '}' for n in unknown)} is not a placeholder; "
            f"use {', '.join('{' + n + '}' for n in PLACEHOLDERS)}."
        )


def save(
    item: ActionItem, *, subject: str, body: str, change: str, actor: str, actor_user_id: int | None = None
) -> ActionItem:
    """Check and store the email staff wrote for this item (the default text stays the default)."""
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    change = (change or "").replace("\r\n", "\n").strip()
    if not subject:
        raise EmailTextError("Subject: must not be empty.")
    if len(subject) > MAX_SUBJECT:
        raise EmailTextError(f"Subject: must be at most {MAX_SUBJECT} characters.")
    if not body:
        raise EmailTextError("Body: must not be empty.")
    if len(body) > MAX_BODY:
        raise EmailTextError(f"Body: must be at most {MAX_BODY:,} characters.")
    if len(change) > MAX_CHANGE:
        raise EmailTextError(f"What changed: must be at most {MAX_CHANGE:,} characters.")
    check_placeholders(subject, "Subject")
    check_placeholders(body, "Body")
    if "{change}" not in body and not change:
        raise EmailTextError("What changed: describe the change, or write it into the body.")
    item.customer_subject = None if subject == DEFAULT_SUBJECT else subject
    item.customer_body = None if body == DEFAULT_BODY else body
    item.customer_change = change or None
    audit.record(
        "action.email_edit",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="action_item",
        target_id=item.id,
    )
    db.session.commit()
    return item


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each plain ``{name}`` of ``values`` filled in; any other field (a format or
    conversion, which text saved before :func:`check_placeholders` refused them may hold) is left
    as written, and so is text whose braces do not pair: rendering never runs a format staff wrote."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return text
    out = []
    for literal, name, spec, conversion in parts:
        out.append(literal)  # "{{" and "}}" come back as one brace, as format_map writes them
        if name is None:
            continue
        if name in values and not spec and not conversion:
            out.append(values[name])
        else:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            out.append("{" + written + "}")
    return "".join(out)


def ready(item: ActionItem) -> str | None:
    """Why the email cannot go to customers yet (None when it can)."""
    for text, field in ((subject_of(item), "Subject"), (body_of(item), "Body")):
        try:
            check_placeholders(text, field)
        except EmailTextError as exc:  # saved before a check was added: edit and save it again
            return f"{exc} Edit the email and save it before sending."
    if "{change}" in body_of(item) + subject_of(item) and not (item.customer_change or "").strip():
        return "Describe what changed (in words for customers) and save before sending."
    return None


def render(
    item: ActionItem, *, first_name: str | None, opt_out_url: str | None = None, language: str = FALLBACK
) -> Message:
    """The email one customer gets, in ``language``: subject, plain text and HTML, placeholders
    filled in, and a footer with their opt-out link (None: a preview or test, which says where the
    link goes)."""
    with force_locale(language):
        values = {
            "first_name": greeting_name(first_name),
            "company": current_app.config["COMPANY_NAME"],
            "change": (item.customer_change or "").strip() or "(what changed goes here)",
        }
        subject = " ".join(fill(in_language(item.customer_subject, DEFAULT_SUBJECT), values).split())
        body = fill(in_language(item.customer_body, DEFAULT_BODY), values)
        paragraphs = [block.split("\n") for block in body.split("\n\n") if block.strip()]
        footer, opt_out = gettext(FOOTER), gettext(OPT_OUT)
        return Message(
            subject[:300],
            render_template(
                "email/we_fixed_it.txt",
                body=body,
                footer=footer,
                opt_out=opt_out,
                opt_out_url=opt_out_url or gettext(follow_up_texts.SAMPLE_OPT_OUT),
            ),
            render_template(
                "email/we_fixed_it.html",
                paragraphs=paragraphs,
                footer=footer,
                opt_out=opt_out,
                opt_out_url=opt_out_url,
            ),
        )
