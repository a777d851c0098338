"""What the figures are about: the report filters (a departure-date range and slices), the
values each filter can take, and the dates a form or command line may name.

The **period** selects customers by the date they left (``left_at``), inclusive; the **previous
period** is the same number of days just before it, for trends (docs/reports.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext, ngettext
from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import DepartedCustomer, Survey
from feedback_app.services.conversations import sources
from feedback_app.services.customers.filters import CustomerFilters, customer_query, label_choices
from feedback_app.services.customers.records import data_words

DEFAULT_PERIOD_DAYS = 180


@dataclass(frozen=True)
class Filters:
    """What the figures are about: a departure-date range and optional slices."""

    start: date | None = None
    end: date | None = None
    survey: str | None = None
    plan: str | None = None
    segment: str | None = None
    churn_type: str | None = None
    #: survey, billing_portal, interview or ticket (issue 23); None = every source.
    source: str | None = None

    @classmethod
    def default(cls, today: date | None = None, **slices: Any) -> Filters:
        today = today or date.today()
        return cls(start=today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end=today, **slices)

    def previous(self) -> Filters | None:
        """The period of equal length just before this one (None without a full range)."""
        if self.start is None or self.end is None:
            return None
        days = (self.end - self.start).days + 1
        if self.start - date.min <= timedelta(days=days):  # would start before year 1
            return None
        return replace(self, start=self.start - timedelta(days=days), end=self.start - timedelta(days=1))

    def days(self) -> int | None:
        """How many days the period spans, both ends counted (None when it is open-ended)."""
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def describe(self) -> str:
        """The selection in words, for the line every report page shows above its figures."""
        start, end = (d.isoformat() if d else "" for d in (self.start, self.end))
        if self.start and self.end:
            period = gettext("Customers who left from %(start)s to %(end)s", start=start, end=end)
        elif self.start:
            period = gettext("Customers who left from %(start)s", start=start)
        elif self.end:
            period = gettext("Customers who left up to %(end)s", end=end)
        else:
            period = gettext("All customers who left (all time)")
        slices = [
            gettext(name, value=value)
            for name, value in (
                (N_("survey %(value)s"), self.survey),
                (N_("plan %(value)s"), self.plan and data_words(self.plan)),
                (N_("segment %(value)s"), self.segment and data_words(self.segment)),
                (N_("churn type %(value)s"), self.churn_type),
                (N_("heard through %(value)s"), self.source and gettext(sources.source_name(self.source))),
            )
            if value
        ]
        return period + (f"; {', '.join(slices)}" if slices else "")

    def narrowed(self) -> bool:
        """Whether a slice (survey, plan, segment, churn type, source) narrows the period's customers."""
        return any((self.survey, self.plan, self.segment, self.churn_type, self.source))

    def summary(self, labels: dict[str, list[tuple[str, str]]], today: date | None = None) -> str:
        """The selection in a few words for the closed filter form on a phone ("Last 180 days · all
        customers"); ``labels`` are the form's (value, words) choices, so a slice reads as the form does."""
        today = today or date.today()
        days = self.days()
        if days and self.end == today:
            period = ngettext("Last %(num)s day", "Last %(num)s days", days)
        elif self.start and self.end:
            period = gettext("%(start)s to %(end)s", start=self.start.isoformat(), end=self.end.isoformat())
        elif self.start:
            period = gettext("From %(start)s", start=self.start.isoformat())
        elif self.end:
            period = gettext("Up to %(end)s", end=self.end.isoformat())
        else:
            period = gettext("All time")
        slices = [
            dict(labels.get(name, [])).get(value, value)
            for name, value in (
                ("survey", self.survey),
                ("plan", self.plan),
                ("segment", self.segment),
                ("churn_type", self.churn_type),
                ("source", self.source),
            )
            if value
        ]
        return " · ".join([period, *(slices or [gettext("all customers")])])

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links that keep them)."""
        values = {
            "start": self.start,
            "end": self.end,
            "survey": self.survey,
            "plan": self.plan,
            "segment": self.segment,
            "churn_type": self.churn_type,
            "source": self.source,
        }
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v}


def customer_selection(filters: Filters) -> Select[Any]:
    """The departed customers the filters select (the one customer filter builder)."""
    return customer_query(
        CustomerFilters(
            left_from=filters.start,
            left_to=filters.end,
            plan=filters.plan or "",
            segment=filters.segment or "",
            churn_type=filters.churn_type or "",
        )
    )


def filter_choices() -> dict[str, list[str]]:
    """The values each filter can take, for the filter form."""

    def distinct(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> list[str]:
        return [v for v in db.session.scalars(select(column).distinct().order_by(column)) if v]

    return {
        "survey": distinct(Survey.key),
        "plan": label_choices(DepartedCustomer.plan),
        "segment": label_choices(DepartedCustomer.segment),
        "churn_type": distinct(DepartedCustomer.churn_type),
        "source": list(sources.SOURCES),
    }


def survey_title(title: str) -> str:
    """A survey's title as its respondents read it: ``{company}`` filled in, as on the survey."""
    return title.replace("{company}", current_app.config["COMPANY_NAME"])


def survey_titles() -> dict[str, str]:
    """Each survey's title by its key, so a form names a survey as its respondents read it."""
    return {key: survey_title(title) for key, title in db.session.execute(select(Survey.key, Survey.title))}


#: The dates a filter may name. Python's dates end at 0001-01-01 and 9999-12-31, and a period's
#: previous period or its last day's end would run past them (an OverflowError, not a message).
FIRST_FILTER_DATE = date(1970, 1, 1)
LAST_FILTER_DATE = date(2999, 12, 31)


def parse_date(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD date from a form or command line, with a message naming the field."""
    if not value:
        return None
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{name}: {value[:40]!r} is not a date in the form YYYY-MM-DD.") from None
    if not FIRST_FILTER_DATE <= parsed <= LAST_FILTER_DATE:
        raise ValueError(
            f"{name}: {parsed.isoformat()} is outside the dates reports cover "
            f"({FIRST_FILTER_DATE.isoformat()} to {LAST_FILTER_DATE.isoformat()})."
        )
    return parsed
