"""The survey in the respondent's language: every shipped language rendered with every string
translated and ``<html lang>`` set; the language from intake, then Accept-Language, then the
survey's default; the on-page switch works without JavaScript."""

from __future__ import annotations

import re
from html import unescape

import pytest

from feedback_app.services.surveys.versions import checked_definition, current_version
from tests.app.survey_helpers import GOOD_SAAS_POST, post_survey, shipped_survey

LANGUAGES = ("en", "es", "de", "fr", "pt")
#: The page's own words in English; none may show on a page in another language.
ENGLISH_FRAME = (
    "Send my answers",
    "Questions marked (optional)",
    "Question 1 of",
    "Opt out: no more emails",
    "0 = not at all likely",
    "characters",
    "Hello,",
)


@pytest.fixture
def saas(app):
    return shipped_survey("saas_cancellation")


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_survey_renders_in_each_shipped_language_with_every_string_translated(
    client, make, saas, app, language
):
    customer = make.customer(name=None, language=language)
    _, token = make.invitation(customer=customer, survey=saas, status="sent")

    page = client.get(f"/s/{token}")

    assert page.status_code == 200 and html_lang(page) == language
    text = page_text(page)
    company = app.config["COMPANY_NAME"]
    mine = checked_definition(current_version(saas), language)
    english = checked_definition(current_version(saas), "en")
    for question in mine.questions:
        assert question.prompt.replace("{company}", company) in text
        assert all(option.label in text for option in question.options)
        assert question.help is None or question.help in text
    if language != "en":
        for question in english.questions:
            assert question.prompt.replace("{company}", company) not in text, question.id
            assert not [o.label for o in question.options if o.label in text], question.id
        assert not [words for words in ENGLISH_FRAME if words in text], language


def test_language_comes_from_intake_then_accept_language_then_the_default(client, make, saas):
    def opened(language=None, header=None):
        _, token = make.invitation(customer=make.customer(language=language), survey=saas, status="sent")
        headers = {"Accept-Language": header} if header else {}
        return html_lang(client.get(f"/s/{token}", headers=headers))

    assert opened(language="de", header="fr-FR,fr;q=0.9") == "de"  # intake wins over the browser
    assert opened(language=None, header="fr-CA,fr;q=0.9,en;q=0.5") == "fr"  # then the browser
    assert opened(language="ja", header="pt-BR") == "pt"  # a language the survey lacks: next rule
    assert opened(language=None, header="ja,zh;q=0.8") == "en"  # then the survey's default
    assert opened() == "en"


def test_the_respondent_switches_language_with_plain_links_and_keeps_it_through_the_answer(
    client, make, saas
):
    _, token = make.invitation(
        customer=make.customer(name="Zoë Q", language="de"), survey=saas, status="sent"
    )
    first = client.get(f"/s/{token}/opt-out")  # a page without answers to keep: plain links
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', first.get_data(as_text=True)))
    assert sorted(links.values()) == sorted(LANGUAGES)
    spanish_url = next(url for url, code in links.items() if code == "es")

    spanish = client.get(unescape(spanish_url).replace("/opt-out", ""))
    assert html_lang(spanish) == "es" and "Enviar mis respuestas" in page_text(spanish)
    assert f'action="/s/{token}?lang=es"' in spanish.get_data(as_text=True)

    invalid = client.post(f"/s/{token}?lang=es", data={"csrf_token": "x"})  # a refused signature
    assert invalid.status_code == 400 and "Vuelve a enviar tus respuestas" in page_text(invalid)

    missing = {**GOOD_SAAS_POST, "q_what_happened": ""}
    errors = client.post(
        f"/s/{token}?lang=es",
        data={
            **missing,
            "csrf_token": re.search(
                r'name="csrf_token" type="hidden" value="([^"]+)"', spanish.get_data(as_text=True)
            ).group(1),
            "version": "1",
        },
    )
    assert errors.status_code == 422 and "Escribe una respuesta." in page_text(errors)
    assert "Revisa esta respuesta" in page_text(errors)

    sent = post_survey(client, token, GOOD_SAAS_POST, page=spanish)
    assert sent.status_code == 303  # posted without ?lang: back to the customer's German
    thanks = client.get(sent.headers["Location"])
    assert html_lang(thanks) == "de" and "Vielen Dank, Zoë" in page_text(thanks)
    # thanked once: the heading says it, the line below says what happens next
    assert "Ihre Antworten sind angekommen" in page_text(thanks) and "Vielen Dank." not in page_text(thanks)


def test_a_bad_link_answers_in_the_browser_language(client):
    page = client.get("/s/" + "x" * 43, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert page.status_code == 404 and html_lang(page) == "fr"
    assert "Nous n’avons pas trouvé cette page" in page_text(page)


def test_a_one_line_answer_has_no_character_counter_and_a_scale_has_its_own_markup(client, make, saas):
    _, token = make.invitation(customer=make.customer(), survey=saas, status="sent")
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert 'id="q_what_happened-counter"' in html  # the text area counts
    assert 'id="q_win_back-counter"' not in html and 'id="q_competitor-counter"' not in html
    assert 'class="scale scale-nps"' in html and html.count('name="q_nps"') == 11
    assert (
        "Question 1 of 5" in html and "Question 5 of 5" in html
    )  # the competitor question waits for a reason


def test_the_survey_carries_the_brand_logo_and_colour(client, make, saas, app):
    app.config.update(BRAND_LOGO_URL="/static/favicon.svg", BRAND_COLOUR="#7a1fa2")
    _, token = make.invitation(customer=make.customer(), survey=saas, status="sent")
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert f'<img src="/static/favicon.svg" alt="{app.config["COMPANY_NAME"]}" class="brand-logo">' in html
    assert "--accent: #7a1fa2" in html


def test_the_thanks_page_says_how_long_answers_can_change_not_a_utc_clock_time(client, make, saas, app):
    """A customer in Madrid read "until 21:27 UTC"; "for the next 30 minutes" needs no timezone."""
    app.config["SURVEY_EDIT_WINDOW_MINUTES"] = 30
    _, token = make.invitation(customer=make.customer(name="Ana"), survey=saas, status="sent")
    thanks = client.get(post_survey(client, token, GOOD_SAAS_POST).headers["Location"])
    text = re.sub(r"\s+", " ", page_text(thanks))
    assert re.search(r"You can change your answers for the next (30|29) minutes\.", text), text
    assert "UTC" not in text
    german = make.customer(name="Jonas", language="de")
    _, token = make.invitation(customer=german, survey=saas, status="sent")
    danke = re.sub(
        r"\s+", " ", page_text(client.get(post_survey(client, token, GOOD_SAAS_POST).headers["Location"]))
    )
    assert re.search(r"Sie können Ihre Antworten noch (30|29) Minuten lang ändern\.", danke), danke
    app.config["SURVEY_EDIT_WINDOW_MINUTES"] = 3 * 24 * 60
    _, token = make.invitation(customer=make.customer(name="Eve"), survey=saas, status="sent")
    later = page_text(client.get(post_survey(client, token, GOOD_SAAS_POST).headers["Location"]))
    assert "for the next 2 days." in later, "rounded down, never promising more time than is left"


def _signature(page) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_switching_language_on_the_form_keeps_what_was_typed_and_saves_nothing(client, make, saas, db):
    from tests.app.survey_helpers import response_count

    _, token = make.invitation(
        customer=make.customer(name="Zoë Q", language="en"), survey=saas, status="sent"
    )
    first = client.get(f"/s/{token}")
    html = first.get_data(as_text=True)
    # the picker's languages are buttons of the survey's form, each posting to the page in its language
    buttons = dict(
        re.findall(r'form="survey-answers" name="language" value="(\w+)" formaction="([^"]+)"', html)
    )
    assert sorted(buttons) == sorted(LANGUAGES) and unescape(buttons["de"]) == f"/s/{token}?lang=de"
    assert '<form method="post" id="survey-answers"' in html
    # Enter in an answer's box sends the answers: the first submit button of the form is a send
    assert html.index('aria-hidden="true">Send my answers</button>') < html.index('name="language"')

    typed = {"q_what_happened": "Die Exporte <brachen> zweimal", "q_main_reason": "hard_to_use", "q_nps": "4"}
    switched = client.post(
        f"/s/{token}?lang=de",
        data={**typed, "csrf_token": _signature(first), "version": "1", "language": "de"},
    )
    text = page_text(switched)
    assert switched.status_code == 200 and html_lang(switched) == "de"
    assert "Die Exporte <brachen> zweimal</textarea>" in text  # what was typed, escaped in the page
    assert 'value="hard_to_use" checked' in switched.get_data(as_text=True).replace("\n", " ")
    assert 'id="q_nps-4"' in text and re.search(r'value="4" checked|checked[^>]*value="4"', text)
    assert "error-summary" not in text and "Bitte wählen Sie eine Antwort" not in text  # no "required"
    assert " autofocus>" in text  # focus on the picker, which names the new language
    assert f'action="/s/{token}?lang=de"' in text and "Meine Antworten senden" in text
    assert response_count(db) == 0

    sent = client.post(
        f"/s/{token}?lang=de", data={**GOOD_SAAS_POST, "csrf_token": _signature(switched), "version": "1"}
    )
    assert sent.status_code == 303 and response_count(db) == 1
    assert "Vielen Dank, Zoë" in page_text(client.get(sent.headers["Location"]))

    # once answered (another tab), a switch shows the "already answered" page, saving nothing more
    again = client.post(
        f"/s/{token}", data={"csrf_token": _signature(switched), "version": "1", "language": "fr"}
    )
    assert again.status_code == 200 and html_lang(again) == "fr" and response_count(db) == 1
