"""Plan and segment labels that differ only by case or surrounding spaces ("Team " from a CSV beside
the demo's "team") are one choice and one match everywhere: filters, campaign targets, drop-downs."""

from __future__ import annotations

from sqlalchemy import select

from feedback_app.extensions import db as _db
from feedback_app.models import DepartedCustomer
from feedback_app.services.actions import campaign_targets
from feedback_app.services.actions.campaign_targets import Target, select_target
from feedback_app.services.customers import store
from feedback_app.services.customers.filters import CustomerFilters, customer_query, label_choices
from feedback_app.services.insights import filters as insight_filters


def _spellings(make):
    a = make.customer(plan="team", segment="smb", contact_consent=True)
    b = make.customer(plan="team", segment="SMB ", contact_consent=True)
    c = make.customer(plan=" Team", segment="smb", contact_consent=True)
    d = make.customer(plan="Pro", segment="ent", contact_consent=True)
    make.customer(plan=None, segment="", contact_consent=True)
    return a, b, c, d


def test_spellings_are_one_choice_shown_by_the_most_common(app, make, db):
    _spellings(make)
    assert label_choices(DepartedCustomer.plan) == ["Pro", "team"]
    assert label_choices(DepartedCustomer.segment) == ["ent", "smb"]
    assert campaign_targets.choices() == {"segments": ["ent", "smb"], "plans": ["Pro", "team"]}
    assert store.filter_choices()["plans"] == ["Pro", "team"]
    known = insight_filters.filter_choices()
    assert (known["plan"], known["segment"]) == (["Pro", "team"], ["ent", "smb"])


def test_a_filter_or_a_campaign_on_one_spelling_finds_them_all(app, make, db):
    a, b, c, d = _spellings(make)
    found = _db.session.scalars(customer_query(CustomerFilters(plan="TEAM ", segment="smb"))).all()
    assert {x.id for x in found} == {a.id, b.id, c.id}
    picked = select_target(Target(plans=["team"], segments=["smb"]))
    assert {x.id for x in picked.customers} == {a.id, b.id, c.id}
    assert [x.id for x in select_target(Target(plans=["pro"])).customers] == [d.id]


def test_stored_spellings_are_left_as_they_were(app, make, db):
    _spellings(make)
    label_choices(DepartedCustomer.plan)
    stored = _db.session.scalars(select(DepartedCustomer.plan).order_by(DepartedCustomer.id)).all()
    assert stored == ["team", "team", " Team", "Pro", None]


def test_a_spelling_counts_whatever_spaces_surround_it(app, make, db):
    make.customer(plan="team")
    make.customer(plan=" Team")
    make.customer(plan="Team ")
    assert label_choices(DepartedCustomer.plan) == ["Team"]


def test_the_customers_plan_filter_lists_one_choice_and_finds_every_spelling(client, login, make, db):
    a, b, c, d = _spellings(make)
    login("cx")
    html = client.get("/dashboard/customers?plan=TEAM").get_data(as_text=True)
    plan_select = html.split('<select id="plan"', 1)[1].split("</select>", 1)[0]
    assert plan_select.count('value="team"') == 1 and 'value=" Team"' not in plan_select
    assert 'value="team" selected' in plan_select
    listed = html.split("<tbody", 1)[1]
    assert all(x.name in listed for x in (a, b, c)) and d.name not in listed


def test_accented_capitals_fold_as_on_postgresql(app, make, db):
    # SQLite's own lower() folds ASCII only: 'ÉQUIPE' stayed apart from 'équipe' there, while
    # PostgreSQL (and the forms' casefold) made them one choice and one match.
    a = make.customer(plan="Équipe", segment="Öffentlich")
    b = make.customer(plan="ÉQUIPE", segment="öffentlich")
    c = make.customer(plan="équipe", segment="ÖFFENTLICH ")
    assert len(label_choices(DepartedCustomer.plan)) == 1
    assert len(label_choices(DepartedCustomer.segment)) == 1
    found = _db.session.scalars(customer_query(CustomerFilters(plan="équipe", segment="öffentlich"))).all()
    assert {x.id for x in found} == {a.id, b.id, c.id}


def test_a_search_finds_a_name_with_a_dotted_capital_i_on_both_databases(app, make, db):
    # The search term was folded by Python's lower() ('İ' -> 'i' + combining dot) and the columns
    # by the database's (PostgreSQL: 'İ' -> 'i'), so on PostgreSQL searching a company's own name
    # "İstanbul Yazılım" found nothing.
    a = make.customer(company="İstanbul Yazılım")
    make.customer(company="Ankara Ltd")
    for q in ("İstanbul", "İSTANBUL", "Yazılım"):
        found = _db.session.scalars(customer_query(CustomerFilters(q=q))).all()
        assert [x.id for x in found] == [a.id], q


def test_sqlite_lower_folds_letter_by_letter_as_postgresql(app, make, db):
    # PostgreSQL's lower() maps each letter on its own ('İ' -> 'i', a final 'Σ' -> 'σ'); Python's
    # str.lower() gave 'i' + combining dot and 'ς', so on SQLite 'İŞLETME' and 'işletme' stayed two
    # plans (and two choices) where PostgreSQL made them one.
    a = make.customer(plan="İŞLETME", segment="ΟΔΟΣ")
    b = make.customer(plan="işletme", segment="οδοσ")
    assert len(label_choices(DepartedCustomer.plan)) == 1
    assert len(label_choices(DepartedCustomer.segment)) == 1
    found = _db.session.scalars(customer_query(CustomerFilters(plan="işletme", segment="οδοσ"))).all()
    assert {x.id for x in found} == {a.id, b.id}
