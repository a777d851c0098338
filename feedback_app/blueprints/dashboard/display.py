"""Template filters that turn stored values into the words and figures staff read (never raw keys)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from flask.typing import TemplateFilterCallable
from flask_babel import format_number, gettext, lazy_gettext, ngettext
from markupsafe import Markup, escape

from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.i18n import month_name
from feedback_app.models import ROLE_NAMES
from feedback_app.services.actions import plan, reports
from feedback_app.services.conversations.sources import source_name
from feedback_app.services.customers.records import data_words
from feedback_app.services.insights import root_causes, statistics

#: What each analysis stage is doing, in words (``nlp.pipeline`` and ``services.analysis`` stages).
STAGE_NAMES = {
    "queued": lazy_gettext("Waiting to start"),
    "reading answers": lazy_gettext("Reading the answers"),
    "preprocess": lazy_gettext("Removing personal data and cleaning the text"),
    "embed": lazy_gettext("Reading the meaning of each answer"),
    "classify": lazy_gettext("Sorting answers into root causes"),
    "themes": lazy_gettext("Finding the themes within each root cause"),
    "describe": lazy_gettext("Naming the themes and picking quotes"),
    "organisations": lazy_gettext("Looking for competitors they named"),
    "saving": lazy_gettext("Saving the results"),
    "done": lazy_gettext("Finished"),
}


RUN_STATUS_NAMES = {
    "queued": lazy_gettext("waiting to start"),
    "running": lazy_gettext("running"),
    "succeeded": lazy_gettext("finished"),
    "failed": lazy_gettext("failed"),
}


#: Outbox email statuses and kinds (``models.outbox``), as the Email pages show them.
EMAIL_STATUS_NAMES = {
    "pending": lazy_gettext("Pending"),
    "sending": lazy_gettext("Sending"),
    "sent": lazy_gettext("Sent"),
    "failed": lazy_gettext("Failed"),
    "cancelled": lazy_gettext("Cancelled"),
}
EMAIL_KIND_NAMES = {
    "invitation": lazy_gettext("Invitation"),
    "reminder": lazy_gettext("Reminder"),
    "we_fixed_it": lazy_gettext("We fixed it"),
    "winback": lazy_gettext("Win-back"),
    "cpr_offer": lazy_gettext("CPR offer"),
    "interview": lazy_gettext("Interview"),
    "digest": lazy_gettext("Digest"),
}


#: Churn types (``models.customers.CHURN_TYPES``) in words.
CHURN_TYPE_NAMES = {"voluntary": lazy_gettext("Voluntary"), "involuntary": lazy_gettext("Involuntary")}


def churn_type(key: str | None) -> str:
    """A departure's churn type in words ("Involuntary"), else the stored key as words."""
    name = CHURN_TYPE_NAMES.get(key or "")
    return str(name) if name is not None else words(key)


def email_status(status: str | None) -> str:
    """An outbox email's status in words ("Pending"), never the stored key."""
    name = EMAIL_STATUS_NAMES.get(status or "")
    return str(name) if name is not None else words(status)


def email_kind(kind: str | None) -> str:
    """An outbox email's kind in words ("We fixed it"), never the stored key."""
    name = EMAIL_KIND_NAMES.get(kind or "")
    return str(name) if name is not None else words(kind)


def run_status(status: str | None) -> str:
    """An analysis run's status in words ("finished", never "succeeded")."""
    name = RUN_STATUS_NAMES.get(status or "")
    return str(name) if name is not None else words(status).lower()


def stage_name(stage: str | None) -> str:
    """An analysis stage as a sentence ("Finding the themes within each root cause")."""
    name = STAGE_NAMES.get(stage or "queued")
    return str(name) if name is not None else (stage or "").replace("_", " ").capitalize()


#: The nouns templates count (``{{ n|plural('customer') }}``), each with both forms for ngettext, so a
#: catalogue can give a language its own plural rules. ``count`` is the number with thousands separators.
COUNTED: dict[str, Callable[[int, str], str]] = {
    "answer": lambda n, num: ngettext("%(count)s answer", "%(count)s answers", n, count=num),
    "customer": lambda n, num: ngettext("%(count)s customer", "%(count)s customers", n, count=num),
    "theme": lambda n, num: ngettext("%(count)s theme", "%(count)s themes", n, count=num),
}


def plural(count: int | None, noun: str) -> str:
    """``3 customers``, ``1 customer``, ``1,204 emails``: the count with the right form of the noun.

    ``noun`` names an entry of :data:`COUNTED` (an unknown noun is a bug, so it raises KeyError).
    """
    count = count or 0
    return COUNTED[noun](count, format_number(count))


def heard_through(key: str | None) -> str:
    """Where a reason was heard ("Support ticket"), in the page's language."""
    return gettext(source_name(key))


def team_name(key: str | None) -> str:
    """An owning team ("Product"), in the page's language."""
    name = plan.TEAM_NAMES.get(key or "")
    return gettext(name) if name else words(key)


def action_status(key: str | None) -> str:
    """An action item's status ("In progress"), in the page's language."""
    name = plan.STATUS_LABELS.get(key or "")
    return gettext(name) if name else words(key)


def role_name(key: str | None) -> str:
    """A staff role in words ("CX", "Product"), never the stored key."""
    name = ROLE_NAMES.get(key or "")
    return gettext(name) if name else words(key)


def words(key: str | None) -> str:
    """A stored key as words, for values with no better name (``in_progress`` -> "In progress")."""
    return "–" if not key else key.replace("_", " ").replace(".", " ").capitalize()


def day(value: date | datetime | None) -> str:
    """A date as YYYY-MM-DD (the time, if any, left out)."""
    if value is None:
        return "–"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def points(value: float | None) -> str:
    """A change in share as signed percentage points ("+4 points", "−11 points"), never a percent change."""
    if value is None:
        return "–"
    rounded = round(value * 100)
    if rounded == 0:
        return gettext("no change")
    return ngettext("%(change)s point", "%(change)s points", abs(rounded), change=points_bound(value))


def points_bound(value: float | None) -> str:
    """One bound of an interval of changes, as a signed whole number of points ("+21", "−5", "0"):
    ``points`` says "no change" for zero, which read "95% interval no change to +21 points"; a
    range reads "between 0 and +21 points", with a true minus sign on a negative bound."""
    if value is None:
        return "–"
    rounded = round(value * 100)
    return "0" if rounded == 0 else format(rounded, "+d").replace("-", "\u2212")


def whole_count(value: float | None) -> str:
    """An estimated number of customers, whole ("14", "−4" with a true minus sign): "14.0" and
    "-3.6" customers read as a measuring error, not as people."""
    if value is None:
        return "–"
    rounded = round(value)
    return f"\u2212{-rounded}" if rounded < 0 else str(rounded)


def signed(value: float | None, digits: int = 2) -> str:
    """A figure on a scale around zero, such as a sentiment from −1 to 1 ("+0.30", "−0.13", "0.00"),
    with a true minus sign as ``points`` writes one: a hyphen reads as a dash beside the en dash
    of an empty cell."""
    if value is None:
        return "–"
    if round(value, digits) == 0:
        return f"{0:.{digits}f}"
    return format(value, f"+.{digits}f").replace("-", "\u2212")


def percent_figure(value: float | None, digits: int = 1) -> str:
    """A rate as a percent figure with ``digits`` decimals and no sign ("2.3" for 0.023): monthly
    churn rates are small, so whole percents would hide them; the template places the "%" (after a
    range, or in a translated sentence)."""
    return "–" if value is None else f"{value * 100:.{digits}f}"


#: The Jinja filters the dashboard templates use, by name.
def email_address(value: str | None) -> Markup:
    """An email address that may wrap before its "@" (never inside a word), so a column of long
    addresses does not push a table wider than a laptop's screen."""
    return Markup("<wbr>@").join(escape(value or "").split("@"))


#: A date as the reports write it (2026-06-21).
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def unbroken_dates(text: str | None) -> Markup:
    """Text with each date in it kept on one line: in a paragraph of the product summary the browser
    broke one at its hyphens ("Seen since 2026-06-" at a line's end, "21" on the next)."""
    return Markup(ISO_DAY.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', str(escape(text or ""))))


def money_given(cents: int | None) -> str:
    """One customer's revenue or lifetime value, or "not given" where their import left it empty:
    ``money`` reads None as "$0" (right in a sum), which said a customer paid nothing."""
    return gettext("not given") if cents is None else reports.money(cents)


FILTERS: dict[str, TemplateFilterCallable] = {
    "money": reports.money,
    "money_given": money_given,
    "pct": statistics.percent,
    "percent_figure": percent_figure,
    "cause_name": root_causes.cause_name,
    "points": points,
    "points_bound": points_bound,
    "whole_count": whole_count,
    "signed": signed,
    "source_name": heard_through,
    "translated": gettext,  # a name a service table marks with N_ ("Opened the survey")
    "plural": plural,
    "stage_name": stage_name,
    "run_status": run_status,
    "words": words,
    "data_words": data_words,
    "team_name": team_name,
    "email_status": email_status,
    "churn_type": churn_type,
    "email_kind": email_kind,
    "action_status": action_status,
    "role_name": role_name,
    "day": day,
    "month_name": month_name,
    "email_address": email_address,
    "unbroken_dates": unbroken_dates,
}
for _name, _function in FILTERS.items():
    bp.add_app_template_filter(_function, _name)
