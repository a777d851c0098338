"""Personal data, precisely: people and contact/account data go, brands and competitors stay
(real spaCy model; the devset figures are the ones bench/pii_eval.py prints)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from nlp import PipelineConfig, redact
from nlp.preprocess import keep_names_tag, prepare_docs

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        "We switched to Notion because it has Gantt charts",
        "Moved the whole team to HubSpot, it does everything you do for less",
        "Revolut gives me free currency exchange",
        "PureGym is open 24/7 and costs half",
        "Went with Asana. Trello was too basic and Jira too heavy",
        "Cancelled Netflix and kept Disney+ for the kids",
        "Spotify Premium family plan is cheaper than yours",
        "Got a better deal from Octopus Energy",
        "Xfinity had an outage every week, moved to Verizon Fios",
        "Found Strava free",
        "Canceled because of Covid and never came back",
        "Too expensive - Ridiculous",
        "Speedtests showed 11 Mbps down on a 200 Mbps package",
        # closings, shouting and brands at the end are not names signed off
        "Too slow. Thanks, take care",
        "cheers, see you around",
        "Price went up. Regards, the whole team",
        "I LOVE THE APP BUT IT IS TOO EXPENSIVE",
        "Moved to Lemonade, Aviva too slow",
        "cheaper at Tesco dot com",
    ],
)
def test_brand_and_competitor_names_survive(spacy_nlp, text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, secret",
    [
        ("Thanks, Dana Whitfield", "Dana Whitfield"),
        ("Price went up again and nobody explained why.\n— Łukasz", "Łukasz"),
        ("Too expensive for what it is. Regards, Zoë Müller", "Zoë Müller"),
        ("José Peña from billing charged me twice", "José Peña"),
        ("My name is Siobhan O'Leary and I was overcharged", "Siobhan O'Leary"),
        ("Switched to Notion. Cheers, Tom", "Tom"),
        ("I spoke to Aoife three times and nothing changed", "Aoife"),
        ("Your agent Björn Lindqvist promised a refund", "Björn Lindqvist"),
        ("Demasiado caro.\nSaludos, María José Fernández", "María José Fernández"),
        ("Zu teuer geworden. Mit freundlichen Grüßen, Jürgen Kraus", "Jürgen Kraus"),
        ("Got a letter meant for a Mr. D. Fairweather", "Fairweather"),
        ("Thanks for asking.\n\nDana", "Dana"),
    ],
)
def test_person_names_are_redacted_including_non_ascii_and_sign_offs(spacy_nlp, text, secret):
    out = redact(text)
    assert secret not in out
    assert "[PERSON]" in out


@pytest.mark.parametrize(
    "text, secret, tag",
    [
        ("Contact me: dana.w+exit@gmail.com", "dana.w+exit@gmail.com", "[EMAIL]"),
        ("call me on 07911 123456", "07911 123456", "[PHONE]"),
        ("My number is +49 151 23456789", "23456789", "[PHONE]"),
        ("tel. +33 6 12 34 56 78", "12 34 56 78", "[PHONE]"),
        ("reach me at 415.555.0198", "415.555.0198", "[PHONE]"),
        ("IBAN GB33 BUKB 2020 1555 5555 55 was debited twice", "2020 1555", "[ACCOUNT]"),
        ("Card 4000 0566 5566 5556 was charged after I cancelled", "4000 0566", "[CARD]"),
        ("Policy number: POL/2023/88120 was renewed without asking", "88120", "[ACCOUNT]"),
        ("Complaint reference 88213-B is still open", "88213", "[ACCOUNT]"),
        ("Send the final bill to 47 Rosewood Avenue, Leeds LS6 2QT", "Rosewood", "[ADDRESS]"),
        ("My profile https://www.linkedin.com/in/dana-whitfield-4411", "dana-whitfield", "[URL]"),
    ],
)
def test_contact_and_account_data_are_redacted(spacy_nlp, text, secret, tag):
    out = redact(text)
    assert secret not in out
    assert tag in out


def test_keep_names_setting_keeps_the_companys_own_and_competitors_names(spacy_nlp):
    text = "We moved to Zorblex because Quandrix kept failing"
    plain = prepare_docs([text], spacy_nlp)[0].text
    kept = prepare_docs([text], spacy_nlp, keep_names=["Zorblex", "quandrix"])[0].text
    assert kept == text
    assert PipelineConfig(keep_names=["Zorblex"]).keep_names == ["Zorblex"]
    # A changed allow-list must not reuse cached redactions.
    assert keep_names_tag(["Zorblex"]) != keep_names_tag([]) == "-"
    assert keep_names_tag(["Zorblex", "quandrix"]) == keep_names_tag(["Quandrix", "zorblex"])
    # People are still redacted with an allow-list in place.
    out = prepare_docs(["Thanks, Dana Whitfield. We went to Zorblex"], spacy_nlp, keep_names=["Zorblex"])[
        0
    ].text
    assert "Whitfield" not in out and "Zorblex" in out
    del plain


@pytest.mark.parametrize(
    "text, secret",
    [
        # names after cues, with particles and letters beyond ASCII
        ("way too dear for two visits a month (member: Chidinma Okonkwo)", "Chidinma Okonkwo"),
        (
            "closing down. Please contact our bookkeeper Máire Ní Chonaill for the last statements",
            "Máire Ní Chonaill",
        ),
        ("Please close the membership of Renée Duval, she moved abroad", "Renée Duval"),
        ("The contract is in the name of Oksana Melnyk, please cancel it", "Oksana Melnyk"),
        ("At the branch, ask for Seán Ó Ceallaigh, he knows the story", "Seán Ó Ceallaigh"),
        ("Dear Sir,\nThe fees are too high.\nYours sincerely,\nDr. Eoin Mac Giolla Bhríde", "Giolla Bhríde"),
        ("Kind regards,\nPieter van den Broek", "van den Broek"),
        # a name written right before its phone number
        ("The engineer never turned up.\nAdaeze Nwosu 07700 900111", "Adaeze Nwosu"),
        # a known given name from many cultures, then a surname, with no cue
        ("Yesterday Olumide Bankole from your team promised a callback", "Olumide Bankole"),
        ("My son Ruairí tried to log in and got locked out", "Ruairí"),
    ],
)
def test_names_after_cues_and_from_many_cultures_are_redacted(spacy_nlp, text, secret):
    out = redact(text)
    assert secret not in out
    assert "[PERSON]" in out


@pytest.mark.parametrize(
    "text, secret",
    [
        ("The driver could not find 'Apartment 12C, Riverside Court, 4 Mill Lane' again", "Riverside Court"),
        ("Post it to 15 Glenview Terrace, Cork T12 X8K4 please", "Glenview Terrace"),
        ("Parcel went to 31 Seafield Crescent, Dublin 3 instead", "Dublin 3"),
        ("Entrega para Avenida da Liberdade 45, 1250-096 Lisboa nunca chegou", "Liberdade 45"),
        ("Paket an Kastanienallee 7, 10435 Berlin kam nie an", "10435 Berlin"),
        ("Bitte an Münchner Straße 19 liefern", "Münchner Straße 19"),
        ("Envío a Calle Mayor 8, 3º B, 28013 Madrid perdido", "Calle Mayor 8"),
        ("Livré au 4 avenue Jean Jaurès, 31000 Toulouse, pas chez moi", "31000 Toulouse"),
    ],
)
def test_addresses_in_several_countries_are_redacted(spacy_nlp, text, secret):
    out = redact(text)
    assert secret not in out
    assert "[ADDRESS]" in out


@pytest.mark.parametrize(
    "text",
    [
        "Keine Schnittstelle zu SAP, Datenschutz-Probleme und kein Support am Wochenende.",
        "Zu wenig Speicherplatz, DSGVO-Konformität unklar.",
        "Customer since 2016 and the price doubled",
        "Max has all the films I watch and costs less",
        "Savings rates are better with Marcus",
        "Installer says the socket is wrong. Never came back.",
        "Moved to Notion. Simpler, and cheaper for a team of five.",
        "No Dolby Vision on half the titles",
    ],
)
def test_ordinary_words_years_and_brands_named_like_people_survive(spacy_nlp, text):
    assert redact(text) == text


def test_a_brand_that_is_also_a_given_name_is_redacted_when_a_person_is_meant(spacy_nlp):
    assert "Max" not in redact("I spoke to Max in your shop twice and he hung up")
    assert "Marcus" not in redact("Your agent Marcus promised a refund")


def test_hash_numbers_are_accounts_but_ranks_are_not(spacy_nlp):
    assert (
        redact("Tickets #55021 and #55377 were closed unanswered")
        == "Tickets [ACCOUNT] and [ACCOUNT] were closed unanswered"
    )
    assert redact("Price is the #1 reason") == "Price is the #1 reason"


def _pii_eval():
    spec = importlib.util.spec_from_file_location("pii_eval", ROOT / "bench" / "pii_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "text, secret",
    [
        ("The app froze daily. thx, ángel", "ángel"),
        ("fees everywhere. regards, ngozi adeyemi", "ngozi adeyemi"),
        ("NOBODY CALLED BACK. MARIA KOWALSKI", "MARIA KOWALSKI"),
        ("Too pricey. /Kasia", "Kasia"),
        ("Moving abroad. Love, Anaïs & Théo", "Théo"),
        ("Boxes went to Apt 2C, 310 E 86th St, New York, NY 10028 instead", "310 E 86th"),
        ("reach me on john dot smith at gmail dot com", "smith"),
        ("contact anna[at]web.de about the refund", "anna"),
        ("Bills still go to PO Box 1234", "1234"),
        ("Enviar a C/ Mayor 5, 3º B, 28013 Madrid", "Mayor 5"),
    ],
)
def test_names_signed_without_capitals_or_in_capitals_and_us_streets_are_redacted(spacy_nlp, text, secret):
    assert secret not in redact(text)


@pytest.mark.parametrize("name", ["devset.csv", "pii_challenge.csv", "devset2.csv", "pii_fresh.csv"])
def test_measured_recall_precision_and_non_answer_rates_meet_the_targets(spacy_nlp, name):
    with open(ROOT / "bench" / "data" / name, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    r = _pii_eval().evaluate(rows)
    assert r["pii_recall"] == 1.0
    assert r["pii_precision"] >= 0.95
    if r["non_answers"]:
        # Rules alone: the classifier catches more non-answers later.
        assert r["non_answers_caught"] / r["non_answers"] >= (0.90 if name == "devset2.csv" else 0.95)
        assert r["real_answers_flagged"] / r["real_answers"] <= 0.01


@pytest.mark.parametrize(
    "text, secret",
    [
        # signature blocks: name in any case, then title, phone or e-mail lines
        ("Too slow for us.\n\nRegards\nOKONKWO ADEBAYO\n+234 803 555 0142", "OKONKWO ADEBAYO"),
        ("Moving to Pipedrive.\n\nBest,\nLiang Qiuyue\nSales Ops Lead\nliang.q@example.cn", "Liang Qiuyue"),
        ("App kept logging me out.\n\nSent from my iPhone\nwanjiru kamau", "wanjiru kamau"),
        ("Too expensive.\n--\nR. Venkataraman\nAccounts Payable", "Venkataraman"),
        ("Cheers — PJ", "PJ"),
        # a name found in part is widened; a second person joined by "&"
        ("Chúng tôi hủy. Trần Thị Hương here, the router never worked", "Trần"),
        ("Love, Inès & Grégoire", "Grégoire"),
        ("Cheers,\nthe Adeyemi family", "Adeyemi"),
        # cues in lower case and in the other survey languages
        ("talk to ifeanyi at your desk, he has the paperwork", "ifeanyi"),
        ("Pregunten a Itziar en la tienda, ella lo sabe.", "Itziar"),
        ("Ihr Mitarbeiter Kowalczyk hat nie zurückgerufen.", "Kowalczyk"),
        ("Madame Desrosiers m'a raccroché au nez.", "Desrosiers"),
        ("Falei com Rafaela três vezes, nada mudou.", "Rafaela"),
    ],
)
def test_signature_blocks_widened_names_and_cues_in_five_languages_are_redacted(spacy_nlp, text, secret):
    out = redact(text)
    assert secret not in out
    assert "[PERSON]" in out


@pytest.mark.parametrize(
    "text, secret, tag",
    [
        ("They wanted my SSN 078-05-1120 just to cancel", "078-05-1120", "[ACCOUNT]"),
        ("NI number AB 12 34 56 C, why ask?", "34 56", "[ACCOUNT]"),
        ("DNI 87654321X y seguían sin darme de baja", "87654321X", "[ACCOUNT]"),
        ("CPF 321.654.987-00, cobrança duplicada", "654.987", "[ACCOUNT]"),
        ("Steuer-ID: 65 929 970 489, das Formular war absurd", "929 970", "[ACCOUNT]"),
        ("My date of birth is 22/07/1984 and the form rejected it", "22/07/1984", "[DATE]"),
        ("Geburtsdatum 3. Mai 1979 wurde falsch gespeichert", "Mai 1979", "[DATE]"),
        ("nacido el 9 de octubre de 1991, la web fallaba", "octubre", "[DATE]"),
        ("Fines for reg KX65 ABC, not my car", "KX65 ABC", "[ACCOUNT]"),
        ("Kennzeichen B-XY 4471 wurde nicht erkannt", "4471", "[ACCOUNT]"),
        ("You blocked my IP 81.2.69.160 for no reason", "81.2.69.160", "[IP]"),
        ("Banned again: fe80::1ff:fe23:4567:890a", "fe80", "[IP]"),
        ("My posts are at x.com/ama_reviews/status/99", "ama_reviews", "[URL]"),
        ("Benutzername: tobi_k1990 wurde gesperrt", "tobi_k1990", "[ACCOUNT]"),
        ("Kundennummer 7720 1184 93, bitte kündigen", "1184", "[ACCOUNT]"),
        ("Numéro client : 5521 0093, résiliation", "5521", "[ACCOUNT]"),
        ("Pedido 77-40912 nunca llegó", "40912", "[ACCOUNT]"),
        ("call 098765 43210 after six", "43210", "[PHONE]"),
    ],
)
def test_identity_numbers_birth_dates_plates_ips_and_cues_in_five_languages_are_redacted(
    spacy_nlp, text, secret, tag
):
    out = redact(text)
    assert secret not in out
    assert tag in out


@pytest.mark.parametrize(
    "text",
    [
        "Deutsche Telekom hatte das bessere Angebot",
        "Nos fuimos a Mercado Libre y pagamos con Mercado Pago",
        "Chase Bank gave us a better rate",
        "Jio and Airtel are a third of the price",
        "Thanks to Zoom we no longer need you",
        "Our Paris office moved everything to Monday.com",
        "The Head of Customer Success picked Gainsight",
        "Regards,\nCustomer Success",
        "Best,\nThe Brightloop team",
        "Kind regards\nOperations Team\nAcme Ltd",
        "Outages in Bangalore every evening",
        "We moved to Da Nang and the app had no coverage",
        "Version 10.2.3.4 broke the sync",
        "Renewal on 14/03/2025 went up 20%",
        "Booking.com and Airbnb had it cheaper",
        "Fomos para o Itaú, o app é melhor",
        "Rufen Sie doch mal bei Vodafone an",
    ],
)
def test_brands_places_teams_and_versions_survive(spacy_nlp, text):
    assert redact(text) == text


def test_the_new_dev_lists_tuning_half_is_fully_redacted_without_eating_brands(spacy_nlp):
    with open(ROOT / "bench" / "data" / "pii_dev2.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["half"] == "tune"]
    r = _pii_eval().evaluate(rows)
    assert r["planted"] >= 90
    assert r["pii_recall"] == 1.0
    assert r["pii_precision"] >= 0.95
