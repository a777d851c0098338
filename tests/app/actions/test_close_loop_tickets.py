"""A former customer heard only in a support ticket or an exit interview (no survey answer) whom
the themes page counts under a theme gave that reason too: when the theme's fix ships they are
told, by the consent imported with them (the rule for anyone without a survey's "may we contact
you" answer); those without it are not written to, and the close-the-loop page says how many."""

from __future__ import annotations

import re

from feedback_app.models import ActionItem, utcnow
from feedback_app.services.actions import close_loop
from tests.app.insights_data import World


def test_ticket_only_customers_with_consent_are_told_and_the_rest_are_counted_on_the_page(
    client, login, make, db
):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Slow support replies", "support")
    world.answer(price, name="Kim Park")
    consenting = make.customer(name="Dana Ticket", contact_consent=True)
    world.ticket(price, consenting.id, text="Your renewal price doubled.")
    silent = make.customer(name="Lee NoConsent", contact_consent=False)
    world.ticket(price, silent.id, text="The price went up again.")
    opted_out = make.customer(name="Ola Optout", contact_consent=True, opted_out=True)
    world.ticket(price, opted_out.id)
    # counted under their survey answer's theme (support), not under price: not told about price
    elsewhere, _ = world.answer(support, name="Sam Survey", text="Nobody answered.")
    world.ticket(price, elsewhere.id)
    item = ActionItem(
        theme_id=price.id, title="Price", actions=["Freeze prices"], status="shipped", shipped_at=utcnow()
    )
    db.session.add(item)
    db.session.commit()

    people = close_loop.recipients(item)
    assert sorted(p.customer.name for p in people) == ["Dana Ticket", "Kim Park"]
    assert close_loop.not_reached_for_consent(item) == 1

    login("cx")
    page = client.get(f"/dashboard/actions/{item.id}/close-loop").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "2 former customers will receive this email" in text
    assert (
        "1 former customer counted here from a support ticket or exit interview is not emailed: "
        "they never answered the survey and gave no contact consent at import." in text
    )
