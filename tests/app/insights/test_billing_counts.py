"""Active counts carried forward by billing events: movements, sources, and never both at once."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from feedback_app.models import SubscriptionMovement
from feedback_app.services.billing import events
from feedback_app.services.billing.chargebee import basic_header
from feedback_app.services.customers.records import CustomerRecord
from feedback_app.services.insights import billing_counts, churn_rates
from tests.app.billing.samples import load

TODAY = date(2026, 11, 15)


def _new(event_id: str, customer: str, day: date, event_type: str = "customer.subscription.created"):
    return events.process("stripe", event_id, event_type, events.Return("stripe", customer, day))


def _cancel(event_id: str, customer: str, day: date):
    record = CustomerRecord(
        source="stripe",
        external_id=customer,
        email=f"{customer}@example.com",
        left_at=day,
        provided=frozenset({"email", "left_at"}),
    )
    return events.process("stripe", event_id, "customer.subscription.deleted", events.Departure(record))


def _september_and_october():
    """September: 3 new, 1 cancelled who came back (net +3); October: 1 new, 2 cancelled (net -1)."""
    for n, day in enumerate((2, 10, 28)):
        _new(f"evt_n{n}", f"cus_{n}", date(2026, 9, day))
    _cancel("evt_c1", "cus_x", date(2026, 9, 5))
    _new("evt_r1", "cus_x", date(2026, 9, 20))  # created again after leaving: a return, not new
    _new("evt_n3", "cus_3", date(2026, 10, 7))
    _cancel("evt_c2", "cus_y", date(2026, 10, 12))
    _cancel("evt_c3", "cus_z", date(2026, 10, 30))


def test_movements_are_counted_once(app, db):
    _september_and_october()
    assert _new("evt_n0", "cus_0", date(2026, 9, 2)).status == "duplicate"  # redelivered
    _new("evt_again", "cus_0", date(2026, 9, 3))  # another creation for the same customer
    _new("evt_upd", "cus_9", date(2026, 9, 4), "customer.subscription.updated")  # not a start
    _cancel("evt_c1_late", "cus_x", date(2026, 9, 5))  # a late copy of the 5 Sep cancellation
    _cancel("evt_y_again", "cus_y", date(2026, 10, 13))  # cancelled again while already gone
    moves = billing_counts.monthly_movements()
    sept = moves[date(2026, 9, 1)]
    assert (sept.new, sept.returned, sept.cancelled) == (3, 1, 1)
    octo = moves[date(2026, 10, 1)]
    assert (octo.new, octo.returned, octo.cancelled) == (1, 0, 2)


def test_counts_are_carried_forward_and_an_upload_always_wins(app, db):
    _september_and_october()
    churn_rates.import_csv(b"month,active_customers\n2026-08,100\n", actor="t")
    churn_rates.save([churn_rates.CountRecord(date(2026, 9, 1), "", "", 105, None)], source="api", actor="t")
    rates = churn_rates.monthly(today=TODAY)
    got = [(r.month.month, r.active_start, r.source, r.billing_active) for r in rates]
    # August: before the first movement, so September's API count is not checked against it
    assert got == [
        (8, 100, "csv", None),
        (9, 105, "api", None),
        (10, 108, "billing", 108),
        (11, 107, "billing", 107),
    ]
    assert rates[2].departures == 2 and rates[2].churn_rate == 2 / 108

    churn_rates.import_csv(b"month,active_customers\n2026-10,110\n", actor="t")
    got = [
        (r.month.month, r.active_start, r.source, r.billing_active) for r in churn_rates.monthly(today=TODAY)
    ]
    assert got[2:] == [(10, 110, "csv", 108), (11, 109, "billing", 109)]  # 110, never 110 + 108


def test_without_an_upload_to_start_from_only_the_movements_show(app, db):
    _september_and_october()
    rates = churn_rates.monthly(today=TODAY)
    assert [(r.month.month, r.active_start, r.movements is not None) for r in rates] == [
        (9, None, True),
        (10, None, True),
    ]
    assert churn_rates.monthly(segment="smb", today=TODAY) == []  # billing figures are company-wide only


def test_chargebee_subscription_created_is_a_new_customer(client, app, db):
    app.config.update(CHARGEBEE_WEBHOOK_USERNAME="cb", CHARGEBEE_WEBHOOK_PASSWORD="pw")
    event = load("chargebee_subscription_reactivated", id="ev_new_1", event_type="subscription_created")
    event["content"]["subscription"]["customer_id"] = "cb_brand_new"
    headers = {"Authorization": basic_header("cb", "pw"), "Content-Type": "application/json"}
    body = client.post("/api/v1/webhooks/chargebee", data=json.dumps(event), headers=headers).get_json()
    assert body["event"] == "ignored" and "counted as a new customer" in body["message"]
    trial = load("chargebee_subscription_reactivated", id="ev_new_2", event_type="subscription_created")
    trial["content"]["subscription"].update(customer_id="cb_trial", status="in_trial")
    client.post("/api/v1/webhooks/chargebee", data=json.dumps(trial), headers=headers)
    kinds = db.session.execute(select(SubscriptionMovement.external_id, SubscriptionMovement.kind)).all()
    assert kinds == [("cb_brand_new", "new")]
    assert db.session.scalar(select(func.count(SubscriptionMovement.id))) == 1


def test_the_churn_page_names_each_months_source_and_shows_cohorts(app, client, login, db):
    _september_and_october()
    churn_rates.import_csv(b"month,active_customers,new_customers\n2026-09,105,12\n2026-10,110,\n", actor="t")
    login("product")
    page = client.get("/dashboard/churn").get_data(as_text=True)
    assert 'CSV upload <span class="help">(billing events give 108; the upload is used, never both)' in page
    assert (
        '<td data-label="Count from">Billing events' in page and "+1 / +0 / −2" in page
    )  # November, carried from October
    assert (
        "Retention by cohort month" in page
        and '<td data-label="Customers">12</td><td data-label="Size from">CSV upload</td>' in page
    )
