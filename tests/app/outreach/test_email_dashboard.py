"""The email pages of the staff dashboard: outbox, written .eml files, invite form, funnel."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from feedback_app.models import Invitation, OutboxEmail, utcnow
from feedback_app.services.mail.files import safe_html
from feedback_app.services.outreach import outbox
from feedback_app.services.outreach.funnel import invitation_funnel
from feedback_app.services.outreach.invitations import InvitationFilters, create_invitations
from feedback_app.services.outreach.tokens import hash_token
from tests.helpers import csrf_token


def queued(make, count=1, **fields):
    make.survey(key="exit")
    for _ in range(count):
        make.customer(**fields)
    create_invitations("exit", InvitationFilters())


def test_the_email_pages_are_for_cx_and_admin_only(client, login):
    login("product")
    for path in (
        "/dashboard/outbox",
        "/dashboard/outbox/files",
        "/dashboard/invitations/new",
        "/dashboard/invitations/funnel",
    ):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard/outbox")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_outbox_page_reads_in_words_and_says_what_it_does_not_list(client, login, make, db):
    """The Email page showed internal keys ("pending", "invitation", "any", "transport: file") and
    "Invitations sent 553" above an outbox with 0 sent invitations, unexplained: it reads in words
    and says that invitations imported as sent are not in the outbox."""
    queued(make)
    login("cx")
    html = client.get("/dashboard/outbox").get_data(as_text=True)
    for header in ("Pending", "Sending", "Sent", "Failed", "Cancelled"):
        assert f'<th scope="col" class="num">{header}</th>' in html  # counts: right-aligned
    assert '<th scope="row">Invitation</th>' in html and '<td data-label="Kind">Invitation</td>' in html
    assert '<option value="">Any</option>' in html and '<option value="">any</option>' not in html
    assert "Mail is written to a folder, not sent (file transport)" in html
    assert "transport: <strong>file" not in html
    assert "Invitations imported as already sent" in html
    filtered = client.get("/dashboard/outbox?status=pending&kind=invitation").get_data(as_text=True)
    assert "Emails of kind “Invitation”, status “Pending” (1)" in filtered


def test_outbox_page_shows_counts_last_errors_and_retries_a_failed_email(client, login, make, db):
    queued(make, count=2)
    failed = db.session.scalar(select(OutboxEmail).order_by(OutboxEmail.id))
    failed.status, failed.last_error = "failed", "gave up after 6 attempts: 451 4.3.0 Mailbox busy"
    db.session.commit()
    login("cx")

    page = client.get("/dashboard/outbox")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "gave up after 6 attempts: 451 4.3.0 Mailbox busy" in html
    assert re.search(
        r"<th scope=\"row\">Invitation</th>\s*<td[^>]*><a[^>]*>1</a></td>\s*<td[^>]*>0</td>\s*"
        r"<td[^>]*>0</td>\s*<td[^>]*><a[^>]*>1</a></td>",
        html,
    )
    assert html.count(">Retry</button>") == 1

    response = client.post(f"/dashboard/outbox/{failed.id}/retry", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    db.session.expire_all()
    # queued again and delivered by the job right away (file transport in tests)
    assert db.session.get(OutboxEmail, failed.id).status == "sent"
    assert "is queued again" in client.get("/dashboard/outbox").get_data(as_text=True)


def test_a_zero_count_is_no_link_and_a_kind_with_none_says_so_in_words(client, login, make, db):
    """Every count in the summary table was a link, a zero one to an empty list, and on a phone a
    kind with no email read "Invitation: none": a zero is plain text, a count above zero still links
    to its emails, and a kind with none reads "no emails"."""
    queued(make)  # one pending invitation
    login("cx")
    html = client.get("/dashboard/outbox").get_data(as_text=True)
    table = html.split("<caption>", 1)[1].split("</table>", 1)[0]
    assert '<a href="/dashboard/outbox?kind=invitation&amp;status=pending">1</a>' in table
    assert '<a href="/dashboard/outbox?status=pending">1</a>' in table  # the "All" row
    assert "status=sent" not in table and "kind=reminder" not in table  # zeros link nowhere
    assert '<td data-label="Sent" class="zero">0</td>' in table
    assert ": none" not in table
    assert '<th scope="row">Reminder<span class="phone-only help"> (no emails)</span></th>' in table
    assert '<th scope="row">Invitation</th>' in table and '<th scope="row">All</th>' in table


def test_retry_without_csrf_is_refused_and_a_bounced_address_is_not_retried(client, login, make, db):
    queued(make)
    row = db.session.scalar(select(OutboxEmail))
    row.status, row.last_error = "failed", "550 5.1.1 no such user"
    row_customer_email = row.recipient
    db.session.commit()
    from feedback_app.models import DepartedCustomer

    customer = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.email == row_customer_email))
    customer.email_bounced_at = utcnow()
    db.session.commit()
    login("admin")
    assert client.post(f"/dashboard/outbox/{row.id}/retry").status_code == 400
    page = client.get("/dashboard/outbox")
    client.post(f"/dashboard/outbox/{row.id}/retry", data={"csrf_token": csrf_token(page)})
    html = client.get("/dashboard/outbox").get_data(as_text=True)
    assert "cannot be retried: address bounced earlier" in html
    db.session.expire_all()
    assert db.session.get(OutboxEmail, row.id).status == "failed"


def test_outbox_list_is_paginated_and_filtered(client, login, make, db):
    queued(make, count=55)
    login("cx")
    first = client.get("/dashboard/outbox").get_data(as_text=True)
    assert "Page 1 of 2" in first and "All emails (55)" in first
    second = client.get("/dashboard/outbox?page=2").get_data(as_text=True)
    assert second.count('<td data-label="Kind">Invitation</td>') == 5
    empty = client.get("/dashboard/outbox?status=failed").get_data(as_text=True)
    assert "No emails match this filter" in empty


def test_a_filter_that_matches_no_email_links_to_the_whole_outbox(client, login, make, db):
    """A "Failed" filter with none failed told a CX lead to invite customers to a survey, with 55 emails in the
    outbox; it says how many the filter hides and links to them all. An empty outbox still says how
    to fill it."""
    login("cx")
    nothing = " ".join(client.get("/dashboard/outbox?status=failed").get_data(as_text=True).split())
    assert "No emails. Invite departed customers to a survey on" in nothing and "show all" not in nothing
    queued(make, count=55)
    text = " ".join(client.get("/dashboard/outbox?status=failed").get_data(as_text=True).split())
    assert (
        "No emails match this filter; the outbox has 55 emails of other kinds or statuses: "
        '<a href="/dashboard/outbox">show all 55</a>.'
    ) in text
    assert "Invite departed customers to a survey on" not in text


@pytest.mark.parametrize("role", ["cx", "admin"])
def test_a_written_email_can_be_read_but_its_survey_token_is_masked(client, login, make, db, app, role):
    """Only the token's hash is stored with the invitation; staff never see the raw link (issue 16, item 8)."""
    queued(make, name="Ana <script>alert(1)</script> Lopez")
    outbox.deliver()
    login(role)

    listing = client.get("/dashboard/outbox/files").get_data(as_text=True)
    name = re.search(r'/dashboard/outbox/files/([^"]+\.eml)"', listing).group(1)
    page = client.get(f"/dashboard/outbox/files/{name}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200

    # The email itself (what the customer gets) holds the working link ...
    written = (Path(app.config["MAIL_OUTBOX_DIR"]) / name).read_text()
    token = re.search(r"http://survey\.test/s/([\w-]{43})", written).group(1)
    invitation = db.session.scalar(select(Invitation))
    assert hash_token(token) == invitation.token_hash
    assert client.get(f"/s/{token}").status_code == 200
    # ... the page shows the link with its token masked, in the text, the HTML and List-Unsubscribe.
    assert token not in html and token[:12] not in html
    assert "http://survey.test/s/[token]" in html and "/f/[token]/opt-out" in html
    assert 'href="http://survey.test/s/[token]' not in html  # a masked link is text, not a dead link
    # ... and the link's closing tag is not left as text after the mask ("/s/[token]/a>")
    assert "[token]/a&gt;" not in html and "[token]/a>" not in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "List-Unsubscribe-Post" in html


def test_eml_names_outside_the_folder_are_not_found(client, login, app, tmp_path):
    (tmp_path / "secret.eml").write_text("Subject: secret\n\nno")
    login("cx")
    for name in ("..%2Fsecret.eml", "%2E%2E%2Fsecret.eml", "missing.eml", "x.txt"):
        assert client.get(f"/dashboard/outbox/files/{name}").status_code == 404, name


def test_safe_html_keeps_text_and_links_and_drops_everything_active():
    dirty = (
        '<p onclick="x()">Hi <b>there</b><script>steal()</script><style>p{}</style>'
        '<a href="javascript:alert(1)">bad</a> <a href="https://ok.example/s/t">ok</a>'
        '<img src=x onerror=alert(1)><iframe src="https://evil"></iframe></p>'
    )
    clean = safe_html(dirty)
    assert clean == (
        '<p>Hi <b>there</b><a>bad</a> <a href="https://ok.example/s/t" rel="noopener noreferrer" '
        'target="_blank">ok</a></p>'
    )


def test_the_invite_form_previews_then_creates_and_sends(client, login, make, db, app, tmp_path):
    survey = make.survey(key="exit")
    make.customer(segment="smb")
    make.customer(segment="enterprise")
    make.customer(segment="smb", opted_out=True)
    login("cx")
    page = client.get("/dashboard/invitations/new")
    # the survey by its title, never its key
    assert f'<option value="exit">{survey.title}</option>' in page.get_data(as_text=True)
    token = csrf_token(page)

    preview = client.post(
        "/dashboard/invitations/new",
        data={"csrf_token": token, "survey": "exit", "segment": "smb", "preview": "Preview"},
    )
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Preview: nothing was created" in text and "opted out" in text
    assert db.session.scalar(select(func.count(Invitation.id))) == 0

    created = client.post(
        "/dashboard/invitations/new",
        data={"csrf_token": token, "survey": "exit", "segment": "smb", "create": "Create"},
    )
    assert "Invitations created" in created.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Invitation.id))) == 1
    assert db.session.scalar(select(OutboxEmail.status)) == "sent"  # the deliver job ran
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 1


def test_the_invite_form_says_what_is_wrong(client, login, make):
    make.survey(key="exit")
    login("cx")
    token = csrf_token(client.get("/dashboard/invitations/new"))
    response = client.post(
        "/dashboard/invitations/new",
        data={
            "csrf_token": token,
            "survey": "nope",
            "left_since": "2026-10-05",
            "left_before": "2026-10-01",
            "preview": "Preview",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not a valid choice" in html and "Must be after" in html
    assert html.count('aria-invalid="true"') == 2  # the survey and "Left before", marked in red
    assert 'aria-invalid="false"' not in html


def test_a_fresh_invite_form_marks_no_field_valid_and_asks_for_no_date_format(client, login, make):
    """Pico draws aria-invalid="false" as a green border with a tick: an untouched, empty field
    looked "correct". The date pickers show the browser's own format, so the help names none."""
    make.survey(key="exit")
    login("cx")
    html = client.get("/dashboard/invitations/new").get_data(as_text=True)
    assert "aria-invalid" not in html and 'aria-describedby=""' not in html
    assert 'type="date"' in html and "YYYY-MM-DD" not in html
    assert 'aria-describedby="dates-help"' in html and "Leave a date empty for no limit." in html
    for page in ("/dashboard/customers/import", "/dashboard/conversations/import", "/dashboard/interviews"):
        assert 'aria-invalid="false"' not in client.get(page).get_data(as_text=True), page


def test_funnel_counts_each_stage_per_survey(client, login, make, db):
    survey = make.survey(key="exit")
    other = make.survey(key="other")
    make.invitation(survey=survey, status="pending")
    make.invitation(survey=survey, status="sent", sent_at=utcnow())
    make.invitation(survey=survey, status="opened", sent_at=utcnow(), opened_at=utcnow())
    answered, _ = make.invitation(survey=survey, status="sent", sent_at=utcnow(), opened_at=utcnow())
    make.response(invitation=answered)
    make.invitation(survey=survey, status="opted_out", sent_at=utcnow(), opted_out_at=utcnow())
    make.invitation(survey=survey, status="bounced")
    make.invitation(survey=other, status="sent", sent_at=utcnow())

    (row,) = invitation_funnel(survey_id=survey.id)
    assert (row.invited, row.sent, row.opened, row.completed, row.opted_out, row.bounced) == (
        6,
        4,
        2,
        1,
        1,
        1,
    )
    assert [r.survey_key for r in invitation_funnel()] == ["exit", "other"]
    assert invitation_funnel(since=utcnow().replace(year=2030)) == []

    login("cx")
    html = client.get("/dashboard/invitations/funnel").get_data(as_text=True)
    # two surveys of one title: the key tells them apart
    assert re.search(r"\(exit\)</small></th>\s*<td[^>]*>6</td><td[^>]*>4</td>", html)
    assert "All surveys" in html
    bad = client.get("/dashboard/invitations/funnel?start=yesterday")
    assert "From: &#39;yesterday&#39; is not a date in the form YYYY-MM-DD." in bad.get_data(as_text=True)


def test_funnel_shows_one_opt_out_in_hundreds_as_under_one_percent(client, login, make, db):
    survey = make.survey(key="exit")
    for _ in range(250):
        make.invitation(survey=survey, status="sent", sent_at=utcnow())
    make.invitation(survey=survey, status="opted_out", sent_at=utcnow(), opted_out_at=utcnow())
    login("cx")
    html = client.get("/dashboard/invitations/funnel").get_data(as_text=True)
    assert '<td data-label="Opted out">1 <small>(&lt;1%)</small></td>' in html  # 1 opted out of 251 sent
    assert '<td data-label="Bounced">0 <small>(0%)</small></td>' in html  # none bounced: a true zero


def test_a_customer_who_has_not_left_yet_is_not_invited_and_the_form_says_until_when(
    client, login, make, db, tmp_path
):
    """A cancellation at the end of a paid period is dated ahead: "You recently cancelled" must
    wait for that day, and the form says how many wait and until when."""
    make.survey(key="exit")
    make.customer(email="gone@example.com")
    make.customer(email="soon@example.com", left_at=utcnow().date() + timedelta(days=20))
    make.customer(email="later@example.com", left_at=date(2031, 1, 1))
    login("cx")
    token = csrf_token(client.get("/dashboard/invitations/new"))

    preview = client.post(
        "/dashboard/invitations/new", data={"csrf_token": token, "survey": "exit", "preview": "Preview"}
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", preview.get_data(as_text=True)))
    soon = (utcnow().date() + timedelta(days=20)).isoformat()
    assert re.search(r"Would create 1 .*not left yet 2", text), text
    assert f"2 customers have not left yet: their departure dates run from {soon} to 2031-01-01" in text

    client.post(
        "/dashboard/invitations/new", data={"csrf_token": token, "survey": "exit", "create": "Create"}
    )
    db.session.expire_all()
    assert list(db.session.scalars(select(OutboxEmail.recipient))) == ["gone@example.com"]


def test_the_invite_form_offers_the_known_segments_and_plans(client, login, make):
    """Free text let a typo match nobody ("Matched 0"); the other filters already offer values."""
    make.survey(key="exit")
    make.customer(segment="mid_market", plan="team")
    make.customer(segment="smb", plan="business")
    login("cx")
    page = client.get("/dashboard/invitations/new")
    html = page.get_data(as_text=True)
    segment = html[
        html.index('<select id="segment"') : html.index("</select>", html.index('<select id="segment"'))
    ]
    assert '<option value="">Any</option>' in segment
    assert '<option value="mid_market">Mid-market</option>' in segment and 'value="smb"' in segment
    plan = html[html.index('<select id="plan"') : html.index("</select>", html.index('<select id="plan"'))]
    assert 'value="business"' in plan and 'value="team"' in plan
    typo = client.post(
        "/dashboard/invitations/new",
        data={
            "csrf_token": csrf_token(page),
            "survey": "exit",
            "segment": "mid-market",
            "preview": "Preview",
        },
    )
    assert typo.status_code == 422 and "Not a valid choice" in typo.get_data(as_text=True)


def test_the_outbox_pages_with_the_shared_arrows_and_keeps_its_filter(client, login, make, db):
    """The Email page had bare "Next"/"Previous" links; it now uses the dashboard's shared
    pagination ("Page 1 of 2", "Next →"), the filter kept on the next page's link."""
    queued(make, count=55)
    login("cx")
    first = client.get("/dashboard/outbox?kind=invitation").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert re.search(
        r'<a href="/dashboard/outbox\?[^"]*kind=invitation[^"]*" rel="next">Next &rarr;</a>', first
    )
    second = client.get("/dashboard/outbox?kind=invitation&page=2").get_data(as_text=True)
    assert re.search(r'rel="prev">&larr; Previous</a>', second) and ">Previous<" not in second


def test_the_written_emails_page_explains_sent_emails_without_files(client, login, make, app):
    """The demo's outbox lists 156 emails sent while "Written emails" said only "No emails written
    yet": the page now says why sent emails have no file there, and links to them."""
    queued(make, count=2)
    outbox.deliver()
    for written in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"):
        written.unlink()  # as the demo's: marked sent, never written here
    login("cx")
    html = re.sub(r"\s+", " ", client.get("/dashboard/outbox/files").get_data(as_text=True))
    assert "No emails written yet." in html
    assert (
        'The <a href="/dashboard/outbox?status=sent">2 emails the outbox lists as sent</a> have no file here'
        in html
    )


def test_a_survey_titled_with_the_company_placeholder_is_named_with_the_company(app, client, login, make):
    """The e-commerce template is titled "We miss you at {company}": the invite form and the
    dashboards' survey filter named it with the raw placeholder."""
    app.config["COMPANY_NAME"] = "Brightloop"
    survey = make.survey(key="lapsed")
    survey.title = "We miss you at {company}"
    login("cx")
    for path in ("/dashboard/invitations/new", "/dashboard/themes", "/dashboard/invitations/funnel"):
        html = client.get(path).get_data(as_text=True)
        assert "We miss you at Brightloop" in html, path
        assert "{company}" not in html, path
