"""Every role's pages on the demo company read in people's words: no internal key anywhere.

The crawl signs in as CX, then as product and as admin, on the demo with its analysis (themes, action
plan, a shipped item), opens every page reachable from the menu and one page of each kind they link
to (a theme, a root cause, an action item, a campaign, a CPR case, a customer, the admin pages...), and looks for snake_case keys, stored lower-case values
shown on their own (statuses, teams, plans, segments, sources, root-cause keys), "None"/"nan" and
unrendered template tags (``page_words``). It loads the models and analyses 360 answers (slow).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app import models
from feedback_app.models import (
    ActionItem,
    Conversation,
    DepartedCustomer,
    Response,
    Theme,
    analysis,
    conversations,
    winback,
)
from feedback_app.services.actions import ledger
from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import metrics, root_causes
from feedback_app.services.insights.filters import Filters
from tests.app.demo import page_words

# umap warns at import that TensorFlow is absent (ParametricUMAP unused): third-party noise.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::ImportWarning")]

#: The stored values the code itself defines, which a page must show through a name.
CODE_KEYS = (
    models.ACTION_STATUSES,
    models.OWNER_TEAMS,
    conversations.CONVERSATION_KINDS,
    conversations.CONVERSATION_ORIGINS,
    conversations.CONVERSATION_STATUSES,
    conversations.RESOLUTIONS,
    conversations.COMPLAINT_STEPS,
    conversations.COMPLAINT_STATUSES,
    models.CHURN_TYPES,
    models.EMAIL_KINDS,
    models.EMAIL_STATUSES,
    models.INVITATION_STATUSES,
    winback.CAMPAIGN_STATUSES,
    winback.CPR_STATUSES,
    analysis.RUN_STATUSES,
    models.ROLES,
)


def lower_case(values: set[str]) -> set[str]:
    """The values that are stored keys (all lower case), each also with spaces for underscores."""
    lower = {v for v in values if v and v == v.lower()}
    return lower | {v.replace("_", " ") for v in lower}


def stored_keys() -> set[str]:
    """The stored values the code defines (statuses, kinds, teams), the root causes' keys and the
    survey's reasons: a page shows each through a name."""
    from feedback_app.extensions import db

    keys = {key for group in CODE_KEYS for key in group}
    keys |= {key for key, _name in root_causes.cause_choices()}
    keys |= {str(a.get("main_reason")) for a in db.session.scalars(select(Response.answers)) if a}
    return lower_case(keys)


def company_values() -> set[str]:
    """The demo's plans, segments and import sources as stored ("smb", "mid_market", "demo")."""
    from feedback_app.extensions import db

    values: set[str] = set()
    for column in (DepartedCustomer.plan, DepartedCustomer.segment, DepartedCustomer.source):
        values |= set(db.session.scalars(select(column).distinct()))
    return lower_case(values)


def allowed_data() -> set[str]:
    """Data that may look like a key and is shown as data: customers' and tickets' own ids, the
    themes' keywords, what customers wrote."""
    from feedback_app.extensions import db

    allowed = set(db.session.scalars(select(DepartedCustomer.external_id)))
    allowed |= {i for i in db.session.scalars(select(Conversation.external_id)) if i}
    allowed |= {k for keywords in db.session.scalars(select(Theme.keywords)) for k in keywords or []}
    allowed |= {t.strip().rstrip(".") for t in db.session.scalars(select(Response.redacted_text)) if t}
    return allowed


def bad_words(pages: dict[str, page_words.PageWords]) -> dict[str, list[str]]:
    """The internal keys each crawled page shows, by path (empty when every page reads in words)."""
    keys, values, allowed = stored_keys(), company_values(), allowed_data()
    found = {}
    for path, page in pages.items():
        if bad := page_words.internal_keys(page.words, keys=keys, values=values, allowed=allowed):
            found[path] = sorted(bad)
    return found


def crawl_as(app, make, role: str) -> dict[str, page_words.PageWords]:
    """The pages a new user with ``role`` reaches, signed in through the form on a client of their own."""
    from tests.helpers import csrf_token

    user, password = make.staff_user(role=role)
    client = app.test_client()
    form = client.get("/auth/login")
    signed_in = client.post(
        "/auth/login", data={"email": user.email, "password": password, "csrf_token": csrf_token(form)}
    )
    assert signed_in.status_code == 302, role
    return page_words.crawl(client)


def test_demo_load_fills_in_themes_and_a_shipped_action_and_no_page_shows_an_internal_key(
    app, make, db, analysed_demo
):
    """One demo load with its analysis (360 answers) for both checks: what the load fills in, then
    the crawl of every role's pages (the load is the one the demo tests share on SQLite:
    tests/app/demo/conftest.py)."""
    assert "Themes:" in analysed_demo.output and "marked shipped" in analysed_demo.output
    figures = metrics.theme_figures(Filters())
    assert figures and [f.mrr_lost_cents for f in figures] == sorted(
        (f.mrr_lost_cents for f in figures), reverse=True
    )
    assert sum(f.customers for f in figures) >= 300  # nearly every demo answer has a theme
    items = db.session.scalars(select(ActionItem).order_by(ActionItem.id)).all()
    assert [i.theme_id for i in items] == [f.theme.id for f in figures[:5]]
    assert [i.status for i in items][:2] in (["shipped", "proposed"], ["shipped"])
    # the shipped item was proposed before it shipped, with the evidence of its proposal day
    shipped = items[0]
    assert shipped.shipped_at is not None and shipped.created_at < shipped.shipped_at
    then = metrics.theme_figures(Filters(end=shipped.created_at.date()), with_trend=False)
    as_proposed = next(f for f in then if f.theme.id == shipped.theme_id)
    assert shipped.evidence["customers"] == as_proposed.customers < figures[0].customers
    assert shipped.evidence["mrr_lost_cents"] == as_proposed.mrr_lost_cents
    # "Did it help?" reads as a fix that worked: the theme's share of themed answers, and its root
    # cause's share in the fix ledger, are lower since it shipped than before (yet not zero)
    impact = action_plan.impact(shipped)
    assert impact is not None and impact.before is not None and impact.since is not None
    assert 0 < impact.since < impact.before, impact
    fixed = ledger.entry(shipped)
    assert fixed is not None and 0 < fixed.after.on_cause, fixed
    assert fixed.after.on_cause / fixed.after.answered < fixed.before.on_cause / fixed.before.answered, fixed

    crawled = {role: crawl_as(app, make, role) for role in ("cx", "product", "admin")}
    kinds = {role: {page_words.kind_of(path) for path in pages} for role, pages in crawled.items()}
    for expected in (
        "/dashboard/themes/N",
        "/dashboard/causes/K",
        "/dashboard/actions/N",
        "/dashboard/cpr/N",
        "/dashboard/customers/N",
    ):
        assert expected in kinds["cx"], expected
    assert len(crawled["cx"]) >= 25, sorted(crawled["cx"])
    # product reads the reports, themes and the action plan; admin also the admin pages
    for expected in (
        "/dashboard/themes/N",
        "/dashboard/causes/K",
        "/dashboard/actions/N",
        "/dashboard/summary",
    ):
        assert expected in kinds["product"], expected
    for expected in ("/dashboard/admin/users", "/dashboard/admin/audit", "/dashboard/admin/root-causes"):
        assert expected in kinds["admin"], expected
    found = {
        f"{role} {path}": bad for role, pages in crawled.items() for path, bad in bad_words(pages).items()
    }
    assert not found, found
