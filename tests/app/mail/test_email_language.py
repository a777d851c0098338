"""Invitation and reminder emails in the customer's language, over a real SMTP server."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest

from feedback_app.services.outreach import outbox
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations, queue_reminders
from tests.app.survey_helpers import shipped_survey


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(smtp_server.mail_settings())
    return app


def parts(received):
    message = received.message
    subject = str(make_header(decode_header(message["Subject"])))
    return subject, message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_each_customer_gets_the_invitation_in_their_language(smtp_app, smtp_server, make):
    shipped_survey("saas_cancellation")
    make.customer(name="Amélie Roux", email="amelie@example.fr", company=None, language="fr")
    make.customer(name="Jonas Weber", email="jonas@example.de", company="Weber GmbH", language="de")
    make.customer(name="Kenji Sato", email="kenji@example.jp", company=None, language="ja")  # not offered

    assert create_invitations("saas_cancellation", InvitationFilters()).created == 3
    assert outbox.deliver().sent == 3

    by_address = {received.rcpt_tos[0]: parts(received) for received in smtp_server.messages}
    subject, text, html = by_address["amelie@example.fr"]
    company = smtp_app.config["COMPANY_NAME"]
    assert subject == f"Amélie, pourriez-vous nous dire pourquoi vous avez quitté {company} ?"
    assert "Bonjour Amélie," in text and f"Vous avez récemment quitté {company}" in text
    assert "Le lien est valable" in text and "Plus d’e-mails sur cette enquête" in text
    assert '<html lang="fr">' in html and "Dites-nous pourquoi vous êtes parti" in html
    assert "You recently left" not in text + html

    subject, text, html = by_address["jonas@example.de"]
    assert subject == f"Jonas, verraten Sie uns, warum Sie {company} verlassen haben?"
    assert f"Sie haben {company} kürzlich für Weber GmbH verlassen" in text and '<html lang="de">' in html

    subject, text, html = by_address["kenji@example.jp"]  # the survey's default language
    assert subject.startswith("Kenji, could you tell us why you left") and '<html lang="en">' in html


def test_the_reminder_is_in_the_customer_language_too(smtp_app, smtp_server, make):
    shipped_survey("saas_cancellation")
    make.customer(name="João Silva", email="joao@example.pt", company=None, language="pt-BR")
    create_invitations("saas_cancellation", InvitationFilters())
    outbox.deliver()

    assert queue_reminders(after_days=0, max_reminders=1).queued == 1
    outbox.deliver()

    subject, text, html = parts(smtp_server.messages[-1])
    assert subject == f"Um lembrete: por que deixou a {smtp_app.config['COMPANY_NAME']}?"
    assert "Olá, João," in text and "Este é o último lembrete que enviamos." in text
    assert '<html lang="pt">' in html


def test_a_german_customer_is_invited_to_an_interview_in_german(smtp_app, smtp_server, make):
    """The interview invitation was English whatever the customer's language: it now follows the
    rule of the survey emails, while the note staff wrote goes out as written."""
    from feedback_app.services.conversations import interviews

    jonas = make.customer(name="Jonas Weber", email="jonas@example.de", language="de")
    interviews.schedule(
        jonas,
        interviewer="Sam Ortiz",
        note="Wir würden gern 20 Minuten mit Ihnen sprechen.",
        link="https://cal.example.com/sam",
        actor="cx@example.com",
    )
    outbox.deliver()

    (received,) = [m for m in smtp_server.messages if m.rcpt_tos == ["jonas@example.de"]]
    subject, text, html = parts(received)
    company = smtp_app.config["COMPANY_NAME"]
    assert subject == f"Dürfen wir mit Ihnen darüber sprechen, warum Sie {company} verlassen haben?"
    assert "Hallo Jonas," in text and "Wir würden gern 20 Minuten mit Ihnen sprechen." in text
    assert "Wählen Sie einen passenden Termin: https://cal.example.com/sam" in text
    assert "Es dauert etwa 20 Minuten" in text and f"Sam Ortiz, für das Team von {company}" in text
    assert '<html lang="de">' in html and "Oder kopieren Sie diesen Link:" in html
    assert "Hello" not in text + html and "Pick a time" not in text + html
