"""The report filters fold under one line that says what they select (phones open on the figures)."""

from __future__ import annotations

from datetime import date

from feedback_app.services.insights.filters import Filters

LABELS = {"plan": [("pro_annual", "pro annual")], "source": [("interview", "Interview")]}


def test_the_summary_names_the_period_and_each_slice_in_the_forms_words(app):
    today = date(2026, 10, 31)
    with app.test_request_context():
        assert Filters.default(today=today).summary(LABELS, today=today) == "Last 180 days · all customers"
        sliced = Filters(start=date(2026, 1, 1), end=date(2026, 3, 31), plan="pro_annual", source="interview")
        assert sliced.summary(LABELS, today=today) == "2026-01-01 to 2026-03-31 · pro annual · Interview"
        assert Filters().summary(LABELS) == "All time · all customers"
        assert Filters(start=date(2026, 1, 1)).summary(LABELS) == "From 2026-01-01 · all customers"


def test_the_filters_open_only_when_a_slice_narrows_the_customers(client, login, make):
    make.customer(plan="pro_annual", left_at=date.today())
    login("cx")
    folded = client.get("/dashboard/overview").get_data(as_text=True)
    assert '<details class="card filter-disclosure">' in folded
    assert "Last 180 days · all customers" in folded
    sliced = client.get("/dashboard/overview", query_string={"start": "", "end": "", "plan": "pro_annual"})
    page = sliced.get_data(as_text=True)
    assert '<details class="card filter-disclosure" open>' in page
    assert "All time · Pro annual" in page
