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
