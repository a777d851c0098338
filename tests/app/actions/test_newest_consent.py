"""A customer's newest answer decides whether they may be contacted: a later "no" stops the
close-the-loop email, the win-back list and a follow-up's "asks to be contacted" that an older
"yes" allowed, and a later "yes" allows them again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from feedback_app.models import ActionItem, FollowUp, ThemeAssignment, utcnow
from feedback_app.services.actions import close_loop, winback
from feedback_app.services.insights import follow_ups
from tests.app.insights_data import SAAS_LIKE, World

OLDER = datetime(2026, 10, 4, tzinfo=UTC)
NEWER = datetime(2026, 11, 4, tzinfo=UTC)


def _again(world: World, person, *, contact_ok: str, theme=None, text: str = "Still too dear."):
    """A newer answer from the same customer (to a second survey), optionally about ``theme``."""
    survey = world.make.survey(definition={**SAAS_LIKE, "key": f"exit{person.id}"})
    invitation, _ = world.make.invitation(customer=person, survey=survey, status="sent")
    response = world.make.response(
        invitation=invitation,
        answers={"main_reason": "too_expensive", "what_happened": text, "contact_ok": contact_ok},
        redacted_text=text,
        submitted_at=NEWER,
    )
    if theme is not None:
        world.db.session.add(
            ThemeAssignment(
                run_id=world.run.id,
                response_id=response.id,
                theme_id=theme.id,
                is_primary=True,
                confidence=0.9,
            )
        )
        world.db.session.commit()
    return response


def test_the_newest_answer_decides_who_is_told_the_theme_was_fixed(app, make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    changed_mind, _ = world.answer(price, name="Robin Avery", contact_ok="yes", submitted=OLDER)
    _again(world, changed_mind, contact_ok="no")  # no theme: the older answer is the one about price
    allowed_again, _ = world.answer(price, name="Sam Lee", contact_ok="no", submitted=OLDER)
    _again(world, allowed_again, contact_ok="yes")
    steady, _ = world.answer(price, name="Kim Park", contact_ok="yes", submitted=OLDER)
    item = ActionItem(
        theme_id=price.id, title="Price", actions=["Fix"], status="shipped", shipped_at=utcnow()
    )
    db.session.add(item)
    db.session.commit()

    assert sorted(p.customer.name for p in close_loop.recipients(item)) == ["Kim Park", "Sam Lee"]


def test_win_back_and_follow_ups_read_the_newest_answers_wish(app, make, db):
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    said_no_later, first = world.answer(
        price, name="Robin Avery", text="Please call me.", contact_ok="yes", submitted=OLDER
    )
    _again(world, said_no_later, contact_ok="no")
    said_yes_later, _ = world.answer(price, name="Sam Lee", contact_ok="no", submitted=OLDER)
    _again(world, said_yes_later, contact_ok="yes")

    names = [c.customer.name for c in winback.candidates()[0]]
    assert names == ["Sam Lee"]

    follow_ups.refresh()  # "call me", but their newest answer says not to
    assert first.id not in {f.response_id for f in db.session.scalars(select(FollowUp))}
    db.session.add(FollowUp(response_id=first.id, reason="Asks to be contacted"))  # queued before
    db.session.commit()
    entry = db.session.scalars(select(FollowUp).where(FollowUp.response_id == first.id)).one()
    details = follow_ups.contact_details(entry, actor="cx@staff.example", actor_user_id=None)
    assert details.may_contact is False


def test_an_address_that_opted_out_as_another_customer_row_is_not_listed_to_write_to(app, make, db):
    """The opt-out is the person's (``suppression.address_opted_out``): the same person stored
    again (a CSV row beside the billing provider's) who opted out as one row was still listed as a
    close-the-loop recipient, a win-back candidate and a campaign target as the other, counted in
    the pages' figures and a campaign's offer arm, while every send to them was cancelled."""
    from feedback_app.services.actions import campaign_targets

    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    world.answer(price, name="Robin Avery", email="Robin@Example.com", submitted=OLDER)
    make.customer(name="Robin (csv)", email="robin@example.com", source="csv", opted_out=True)
    world.answer(price, name="Kim Park", submitted=OLDER)
    item = ActionItem(
        theme_id=price.id, title="Price", actions=["Fix"], status="shipped", shipped_at=utcnow()
    )
    db.session.add(item)
    db.session.commit()

    assert [p.customer.name for p in close_loop.recipients(item)] == ["Kim Park"]
    assert [c.customer.name for c in winback.candidates()[0]] == ["Kim Park"]
    selection = campaign_targets.select_target(campaign_targets.Target(theme_ids=[price.id]))
    assert [c.name for c in selection.customers] == ["Kim Park"]
    assert selection.excluded["opted_out"] == 1


def test_a_win_back_candidate_is_listed_under_the_theme_the_themes_page_counts_them_in(app, make, db):
    """The list showed the theme of the customer's first answer, while the themes page (one theme
    per customer, ``metrics.counted_themes``) counts them under their newest answer's."""
    world = World(make, db)
    price = world.theme("price", "Price went up", "price")
    support = world.theme("support", "Slow support replies", "support")
    person, _ = world.answer(price, name="Robin Avery", submitted=OLDER)
    _again(world, person, contact_ok="yes", theme=support, text="Nobody answered my tickets.")

    (candidate,) = winback.candidates()[0]
    assert candidate.theme is not None and candidate.theme.id == support.id
