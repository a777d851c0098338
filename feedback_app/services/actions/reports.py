"""The product root-cause summary: root causes ranked by revenue lost (customers, share, what they
cost), and within each its themes: what customers say, how many, what it cost, since when.

One builder (:func:`cause_summary`) feeds the dashboard page and every export format, so the page and
the files always agree; its figures are the themes page's (:func:`metrics.theme_figures` and
:func:`metrics.root_cause_figures` for the same filters). CSV cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, render_template

from feedback_app.models import ActionItem
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import assignment, root_causes, theme_detail
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.metrics import (
    RootCauseFigures,
    ThemeFigures,
    root_cause_figures,
    theme_figures,
)
from feedback_app.services.insights.statistics import percent

FORMATS = ("md", "html", "csv", "json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The summary CSV's columns: one row per theme, then one "total" row (see :func:`export`).
CSV_COLUMNS = (
    "theme",
    "category",
    "root_cause",
    "customers",
    "share",
    "share_low_95",
    "share_high_95",
    "mrr_lost",
    "ltv_lost",
    "avg_score",
    "since",
    "latest",
    "keywords",
    "quote",
    "action",
    "owner_team",
    "status",
    "due_date",
    "root_cause_rank",
    "root_cause_customers",
    "root_cause_share",
    "root_cause_mrr_lost",
    "root_cause_ltv_lost",
    # Appended, so a reader that goes by position still finds the columns above: the
    # same amounts in whole cents (as the JSON's ``*_cents``), and what they are in.
    "mrr_lost_cents",
    "ltv_lost_cents",
    "root_cause_mrr_lost_cents",
    "root_cause_ltv_lost_cents",
    "currency_symbol",
    # "theme" for a theme's row; "total" for the last row, the root causes added up (the
    # page's "All root causes"): a reader summing a column over the themes filters on it.
    "row",
)
#: The total row's name, as the themes page's table names it.
TOTAL_LABEL = "All root causes"


def money(cents: int | None) -> str:
    """Whole currency units with thousands separators, e.g. ``$12,340``."""
    symbol = current_app.config.get("CURRENCY_SYMBOL", "$")
    return f"{symbol}{round((cents or 0) / 100):,}"


def category_name(key: str) -> str:
    """The root cause's human name (see :mod:`feedback_app.services.insights.root_causes`)."""
    return root_causes.cause_name(key)


@dataclass
class ThemeSummary:
    figures: ThemeFigures
    text: str
    actions: list[ActionItem] = field(default_factory=list)
    #: Quotes from the answers the theme holds now, as the theme page shows them
    #: (:func:`theme_detail.current_quotes`), not the run's stored ones.
    quotes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.figures.theme.display_label


@dataclass
class CauseSummary:
    """One root cause with its figures (as the themes page's row) and its themes, most costly first."""

    figures: RootCauseFigures
    text: str
    themes: list[ThemeSummary] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.figures.name


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _share_change(trend: float | None) -> str | None:
    if trend is None:
        return None
    points = round(abs(trend) * 100)
    if points == 0:
        return "unchanged"
    direction = "up" if trend > 0 else "down"
    return f"{direction} {points} percentage point{'' if points == 1 else 's'}"


def describe_cause(figures: RootCauseFigures) -> str:
    """A readable paragraph for one root cause: how many, what share, how much revenue, in how many themes."""
    low, high = figures.interval or (0.0, 0.0)
    # "Emerging" names answers that fit no root cause yet; nobody leaves "because of" it
    why = (
        f"left for reasons that fit none of the known root causes yet ({figures.name})"
        if figures.key == root_causes.EMERGING
        else f"left mainly because of {figures.name}"
    )
    parts = [
        f"{_plural(figures.customers, 'former customer')} "
        f"({percent(figures.share)} of answers with a theme; 95% interval {percent(low)}–{percent(high)}) "
        f"{why}, in {_plural(len(figures.themes), 'theme')}.",
        f"Together they paid {money(figures.mrr_lost_cents)} a month and {money(figures.ltv_lost_cents)} "
        f"over their lifetimes.",
    ]
    change = _share_change(figures.trend)
    if change:
        parts.append(f"Its share is {change} on the previous period.")
    return " ".join(parts)


def talked_about(theme_keywords: list[str], limit: int = 5) -> list[str]:
    """The theme's keywords for "They talk about ...", without the company's own name
    (``COMPANY_NAME``, as a whole word, in any case: "brightloop", "Brightloop plan"), which says
    nothing about why customers left."""
    name = " ".join(str(current_app.config.get("COMPANY_NAME") or "").lower().split())
    own = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") if name else None
    words = [w for w in theme_keywords if own is None or not own.search(" ".join(w.lower().split()))]
    return words[:limit]


def describe(figures: ThemeFigures) -> str:
    """A readable paragraph: what they say, how many, how much revenue, since when."""
    theme = figures.theme
    # the keywords as the theme page shows them: "status page", not "status page, status, page"
    words = ", ".join(talked_about(theme.display_keywords))
    low, high = figures.interval or (0.0, 0.0)
    if not figures.customers:  # heard only from customers who count under another theme
        heard = figures.elsewhere_customers
        parts = [
            f"Heard from {_plural(heard, 'former customer')} who "
            f"{'counts' if heard == 1 else 'count'} under another theme, so "
            f"none counts toward \u201c{theme.display_label}\u201d ({category_name(theme.category)})."
        ]
        if words:
            parts.append(f"They talk about {words}.")
    else:
        parts = [
            f"{_plural(figures.customers, 'former customer')} "
            f"({percent(figures.share)} of answers with a theme; 95% interval {percent(low)}–{percent(high)}) "
            f"left mainly because of \u201c{theme.display_label}\u201d ({category_name(theme.category)})."
        ]
        if words:
            parts.append(f"They talk about {words}.")
        parts.append(
            f"Together they paid {money(figures.mrr_lost_cents)} a month and {money(figures.ltv_lost_cents)} "
            f"over their lifetimes."
        )
    if figures.first_seen and figures.last_seen:
        parts.append(
            f"Seen since {figures.first_seen.isoformat()}, most recently {figures.last_seen.isoformat()}."
        )
    if figures.avg_score is not None:
        parts.append(f"Their average score was {figures.avg_score:.1f} out of 10.")
    change = _share_change(figures.trend)
    if change:
        parts.append(f"Its share is {change} on the previous period.")
    return " ".join(parts)


def cause_summary(filters: Filters | None = None) -> list[CauseSummary]:
    """Every root cause with answers, most costly first (as the themes page ranks them), each with
    its themes (most costly first), their descriptions, quotes and action items."""
    filters = filters or Filters()
    plan = action_plan.items()
    held = assignment.current_assignments()
    figures = theme_figures(filters)
    rows: dict[int, ThemeSummary] = {
        f.theme.id: ThemeSummary(
            f,
            describe(f),
            [i for i in plan if i.theme_id == f.theme.id],
            theme_detail.current_quotes(f.theme, held),
        )
        for f in figures
    }
    return [
        CauseSummary(cause, describe_cause(cause), [rows[t.theme.id] for t in cause.themes])
        for cause in root_cause_figures(filters, themes=figures)
    ]


@dataclass(frozen=True)
class SummaryTotal:
    """The root causes added up: the themes page's "All root causes" row, which the summary page and
    every export repeat (each customer counts under one root cause, so the causes add up)."""

    customers: int
    mrr_lost_cents: int
    ltv_lost_cents: int
    themes: int
    share: float = 1.0


def summary_total(causes: list[CauseSummary]) -> SummaryTotal:
    """The total row of the root-cause table: every cause's customers, revenue and themes summed."""
    return SummaryTotal(
        customers=sum(c.figures.customers for c in causes),
        mrr_lost_cents=sum(c.figures.mrr_lost_cents for c in causes),
        ltv_lost_cents=sum(c.figures.ltv_lost_cents for c in causes),
        themes=sum(len(c.themes) for c in causes),
        share=1.0 if causes else 0.0,
    )


def _total_dict(total: SummaryTotal) -> dict[str, Any]:
    return {
        "root_cause": TOTAL_LABEL,
        "customers": total.customers,
        "share": total.share,
        "mrr_lost_cents": total.mrr_lost_cents,
        "ltv_lost_cents": total.ltv_lost_cents,
        "themes": total.themes,
    }


def all_themes(causes: list[CauseSummary]) -> list[ThemeSummary]:
    """Every theme of the summary, most costly first (the themes page's order of themes)."""
    rows = [row for cause in causes for row in cause.themes]
    return sorted(rows, key=lambda r: (-r.figures.mrr_lost_cents, -r.figures.customers, r.label))


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _as_dict(row: ThemeSummary) -> dict[str, Any]:
    f = row.figures
    return {
        "theme": row.label,
        "category": f.theme.category,
        "root_cause": category_name(f.theme.category),
        "customers": f.customers,
        "share": round(f.share, 4),
        "share_interval_95": [round(x, 4) for x in f.interval] if f.interval else None,
        "mrr_lost_cents": f.mrr_lost_cents,
        "ltv_lost_cents": f.ltv_lost_cents,
        "avg_score": None if f.avg_score is None else round(f.avg_score, 2),
        "since": f.first_seen.isoformat() if f.first_seen else None,
        "latest": f.last_seen.isoformat() if f.last_seen else None,
        "sources": f.sources,
        "keywords": list(f.theme.keywords),
        "quotes": row.quotes[:5],
        "summary": row.text,
        "actions": [
            {
                "title": i.title,
                "owner_team": i.owner_team,
                "status": i.status,
                "due_date": i.due_date.isoformat() if i.due_date else None,
                "actions": list(i.actions),
            }
            for i in row.actions
        ],
    }


def _cause_dict(rank: int, cause: CauseSummary) -> dict[str, Any]:
    f = cause.figures
    return {
        "rank": rank,
        "key": f.key,
        "root_cause": f.name,
        "customers": f.customers,
        "share": round(f.share, 4),
        "share_interval_95": [round(x, 4) for x in f.interval] if f.interval else None,
        "mrr_lost_cents": f.mrr_lost_cents,
        "ltv_lost_cents": f.ltv_lost_cents,
        "summary": cause.text,
        "themes": [_as_dict(row) for row in cause.themes],
    }


def export(fmt: str, filters: Filters | None = None, *, today: date | None = None) -> str:
    """The summary as Markdown, HTML, CSV or JSON text: root causes ranked, each with its themes.
    Markdown, HTML and JSON say which customers the figures are about (a file forwarded on has no
    filter bar beside it, and "up on the previous period" needs the period)."""
    if fmt not in FORMATS:
        raise ValueError(f"Format must be one of {', '.join(FORMATS)}, got {fmt!r}.")
    filters = filters or Filters()
    causes = cause_summary(filters)
    rows = all_themes(causes)
    total = summary_total(causes)
    today = today or date.today()
    company = current_app.config["COMPANY_NAME"]
    selection = filters.describe()
    if fmt == "json":
        return json.dumps(
            {
                "company": company,
                "generated": today.isoformat(),
                "period": {
                    "start": filters.start.isoformat() if filters.start else None,
                    "end": filters.end.isoformat() if filters.end else None,
                },
                "selection": selection,
                # Every amount is a whole number of cents (hundredths of the currency), its field
                # named ``*_cents``; the CSV's ``mrr_lost`` and ``ltv_lost`` are the same in units.
                "money": {"unit": "cents", "currency_symbol": current_app.config.get("CURRENCY_SYMBOL", "$")},
                "root_causes": [_cause_dict(rank, c) for rank, c in enumerate(causes, 1)],
                # the root causes added up, as the table's "All root causes" row on the page
                "total": _total_dict(total),
                "themes": [_as_dict(r) for r in rows],
            },
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        symbol = current_app.config.get("CURRENCY_SYMBOL", "$")
        for rank, cause, row in ((r, c, t) for r, c in enumerate(causes, 1) for t in c.themes):
            d = _as_dict(row)
            first = row.actions[0] if row.actions else None
            interval = d["share_interval_95"] or ["", ""]
            writer.writerow(
                [
                    csv_safe(v)
                    for v in (
                        d["theme"],
                        d["category"],
                        d["root_cause"],
                        d["customers"],
                        d["share"],
                        interval[0],
                        interval[1],
                        d["mrr_lost_cents"] / 100,
                        d["ltv_lost_cents"] / 100,
                        d["avg_score"],
                        d["since"],
                        d["latest"],
                        "; ".join(d["keywords"]),
                        d["quotes"][0] if d["quotes"] else "",
                        first.title if first else "",
                        first.owner_team if first else "",
                        first.status if first else "",
                        first.due_date.isoformat() if first and first.due_date else "",
                        rank,
                        cause.figures.customers,
                        round(cause.figures.share, 4),
                        cause.figures.mrr_lost_cents / 100,
                        cause.figures.ltv_lost_cents / 100,
                        d["mrr_lost_cents"],
                        d["ltv_lost_cents"],
                        cause.figures.mrr_lost_cents,
                        cause.figures.ltv_lost_cents,
                        symbol,
                        "theme",
                    )
                ]
            )
        if causes:
            cells: dict[str, Any] = {
                "root_cause": TOTAL_LABEL,
                "customers": total.customers,
                "share": total.share,
                "mrr_lost": total.mrr_lost_cents / 100,
                "ltv_lost": total.ltv_lost_cents / 100,
                "mrr_lost_cents": total.mrr_lost_cents,
                "ltv_lost_cents": total.ltv_lost_cents,
                "currency_symbol": symbol,
                "row": "total",
            }
            writer.writerow([csv_safe(cells.get(name, "")) for name in CSV_COLUMNS])
        return out.getvalue()
    if fmt == "html":
        return render_template(
            "insights/report_export.html",
            causes=causes,
            total=total,
            company=company,
            today=today,
            selection=selection,
        )
    lines = [
        f"# Why customers left {_md(company)}: root-cause summary",
        "",
        f"Generated {today.isoformat()}. {_md(selection)}.",
        "",
    ]
    if not causes:
        lines.append("No themes yet: run an analysis on the Themes page once answers are in.")
    else:
        lines += [
            "## Root causes by revenue lost",
            "",
            "| # | Root cause | Customers | Share (95% interval) | Revenue lost per month | Themes |",
            "| ---: | --- | ---: | --- | ---: | ---: |",
        ]
        for rank, cause in enumerate(causes, 1):
            f = cause.figures
            low, high = f.interval or (0.0, 0.0)
            name = _md(f.name).replace("|", "\\|")
            lines.append(
                f"| {rank} | {name} | {f.customers} | "
                f"{percent(f.share)} ({percent(low)}–{percent(high)}) | {money(f.mrr_lost_cents)} | "
                f"{len(cause.themes)} |"
            )
        lines += [
            f"| | **{TOTAL_LABEL}** | **{total.customers}** | **{percent(total.share)}** | "
            f"**{money(total.mrr_lost_cents)}** | **{total.themes}** |",
            "",
        ]
    for rank, cause in enumerate(causes, 1):
        lines += [f"## {rank}. {_md(cause.name)}", "", _md(cause.text), ""]
        for index, row in enumerate(cause.themes, 1):
            lines += _md_theme(f"{rank}.{index}", row)
    return "\n".join(lines).rstrip() + "\n"


def _md_theme(number: str, row: ThemeSummary) -> list[str]:
    """One theme's section of the Markdown summary, under its root cause."""
    lines = [f"### {number} {_md(row.label)}", "", _md(row.text), ""]
    if row.quotes:
        lines += ["What they said:", ""] + [f"> {_md(q)}" for q in row.quotes[:3]] + [""]
    for item in row.actions:
        due = item.due_date.isoformat() if item.due_date else "no due date"
        lines.append(
            f"**Action** ({action_plan.STATUS_LABELS[item.status]}, {action_plan.TEAM_NAMES[item.owner_team]}, due {due}): "
            f"{_md(item.title)}"
        )
        lines += [f"- {_md(a)}" for a in item.actions] + [""]
    return lines


#: Backslash first, then the brackets every Markdown link, image and reference definition needs,
#: and backticks (one could pair with a code span's and leave the address inside it bare).
_MD_LINK_SYNTAX = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]", "`": "\\`"})
#: Schemes a reader's browser would run or load inline (``data:`` only shaped like a data URL, so
#: "lost data: all of it" stays as written); written ``javascript\:``, which renders as text.
_UNSAFE_SCHEME = re.compile(r"\b(javascript|vbscript|data(?=\s*:\s*(?:[\w.+-]+/|[;,])))(\s*):", re.IGNORECASE)


#: A "<" that could open raw HTML or an autolink in CommonMark (a tag, comment, declaration,
#: processing instruction or ``<scheme:...>``): followed by a letter, "/", "!" or "?". Any other
#: "<" ("<1%", "a < b") is text to every renderer and stays as written.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


#: What renderers with GitHub's autolink extension turn into a link by itself: a bare web address
#: (``http://``, ``https://``, ``ftp://``, ``www.``) or email address. Trailing punctuation is left
#: out, as those renderers do; a backtick ends it (the code span around it is one backtick wide).
#: An email address is looked for only from the start of a run of its local part's characters:
#: tried from every position, one long unbroken word would be scanned to its end from each of its
#: characters (quadratic: seconds for 20,000 characters); this way each is scanned about once.
_BARE_LINK = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>`]*[^\s<>`.,:;!?'\")\]}*_~]|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)


def _md(text: str) -> str:
    """Text safe inside Markdown: no raw HTML, no links or images, no line breaks that start new blocks,
    and no HTML entities where plain text is safe ("<1%" stays "<1%": only the HTML export escapes).

    Quotes, labels and action titles are free text from customers and staff; a quote
    ``[see](javascript:alert(1))`` must reach the report as those characters, never as a link. A
    bare address (``http://evil.example/x``) is written as code, which no renderer turns into a
    link (GitHub's would link it as plain text): a report read or forwarded offers no phishing link.
    """
    text = " ".join(str(text).split())
    pieces, start = [], 0
    for found in _BARE_LINK.finditer(text):
        pieces += [_md_words(text[start : found.start()]), f"`{found.group(0)}`"]
        start = found.end()
    text = "".join([*pieces, _md_words(text[start:])])
    return "\\>" + text[1:] if text.startswith(">") else text


def _md_words(text: str) -> str:
    """Words outside a code span: link syntax and unsafe schemes escaped, no tag can start."""
    text = text.translate(_MD_LINK_SYNTAX)
    text = _UNSAFE_SCHEME.sub(lambda m: f"{m.group(1)}{m.group(2)}\\:", text)
    return _TAG_START.sub("&lt;", text)
