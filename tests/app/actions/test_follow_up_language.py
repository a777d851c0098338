"""The "we changed it" and win-back emails reach each customer in the language of their survey:
the default text translated, what staff wrote kept as written, and the preview says who gets which."""

from __future__ import annotations

import re
from datetime import date, timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from feedback_app.models import ActionItem, AuditEvent, DepartedCustomer, OutboxEmail, WinbackCampaign, utcnow
from feedback_app.services.actions import campaigns, close_loop, cpr, follow_up_texts
from feedback_app.services.outreach.follow_up_language import languages_for
from tests.app.actions.winback_data import campaign_input
from tests.app.insights_data import World
from tests.helpers import csrf_token, without_tags

LANGUAGES = ["en", "es", "de", "fr", "pt"]


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(smtp_server.mail_settings())
    return app


def _world(make, db):
    """A survey written in five languages, answered about price by customers of three languages."""
    world = World(make, db, languages=LANGUAGES)
    price = world.theme("price", "Price went up", "price")
    world.answer(price, name="Jonas Weber", email="jonas@example.de", language="de")
    world.answer(price, name="Amélie Roux", email="amelie@example.fr", language="fr")
    world.answer(price, name="Kenji Sato", email="kenji@example.jp", language="ja")  # not a survey language
    return world, price


def _mail(smtp_server, address):
    (received,) = smtp_server.by_recipient(address)
    message = received.message
    subject = str(make_header(decode_header(message["Subject"])))
    return subject, message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _shipped_item(db, price, **fields):
    item = ActionItem(
        theme_id=price.id,
        title="Price",
        owner_team="billing",
        actions=["Freeze prices"],
        status="shipped",
        shipped_at=utcnow(),
        customer_change="Prices are fixed for two years.",
        **fields,
    )
    db.session.add(item)
    db.session.commit()
    return item


def test_we_changed_it_goes_out_in_each_customers_language(smtp_app, smtp_server, make, db):
    _world_, price = _world(make, db)
    item = _shipped_item(db, price)
    assert close_loop.send(item, actor="cx@test") == 3

    subject, text, html = _mail(smtp_server, "jonas@example.de")
    company = smtp_app.config["COMPANY_NAME"]
    assert subject == "Sie haben es uns gesagt, und wir haben es geändert"
    assert text.replace("\r\n", "\n").startswith(f"Hallo Jonas,\n\nals Sie {company} verlassen haben")
    assert "Prices are fixed for two years." in text  # what staff wrote stays as written
    assert (
        "Keine E-Mails mehr von uns: http" in text and '<html lang="de">' in html and ">abmelden</a>" in html
    )

    subject, text, html = _mail(smtp_server, "amelie@example.fr")
    assert subject == "Vous nous l’avez dit, et nous l’avons changé" and "Bonjour Amélie," in text
    assert '<html lang="fr">' in html

    subject, text, html = _mail(smtp_server, "kenji@example.jp")  # the survey's default language
    assert (
        subject == "You told us, and we changed it" and "Hello Kenji," in text and '<html lang="en">' in html
    )


def test_text_staff_edited_goes_out_as_written_with_the_footer_translated(smtp_app, smtp_server, make, db):
    _world_, price = _world(make, db)
    item = _shipped_item(
        db, price, customer_subject="We fixed pricing", customer_body="Hi {first_name}! {change}"
    )
    close_loop.send(item, actor="cx@test")
    subject, text, _html = _mail(smtp_server, "jonas@example.de")
    assert subject == "We fixed pricing" and text.startswith("Hi Jonas! Prices are fixed for two years.")
    assert "Keine E-Mails mehr von uns:" in text


def test_the_preview_names_each_recipients_language(client, login, make, db):
    _world_, price = _world(make, db)
    item = _shipped_item(db, price)
    login("cx")
    page = _text(client.get(f"/dashboard/actions/{item.id}/close-loop").get_data(as_text=True))
    assert "Preview (as Jonas will see it, in German)" in page
    assert "Subject: Sie haben es uns gesagt, und wir haben es geändert" in page
    assert "Jonas Weber Acme German will be sent" in page
    assert "Amélie Roux Acme French will be sent" in page and "Kenji Sato Acme English will be sent" in page


def test_a_win_back_offer_reaches_each_customer_in_their_language(
    smtp_app, smtp_server, client, login, make, db
):
    _world(make, db)
    deadline = date.today() + timedelta(days=14)
    campaign = campaigns.create(campaign_input(offer_deadline=deadline), actor="cx@test")

    login("cx")
    page = _text(client.get(f"/dashboard/win-back/campaigns/{campaign.id}").get_data(as_text=True))
    assert "Languages: 1 customer in English, 1 customer in French, 1 customer in German." in page
    assert "As Jonas will see it, in German" in page and "Hallo Jonas," in page

    campaigns.send(campaign, actor="cx@test")
    subject, text, html = _mail(smtp_server, "jonas@example.de")
    assert subject.startswith("Jonas, kommen Sie zurück zu") and subject.endswith(": 20% off for 6 months")
    assert f"Das Angebot gilt für Sie bis zum {deadline.day}. " in text  # 14. Dezember 2026
    assert "Keine E-Mails mehr von uns: http" in text and ">abmelden</a>" in html
    assert (
        "\n20% off for 6 months (Code: BACK20)\r\n" in text
    )  # the default body has no {code}: it goes beside the offer
    subject, text, _html = _mail(smtp_server, "kenji@example.jp")
    assert subject.startswith("Kenji, come back to") and "The offer is yours until" in text
    assert "20% off for 6 months (code: BACK20)" in text and "BACK20" not in subject


def test_a_body_that_shows_the_code_gets_it_once(app, make, db):
    _world(make, db)
    campaign = campaigns.create(campaign_input(body="{offer} with {code}: {link}"), actor="cx@test")
    _subject, text, _html = campaigns.render(campaign, None, "t", language="de")
    assert text.startswith("20% off for 6 months with BACK20: http")


def test_a_win_back_subject_staff_wrote_goes_out_as_written(smtp_app, smtp_server, make, db):
    _world(make, db)
    campaign = campaigns.create(campaign_input(subject="{first_name}, a gift from us"), actor="cx@test")
    campaigns.send(campaign, actor="cx@test")
    subject, text, _html = _mail(smtp_server, "amelie@example.fr")
    assert subject == "Amélie, a gift from us" and text.startswith(
        "Bonjour Amélie,"
    )  # the body is the default


def test_an_answer_from_the_billing_cancel_form_does_not_set_the_language(app, make, db):
    """Only an emailed survey says which language a customer was asked in; the cancel form's answer
    (an English-only survey, never sent) leaves the customer's own language in charge."""
    billing = make.survey(key="billing_cancellation")
    jonas = make.customer(language="de")
    make.invitation(customer=jonas, survey=billing, status="completed", sent_at=None)
    kenji = make.customer(language="ja")
    assert languages_for([jonas, kenji]) == {jonas.id: "de", kenji.id: "en"}


def test_the_cpr_offers_deadline_line_is_in_the_customers_language(client, login, make, db):
    """The CPR desk sends what staff wrote as written; the one line it adds, the deadline, is in the
    customer's language, and the page says which before it goes."""
    _world(make, db)
    jonas = db.session.scalars(select(DepartedCustomer).where(DepartedCustomer.language == "de")).one()
    case = cpr.open_case(jonas, actor="cx@test")
    login("cx")
    assert "the deadline and their own opt-out link, in German" in client.get(
        f"/dashboard/cpr/{jonas.id}"
    ).get_data(as_text=True)
    deadline = date(2030, 12, 14)
    cpr.send_offer(
        case,
        subject="Jonas, ein Angebot",
        body="Ein Jahr zum halben Preis.",
        offer_cents=0,
        deadline=deadline,
        cost_to_serve_monthly_cents=None,
        actor="cx@test",
        today=date(2030, 1, 1),
    )
    email = db.session.scalars(select(OutboxEmail)).one()
    assert email.body_text.startswith(
        "Ein Jahr zum halben Preis.\n\nDieses Angebot gilt bis zum 14. Dezember 2030.\n\n--\nKeine E-Mails mehr von uns: http"
    )
    assert case.offer_text == "Ein Jahr zum halben Preis.\n\nDieses Angebot gilt bis zum 14. Dezember 2030.\n"
    # the shared customer-email layout, in their language, with their own one-click opt-out
    assert '<html lang="de">' in email.body_html and 'name="viewport"' in email.body_html
    assert ">abmelden</a>" in email.body_html
    opt_out = email.headers["List-Unsubscribe"].strip("<>")
    assert (
        opt_out in email.body_html and email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    # the page it opens speaks German too, whatever the browser asks for
    asked = client.get(opt_out.removeprefix("http://survey.test"), headers={"Accept-Language": "en"})
    page = asked.get_data(as_text=True)
    assert '<html lang="de"' in page and "Keine E-Mails mehr von" in without_tags(page)
    assert client.post(opt_out.removeprefix("http://survey.test")).status_code == 200
    db.session.refresh(jonas)
    assert jonas.opted_out
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "customer.opted_out")).one()
    assert event.details["channel"] == "cpr_offer_email"


def test_the_default_text_saved_from_the_campaign_form_is_still_translated(client, login, make, db):
    """The form shows the default text; saved untouched from a browser (CRLF line ends), it is still
    the default, so each customer gets it in their language."""
    _world(make, db)
    login("cx")
    form = client.get("/dashboard/win-back/campaigns/new?cause=price")
    body = follow_up_texts.WIN_BACK_BODY.replace("\n", "\r\n")
    created = client.post(
        "/dashboard/win-back/campaigns/new",
        data={
            "name": "Price is back",
            "causes": ["price"],
            "holdout_percent": "0",
            "offer_text": "20% off for 6 months",
            "offer_value": "120",
            "offer_deadline": (date.today() + timedelta(days=14)).isoformat(),
            "subject": follow_up_texts.WIN_BACK_SUBJECT,
            "body": body,
            "landing_url": "https://brightloop.test/pricing",
            "csrf_token": csrf_token(form),
        },
    )
    assert created.status_code == 302
    campaign = db.session.scalars(select(WinbackCampaign)).one()
    jonas = db.session.scalars(select(DepartedCustomer).where(DepartedCustomer.language == "de")).one()
    subject, text, _html = campaigns.render(campaign, jonas, "t", language="de")
    assert subject.startswith("Jonas, kommen Sie zurück") and text.startswith("Hallo Jonas,")
