"""One of everything a staff route can name (the route table and the translation check use it)."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback_app.models import (
    ActionItem,
    AnalysisRun,
    ComplaintCase,
    Conversation,
    ConversationMessage,
    FollowUp,
    Theme,
    ThemeAssignment,
)
from feedback_app.ratelimit import limiter
from feedback_app.services.outreach import outbox

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW_MARKERS = ('<script>alert("xss")', "<img src=x onerror")


def seed_world(app, db, make) -> dict[str, object]:
    """One of everything a route can name, with script payloads in every free-text field."""
    limiter().enabled = False  # this test sends many requests; limits have their own tests
    app.config.update(MAIL_TRANSPORT="file")
    survey = make.survey()
    # A fixed external id: the factories number customers across the session, and the page shows it.
    customer = make.customer(
        name=f"Pat {XSS}", company=XSS, email="pat.xss@example.org", external_id="ext-pat"
    )
    invitation, token = make.invitation(customer=customer, survey=survey, status="sent")
    email = outbox.queue_email(
        kind="invitation",
        idempotency_key="route-table",
        recipient=customer.email,
        subject=f"Hello {XSS}",
        body_text=f"Hi {XSS}",
        body_html=f"<p>Hi {XSS}</p>",
        customer_id=customer.id,
        invitation_id=invitation.id,
    )
    db.session.commit()
    outbox.deliver()
    response = make.response(
        invitation=invitation, answers={"what_happened": f"It broke. {XSS}"}, redacted_text=f"It broke. {XSS}"
    )
    run = AnalysisRun(status="succeeded", progress=1.0, stage="done", finished_at=datetime.now(UTC))
    db.session.add(run)
    db.session.flush()
    theme = Theme(
        stable_key="t-xss",
        label=f"Bugs {XSS}",
        keywords=[XSS],
        quotes=[f"It broke. {XSS}"],
        size=1,
        category="bugs_reliability",
        first_seen_run_id=run.id,
        last_seen_run_id=run.id,
    )
    db.session.add(theme)
    db.session.flush()
    db.session.add(ThemeAssignment(run_id=run.id, response_id=response.id, theme_id=theme.id))
    item = ActionItem(
        title=f"Fix {XSS}",
        theme=theme,
        owner_team="product",
        root_cause=XSS,
        actions=[XSS],
        evidence={"quotes": [XSS]},
    )
    follow_up = FollowUp(response_id=response.id, reason=f"asked for contact {XSS}")
    db.session.add_all([item, follow_up])
    db.session.flush()
    conversation = Conversation(
        customer_id=customer.id,
        kind="ticket",
        origin="csv",
        external_id=f"T-{XSS}"[:128],
        subject=f"It broke. {XSS}",
        status="open",
        opened_at=datetime.now(UTC),
        interviewer=XSS,
        redacted_text=f"It broke. {XSS}\nHello {XSS}",
        messages=[ConversationMessage(position=0, author_role="agent", body_redacted=f"Hi {XSS}")],
    )
    db.session.add(conversation)
    case = ComplaintCase(customer_id=customer.id, step="acknowledge", status="open", history=[])
    db.session.add(case)
    db.session.commit()
    from datetime import date, timedelta

    from feedback_app.models import WinbackCampaign

    campaign = WinbackCampaign(
        name=f"Win {XSS}",
        target={"causes": ["bugs_reliability"]},
        seed=7,
        offer_text=f"Offer {XSS}",
        offer_deadline=date.today() + timedelta(days=9),
        subject=f"Hi {XSS}",
        body="{offer} {link}",
        landing_url="https://x.example/",
    )
    db.session.add(campaign)
    db.session.commit()
    target, _ = make.staff_user("product", email="target@staff.example")
    from feedback_app.services.accounts.api_keys import create_key

    key, _raw = create_key(f"billing {XSS}", actor="test")
    from feedback_app.services.integrations.webhooks import subscribe

    endpoint = subscribe("https://hooks.example/x", ["action.shipped"], description=XSS, actor="test")
    from feedback_app.models import WebhookDelivery

    delivery = WebhookDelivery(  # a failed one: the log offers to resend it
        endpoint_id=endpoint.id,
        event_id="msg_world",
        event_type="action.shipped",
        payload={"type": "action.shipped", "data": {"id": item.id}},
        status="failed",
        attempts=1,
        last_error=f"the receiver answered HTTP 404 {XSS}"[:500],
    )
    db.session.add(delivery)
    db.session.commit()
    from pathlib import Path

    eml = next(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    return {
        "item_id": item.id,
        "run_id": run.id,
        "theme_id": theme.id,
        "user_id": target.id,
        "response_id": response.id,
        "email_id": email.id,
        "key_id": key.id,
        "follow_up_id": follow_up.id,
        "endpoint_id": endpoint.id,
        "delivery_id": delivery.id,
        "name": eml.name,
        "token": token,
        "campaign_id": campaign.id,
        "customer_id": customer.id,
        "fmt": "csv",
        "filename": "css/app.css",
        "case_id": case.id,
        "conversation_id": conversation.id,
        "cause_key": "bugs_reliability",
    }
