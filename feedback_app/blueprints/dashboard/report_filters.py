"""The report pages' selection (dates, survey, plan, segment, churn type, source) read from the query
string, so the overview, themes, summary and the invitation funnel count the same customers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, request
from flask_babel import gettext

from feedback_app.blueprints.dashboard.display import churn_type, heard_through
from feedback_app.services.customers.records import data_words
from feedback_app.services.insights.filters import Filters, filter_choices, parse_date, survey_titles


def query_filters() -> tuple[Filters, list[str]]:
    """Filters from the query string; a bad value is reported by field and the default kept."""
    errors = []
    default = Filters.default()
    args = request.args
    try:
        start = parse_date(args.get("start"), "From") if "start" in args else default.start
    except ValueError as exc:
        errors.append(str(exc))
        start = default.start
    try:
        end = parse_date(args.get("end"), "To") if "end" in args else default.end
    except ValueError as exc:
        errors.append(str(exc))
        end = default.end
    if start and end and start > end:
        errors.append(gettext("From: the start date must be on or before the end date."))
        start, end = default.start, default.end
    choices = filter_choices()
    slices = {}
    for name in ("survey", "plan", "segment", "churn_type", "source"):
        value = args.get(name) or None
        if value and value not in choices[name]:
            errors.append(
                gettext(
                    "%(field)s: %(value)s is not one of the known values.",
                    field=name.replace("_", " ").capitalize(),
                    value=repr(value),
                )
            )
            value = None
        slices[name] = value
    return Filters(start=start, end=end, **slices), errors


def labelled_choices() -> dict[str, list[tuple[str, str]]]:
    """Each filter's values with the words the form shows for them: a survey's title, a plan or
    segment without underscores, a churn type or source in words (never the stored key)."""
    titles = survey_titles()
    label: dict[str, Callable[[str], str]] = {
        "survey": lambda key: titles.get(key, key),
        "plan": data_words,
        "segment": data_words,
        "churn_type": churn_type,
        "source": heard_through,
    }
    return {
        name: [(value, label[name](value)) for value in values] for name, values in filter_choices().items()
    }


def filter_context() -> dict[str, Any]:
    """The report pages' selection for a template, each bad value flashed as an error."""
    filters, errors = query_filters()
    for error in errors:
        flash(error, "error")
    return {"filters": filters, "choices": labelled_choices(), "filter_args": filters.as_args()}
