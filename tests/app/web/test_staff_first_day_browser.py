"""What a CX lead or product manager met on a first day with the staff pages, in a real browser.

Actions that cannot be taken back from the dashboard ask first: deactivating a person, revoking an
API key, turning a webhook off, merging two themes, emailing customers. The question names what
happens; Cancel leaves everything as it was, OK does it (and a deactivated person can be
reactivated from the same page). The customers table fits a 1280 px laptop with long addresses
and a "returned" date (its Status column was hidden behind a sideways scroll)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from feedback_app.extensions import db as _db
from feedback_app.models import ApiKey, StaffUser, Theme
from feedback_app.services.accounts import api_keys
from tests import factories
from tests.app.browser_support import LiveServer, browser_app, sign_in_once

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(browser_app(tmp_path_factory.mktemp("confirm")))
    with server.app.app_context():
        from tests.app.insights_data import World

        make = factories.Factories(_db.session)
        world = World(make, _db)
        price = world.theme("t-price", "Price rises without notice", category="price")
        bugs = world.theme("t-bugs", "Synchronisation loses data", category="bugs_reliability")
        world.answer(price, text="The price went up again.")
        world.answer(bugs, text="Sync lost my work twice.", reason="bugs_or_outages")
        admin, password = make.staff_user("admin", email="admin.person@customer-team.example")
        colleague, _ = make.staff_user("cx", email="casey.colleague@customer-team.example")
        api_keys.create_key("Billing system", actor="test")
        for n in range(3):  # addresses as long as real ones, and one who came back
            make.customer(
                email=f"firstname.lastname{n}@longcompanyname.example",  # no hyphen to wrap at
                plan="enterprise",
                churn_type="involuntary",
                company="Very Long Company Name Limited",
                returned_at=date.today() if n == 0 else None,
            )
        server.admin = (admin.email, password)
        server.colleague_id = colleague.id
        server.theme_ids = (price.id, bugs.id)
        _db.session.remove()
    yield server
    server.stop()


def _answer_next_dialog(page, accept: bool) -> list[str]:
    """Answers the next confirm() OK or Cancel, and collects its question."""
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    return asked


def _colleague_active(live) -> bool:
    with live.app.app_context():
        active = _db.session.get(StaffUser, live.colleague_id).active
        _db.session.remove()
        return active


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_deactivating_a_person_asks_first_and_can_be_undone(live, open_page, viewport):
    page = open_page(viewport=viewport)
    sign_in_once(page, live, *live.admin)
    page.goto(f"{live.url}/dashboard/admin/users")
    row = page.locator("tr", has_text="casey.colleague@customer-team.example")

    asked = _answer_next_dialog(page, accept=False)
    row.get_by_role("button", name="Deactivate").click()
    page.wait_for_timeout(300)  # a submitted form would be navigating by now
    assert asked == [
        "Deactivate casey.colleague@customer-team.example? They are signed out and cannot sign in "
        "until an admin reactivates the account here."
    ]
    assert _colleague_active(live) and page.url.endswith("/dashboard/admin/users")

    _answer_next_dialog(page, accept=True)
    with page.expect_navigation():
        row.get_by_role("button", name="Deactivate").click()
    assert not _colleague_active(live)
    assert "casey.colleague@customer-team.example is deactivated and signed out." in page.inner_text("main")

    with page.expect_navigation():  # turning someone back on asks nothing: it takes nothing away
        page.locator("tr", has_text="casey.colleague@customer-team.example").get_by_role(
            "button", name="Reactivate"
        ).click()
    assert _colleague_active(live)
    assert "casey.colleague@customer-team.example can sign in again." in page.inner_text("main")


def test_revoking_a_key_and_merging_themes_ask_first(live, open_page):
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.admin)
    page.goto(f"{live.url}/dashboard/admin/api-keys")
    asked = _answer_next_dialog(page, accept=False)
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("Revoke the key “Billing system”?")
    with live.app.app_context():
        assert _db.session.scalar(select(ApiKey)).revoked_at is None
        _db.session.remove()

    page.goto(f"{live.url}/dashboard/themes?start=&end=")
    asked = _answer_next_dialog(page, accept=False)
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_timeout(300)
    assert asked and "there is no undo on this page" in asked[0]
    with live.app.app_context():
        assert all(t.merged_into_id is None for t in _db.session.scalars(select(Theme)))
        _db.session.remove()


def test_the_customers_table_fits_a_laptop_with_its_status_in_sight(live, open_page):
    page = open_page(viewport=LAPTOP)
    sign_in_once(page, live, *live.admin)
    page.goto(f"{live.url}/dashboard/customers")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the table scrolls sideways"
    badge = page.get_by_text(f"returned {date.today().isoformat()}")
    box = badge.bounding_box()
    assert box is not None and box["x"] + box["width"] <= LAPTOP["width"]
    # the address wraps before its "@", never inside a word, and reads whole
    cell = page.locator("th[scope=row]", has_text="firstname.lastname1").first
    assert "firstname.lastname1@longcompanyname.example" in cell.inner_text().replace("\n", "")
