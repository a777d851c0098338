"""The audit page's details read as words: shares as percents, themes by name, code words explained."""

from __future__ import annotations

from feedback_app.models import Theme
from feedback_app.services.accounts import audit


def test_audit_details_name_the_share_the_theme_and_how_a_case_was_picked(client, login, db):
    login("admin")
    theme = Theme(stable_key="audit-words", label="Too expensive for small teams")
    db.session.add(theme)
    db.session.flush()
    audit.record("winback.campaign_created", target_type="winback_campaign", target_id=1, holdout_share=0.2)
    audit.record("action.propose", target_type="action_item", target_id=9, theme_id=theme.id)
    audit.record("action.propose", target_type="action_item", target_id=10, theme_id=987654)
    audit.record("cpr.case_opened", target_type="cpr_case", target_id=3, picked_by="threshold")
    db.session.commit()
    html = client.get("/dashboard/admin/audit").get_data(as_text=True)
    assert "Hold-out share: 20%" in html
    assert "Theme: \u201cToo expensive for small teams\u201d" in html
    assert "Theme: #987654" in html  # a theme since deleted keeps its number
    assert "Picked by: the lifetime-value threshold" in html
    assert "Holdout share" not in html and "Theme id" not in html and "Picked by: threshold" not in html


def test_audit_details_name_sources_statuses_and_a_missing_file_and_the_filter_reads_any(client, login, db):
    """The demo's log read "Source: csv", "Status: shipped" and "Filename: –", its filter "any"."""
    login("admin")
    audit.record("churn.counts_saved", target_type="active_count", rows=9, source="csv")
    audit.record(
        "customers.import", target_type="departed_customer", source="crm", filename="leavers.csv", rows=2
    )
    audit.record("tickets.import", target_type="conversation", format="demo", filename=None, tickets=44)
    audit.record("action.update", target_type="action_item", target_id=7, status="shipped")
    audit.record("theme.merge", target_type="theme", target_id=5, source="Price rises", into="Pricing")
    db.session.commit()
    html = client.get("/dashboard/admin/audit").get_data(as_text=True)
    assert "Rows: 9; Source: CSV upload" in html
    assert "Source: CRM; File name: leavers.csv" in html  # a customer source as the customers page writes it
    assert "Format: Demo data; File name: none; Tickets: 44" in html
    assert "Status: Shipped" in html
    assert "Source: \u201cPrice rises\u201d" in html  # a merged theme by its name
    assert '<option value="">Any</option>' in html
    for stored in ("Source: csv", "Status: shipped", "Filename", ": –", ">any<"):
        assert stored not in html, stored
