"""The tables of the win-back campaigns, the fix-to-revenue ledger, the email pages, the
conversations and the admin pages at 390 px in Debian's Chromium: each scrolled sideways inside its
card (five to nine columns); each row now reads as one block, every value beside its column's name,
as the themes and churn tables already did (``table.stack`` in dashboard.css), and no page scrolls
sideways. Screenshots go to test-output/screenshots/ (``dashboard-<page>-tables-phone.png``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from feedback_app.extensions import db as _db
from feedback_app.models import ActionItem, Conversation, ConversationMessage
from tests import factories
from tests.app.browser_support import SCREENSHOTS, LiveServer, browser_app, sign_in_once

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = {
    "campaigns": "/dashboard/win-back/campaigns",
    "campaign": "/dashboard/win-back/campaigns/{campaign}",
    "ledger": "/dashboard/ledger",
    "outbox": "/dashboard/outbox",
    "written-emails": "/dashboard/outbox/files",
    "funnel": "/dashboard/invitations/funnel?start=&end=",
    "conversations": "/dashboard/conversations",
    "interviews": "/dashboard/interviews",
    "staff-accounts": "/dashboard/admin/users",
    "api-keys": "/dashboard/admin/api-keys",
    "webhooks": "/dashboard/admin/webhooks",
    "audit": "/dashboard/admin/audit",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A sent campaign (so its results, the outbox and the written emails have rows), a shipped
    fix, a ticket and an interview, an API key and a webhook with long values, an admin."""
    server = LiveServer(browser_app(tmp_path_factory.mktemp("phone-tables")))
    with server.app.app_context():
        from feedback_app.services.accounts.api_keys import create_key
        from feedback_app.services.actions import campaigns
        from feedback_app.services.integrations import webhooks
        from feedback_app.services.outreach import outbox
        from tests.app.actions.winback_data import campaign_input
        from tests.app.insights_data import World

        make = factories.Factories(_db.session)
        world = World(make, _db)
        price = world.theme("t-price", "Price rises without notice", category="price")
        left = date.today() - timedelta(days=40)
        people = [
            world.answer(
                price,
                text=f"The price went up again ({i}).",
                left_at=left,
                company=f"Very Long Company Name {i} Limited",
                email=f"someone.with.a.long.address{i}@a-long-company-domain.example",
            )[0]
            for i in range(4)
        ]
        item = ActionItem(
            title="Warn customers before a price change",
            theme=price,
            owner_team="billing",
            actions=["Email 30 days before any price change"],
            status="shipped",
            shipped_at=datetime.now(UTC) - timedelta(days=20),
        )
        _db.session.add(item)
        ticket = Conversation(
            customer_id=people[0].id,
            kind="ticket",
            origin="csv",
            external_id="T-1001",
            status="closed",
            resolution="unresolved",
            opened_at=datetime.now(UTC) - timedelta(days=60),
            closed_at=datetime.now(UTC) - timedelta(days=55),
            subject="Invoice wrong after the price change",
            redacted_text="Invoice wrong after the price change\nThe invoice bills seats we removed in March.",
        )
        ticket.messages = [
            ConversationMessage(position=0, author_role="customer", body_redacted="The invoice bills seats.")
        ]
        interview = Conversation(
            customer_id=people[1].id,
            kind="interview",
            origin="dashboard",
            status="held",
            opened_at=datetime.now(UTC) - timedelta(days=10),
            interviewer="Priya (CX)",
            redacted_text="They could not see why the price went up and nobody told them before the invoice.",
        )
        _db.session.add_all([ticket, interview])
        _db.session.commit()
        campaign = campaigns.create(campaign_input(name="Come back to Team: 20% off"), actor="cx@test")
        campaigns.send(campaign, actor="cx@test")
        outbox.deliver()  # the file transport writes them: the written-emails page lists them
        create_key("billing system in the finance team's data warehouse", actor="test")
        webhooks.subscribe(
            "https://hooks.a-rather-long-integration-domain.example/afterword/events/incoming",
            ["action.shipped", "response.submitted"],
            description="Our warehouse",
            actor="test",
        )
        webhooks.emit("action.shipped", f"item:{item.id}", {"id": item.id})
        _db.session.commit()
        admin, password = make.staff_user("admin")
        server.ids = {"campaign": campaign.id}
        server.admin = (admin.email, password)
        _db.session.remove()
    yield server
    server.stop()


def test_the_campaign_ledger_email_conversation_and_admin_tables_stack_on_a_phone(live, open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.admin)
    problems: list[str] = []
    for name, path in PAGES.items():
        response = page.goto(live.url + path.format(**live.ids))
        assert response.status == 200, name
        wraps = page.locator(".table-wrap:visible")
        expect(wraps.first).to_be_visible()
        for wrap in wraps.all():
            heading = wrap.locator("thead").inner_text().split("\n")[0]
            sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
            if sizes[0] > sizes[1] + 2:
                problems.append(f"{name}: the table under {heading!r} scrolls sideways {sizes}")
            rows = wrap.evaluate(
                "w => Array.from(w.querySelectorAll('tbody tr')).map(r => getComputedStyle(r).display)"
            )
            if set(rows) != {"block"}:
                problems.append(f"{name}: the table under {heading!r} is not one block per row: {set(rows)}")
            named = wrap.evaluate(
                "w => Array.from(w.querySelectorAll('tbody td')).filter(td => td.textContent.trim())"
                ".every(td => getComputedStyle(td, '::before').content.length > 2)"
            )
            if not named:
                problems.append(f"{name}: a value under {heading!r} has no column name beside it")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{name}: the page scrolls sideways ({width}px)")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-tables-phone.png"), full_page=True)
    assert not problems, "\n".join(problems)


def test_the_rows_an_import_skipped_read_on_a_phone(live, open_page, tmp_path):
    """The customers' and the tickets' import list the rows they skipped, one problem a row: on a
    390 px phone each row now reads as one block, the problem under its name, instead of a fourth
    column squeezed to a word a line and cut off at the card's edge."""
    customers = tmp_path / "departed.csv"
    customers.write_text(
        "external_id,email,name,monthly_revenue,left_at\n"
        "ok-1,ann@example.com,Ann Lee,79,2026-11-20\n"
        "bad-2,not-an-email,Bob,abc,2026-13-01\n"
    )
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "ticket_id,customer_email,created_at,status,body\nT-1,ann@example.com,yesterday,lost,It broke\n"
    )
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_once(page, live, *live.admin)
    for name, path, upload in (
        ("customers", "/dashboard/customers/import", customers),
        ("tickets", "/dashboard/conversations/import", tickets),
    ):
        page.goto(live.url + path)
        page.set_input_files("input[type=file]", str(upload))
        page.locator("main form button[type=submit]").first.click()
        if name == "customers":  # the customers' import asks which column is which first
            page.get_by_role("button", name="Import").click()
        wrap = page.locator(".table-wrap", has=page.locator("th", has_text="Problem"))
        expect(wrap).to_be_visible()
        sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
        assert sizes[0] <= sizes[1] + 2, f"{name}: the problems scroll sideways {sizes}"
        rows = wrap.evaluate(
            "w => Array.from(w.querySelectorAll('tbody tr')).map(r => getComputedStyle(r).display)"
        )
        assert set(rows) == {"block"}, name
        problem = wrap.locator("tbody td.words").first
        assert problem.evaluate("td => getComputedStyle(td, '::before').content") == '"Problem"', name
        assert problem.bounding_box()["width"] > PHONE["width"] / 2, f"{name}: the problem is squeezed"
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-import-problems-phone.png"), full_page=True)
