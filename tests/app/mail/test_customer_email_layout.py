"""Every email a former customer gets reads on a phone and a laptop the same way: the welcome-back
offer, the interview invitation, the "we changed it" note and the CPR desk's offer had no viewport, ran the window's
whole width on a laptop, and a long link ran off a phone's screen; the interview's booking link
was a plain blue link, not a button in the company's colour as on the survey emails. The invitation
footer said "at most 1 reminder".

The Chromium is the session's one ``browser`` (tests/app/conftest.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template

from feedback_app.models import ActionItem
from feedback_app.services.actions import campaigns, close_loop_email, close_loop_links, cpr
from feedback_app.services.outreach.emails import compose
from tests.app.actions.winback_data import campaign_input, price_world
from tests.app.survey_helpers import shipped_survey

LONG_LINK = "https://cal.example.com/sam-ortiz/exit-interview-twenty-minutes-" + "x" * 60


def _interview(app, make) -> str:
    customer = make.customer(name="Ann Lee")
    with app.test_request_context():
        return render_template(
            "email/interview.html",
            customer=customer,
            company="Brightloop",
            note="We would value 20 minutes of your time.",
            link=LONG_LINK,
            interviewer="Sam Ortiz",
            footer="No more emails from us:",
            opt_out_url=close_loop_links.opt_out_url(customer, "interview"),
            link_text="opt out",
        )


def _win_back(app, make, db) -> str:
    price_world(make, db, people=1)
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    return campaigns.render(campaign, None, "t" * 43, language="de")[2]


def _cpr_offer(app, make, db) -> str:
    customer = make.customer(name="Ann Lee", language="fr")
    body = "Hello Ann,\n\nWhat we propose: " + LONG_LINK
    return cpr.compose_letter(customer, subject="Ann", body=body, deadline=date(2030, 1, 31)).html


def _we_fixed_it(app, make, db) -> str:
    item = ActionItem(title="x", owner_team="billing", actions=[], status="shipped", customer_change="Fixed.")
    return close_loop_email.render(item, first_name="Ann", opt_out_url=LONG_LINK, language="pt").html


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["interview", "win_back", "we_fixed_it", "cpr_offer"])
def test_every_customer_email_fits_a_phone_and_reads_in_a_column_on_a_laptop(open_page, app, make, db, kind):
    app.config["BRAND_COLOUR"] = "#7a1f5c"
    html = {
        "interview": _interview,
        "win_back": _win_back,
        "we_fixed_it": _we_fixed_it,
        "cpr_offer": _cpr_offer,
    }[kind](*((app, make) if kind == "interview" else (app, make, db)))
    phone = open_page(viewport={"width": 320, "height": 640})
    phone.set_content(html)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    laptop = open_page(viewport={"width": 1280, "height": 800})
    laptop.set_content(html)
    widths = laptop.evaluate(
        "Array.from(document.querySelectorAll('p')).map(p => p.getBoundingClientRect().width)"
    )
    assert widths and max(widths) <= 600
    if kind == "interview":
        button = phone.get_by_role("link", name="Pick a time that suits you")
        assert button.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(122, 31, 92)"
        assert phone.get_by_role("link", name="opt out").count() == 1
    if kind == "cpr_offer":  # an address staff typed is a link, and the lines we add are in French
        assert phone.get_by_role("link", name=LONG_LINK).count() == 1
        assert (
            "Cette offre est valable jusqu" in phone.content()
            and phone.get_by_role("link", name="me désinscrire").count() == 1
        )


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "with at most one reminder,", "with at most 2 reminders,"),
        ("de", "mit höchstens einer Erinnerung,", "mit höchstens 2 Erinnerungen,"),
        ("es", "con un recordatorio como máximo,", "con 2 recordatorios como máximo,"),
        ("fr", "au plus un rappel,", "au plus 2 rappels,"),
        ("pt", "com no máximo um lembrete,", "com no máximo 2 lembretes,"),
    ],
)
def test_the_invitation_footer_says_one_reminder_in_words(app, make, language, one, two):
    survey = shipped_survey("saas_cancellation")
    customer = make.customer(name="Lea Roth", language=language)
    _, token = make.invitation(customer=customer, survey=survey)
    for limit, words in ((1, one), (2, two)):
        app.config["REMINDER_MAX"] = limit
        email = compose("invitation", customer, survey, token)
        assert words in " ".join(email.body_text.split()) and words in " ".join(email.body_html.split())


def test_every_customer_email_ends_with_the_same_footer(app, make, db):
    """The win-back offer's text ended its letter with a bare blank line before the opt-out line,
    where the invitation, "we fixed it" and the CPR offer put ``--`` there; the HTML footers had
    three sizes and colours. Now each ends the same way: ``--`` (a rule in HTML), then why and how to stop."""
    price_world(make, db, people=1)
    campaign = campaigns.create(campaign_input(), actor="cx@test")
    _, win_back_text, win_back_html = campaigns.render(campaign, None, "t" * 43)
    letter = cpr.compose_letter(
        make.customer(name="Ann Lee"),
        subject="Ann",
        body="Hello Ann,\n\nA proposal.\n\n",
        deadline=date(2030, 1, 31),
    )
    item = ActionItem(title="x", owner_team="billing", actions=[], status="shipped", customer_change="Fixed.")
    fixed = close_loop_email.render(item, first_name="Ann", opt_out_url=LONG_LINK)
    survey = shipped_survey("saas_cancellation")
    customer = make.customer(name="Lea Roth")
    _, token = make.invitation(customer=customer, survey=survey)
    invitation = compose("invitation", customer, survey, token)
    emails = {
        "win back": (win_back_text, win_back_html, "No more emails from us: http://"),
        "cpr offer": (letter.text, letter.html, "No more emails from us: http://"),
        "we fixed it": (fixed.text, fixed.html, "You get this one email because"),
        "invitation": (invitation.body_text, invitation.body_html, "You get this email once"),
    }
    for kind, (text, html, footer) in emails.items():
        body, _, end = text.partition("\n\n--\n")
        assert end.startswith(footer) and body and not body.endswith("\n"), kind
        assert "--" not in end and not text.endswith("\n\n"), kind
        rule = html.index("<hr>")
        assert (
            html[rule:].count("<p") == 1 and '<p style="font-size: 13px; color: #52606d;">' in html[rule:]
        ), kind
