"""Support tickets in: CSV, Zendesk and Intercom exports; bad rows, unknown customers, re-imports,
redaction before storage, agents apart. Redaction loads spaCy's small model (marked slow)."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from feedback_app.models import AuditEvent, Conversation, ConversationMessage, DepartedCustomer
from tests.helpers import csrf_token

pytestmark = pytest.mark.slow

HEADER = "ticket_id,customer_id,customer_email,created_at,closed_at,status,subject,body,author_role"
ROWS = [
    'T-1,ext-ann,,2026-08-01,,open,Invoice wrong,"I\'m Dana Whitfield, call me on +44 7700 900123: you charged us twice.",customer',
    'T-1,ext-ann,,2026-08-01,,open,Invoice wrong,"Hi Dana, we are looking into it.",agent',
    "T-2,,bo@example.com,2026-07-01,2026-07-03,solved,Export slow,The export takes an hour.,customer",
]


def people(make):
    ann = make.customer(
        external_id="ext-ann", email="ann@example.com", name="Ann Lee", left_at=date(2026, 9, 1)
    )
    bo = make.customer(external_id="ext-bo", email="bo@example.com", name="Bo Chen", left_at=date(2026, 9, 1))
    return ann, bo


def write(tmp_path, lines, name="tickets.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tickets(db):
    return db.session.scalars(
        select(Conversation).where(Conversation.kind == "ticket").order_by(Conversation.id)
    ).all()


def test_csv_import_stores_redacted_tickets_with_agents_apart(runner, make, db, tmp_path):
    ann, bo = people(make)
    result = runner.invoke(args=["tickets", "import", str(write(tmp_path, [HEADER, *ROWS]))])
    assert result.exit_code == 0, result.output
    assert "2 tickets read: 2 created, 0 updated, 0 unchanged, 0 not imported." in result.output
    first, second = tickets(db)
    assert first.customer_id == ann.id and second.customer_id == bo.id
    assert first.status == "open" and first.closed_at is None
    assert second.status == "closed" and second.resolution == "resolved"
    assert second.closed_at == datetime(2026, 7, 3, tzinfo=UTC)
    roles = [(m.author_role, m.body_redacted) for m in first.messages]
    assert [r for r, _ in roles] == ["customer", "agent"]
    stored = " ".join(b for _, b in roles) + first.redacted_text
    assert "Dana" not in stored and "7700" not in stored and "[PHONE]" in roles[0][1]
    assert "charged us twice" in first.redacted_text
    assert "looking into it" not in first.redacted_text  # the agent's reply is never analysed
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "tickets.import")).details["created"]
        == 2
    )


def test_reimport_is_idempotent_and_a_changed_ticket_is_updated(runner, make, db, tmp_path):
    people(make)
    path = write(tmp_path, [HEADER, *ROWS])
    runner.invoke(args=["tickets", "import", str(path)])
    again = runner.invoke(args=["tickets", "import", str(path)])
    assert "0 created, 0 updated, 2 unchanged" in again.output
    assert db.session.scalar(select(func.count(Conversation.id))) == 2
    assert db.session.scalar(select(func.count(ConversationMessage.id))) == 3
    changed = [ROWS[0], ROWS[1], ROWS[2].replace("2026-07-03,solved", "2026-07-03,unresolved")]
    result = runner.invoke(args=["tickets", "import", str(write(tmp_path, [HEADER, *changed]))])
    assert "0 created, 1 updated, 1 unchanged" in result.output
    db.session.expire_all()
    assert tickets(db)[1].resolution == "unresolved"


@pytest.mark.parametrize(
    "row, column, reason",
    [
        ("T-9,ext-ann,,2026-08-01,,open,,,customer", "body", "required"),
        ("T-9,ext-ann,,01/08/2026,,open,,Too slow.,customer", "created_at", "not a date"),
        ("T-9,ext-ann,,2026-08-01,,waiting,,Too slow.,customer", "status", "not a known status"),
        ("T-9,ext-ann,,2026-08-01,,closed,,Too slow.,customer", "closed_at", "date it was closed"),
        (
            "T-9,ext-ann,,2026-08-05,2026-08-01,solved,,Too slow.,customer",
            "closed_at",
            "before the ticket was created",
        ),
        ("T-9,ext-ann,,2026-08-01,,open,,Too slow.,robot", "author_role", "not customer or agent"),
        (",ext-ann,,2026-08-01,,open,,Too slow.,customer", "ticket_id", "required"),
        ("T-9,,,2026-08-01,,open,,Too slow.,customer", "customer_id", "say whose ticket"),
        ("T-9,ext-ann,,2026-08-01,,open,,Too slow.,customer,extra", None, "cells but the header names"),
    ],
)
def test_bad_rows_are_reported_with_line_and_column_and_the_rest_imported(
    runner, make, db, tmp_path, row, column, reason
):
    people(make)
    result = runner.invoke(args=["tickets", "import", str(write(tmp_path, [HEADER, ROWS[2], row]))])
    assert result.exit_code == 0, result.output
    # The row is named by its ticket id, else (no ticket id) by its customer's id.
    named = "(customer_id ext-ann)" if row.startswith(",") else "(ticket_id T-9)"
    where = f"line 3 {named}" + (f", {column}" if column else "")
    assert any(where in line and reason in line for line in result.output.splitlines()), result.output
    assert "1 created" in result.output and "1 not imported" in result.output
    assert [t.external_id for t in tickets(db)] == ["T-2"]


def test_unknown_customer_is_reported_not_created(runner, make, db, tmp_path):
    people(make)
    row = "T-7,ext-nobody,,2026-08-01,,open,,Where is my refund?,customer"
    result = runner.invoke(args=["tickets", "import", str(write(tmp_path, [HEADER, row, ROWS[2]]))])
    assert (
        "line 2 (ticket_id T-7), customer: no departed customer has external id 'ext-nobody'" in result.output
    )
    assert "1 unknown customer(s), not created" in result.output
    assert db.session.scalar(select(func.count(DepartedCustomer.id))) == 2
    assert [t.external_id for t in tickets(db)] == ["T-2"]


def test_an_ambiguous_customer_is_not_counted_as_unknown(runner, make, db, tmp_path):
    """A reference two customers share names several customers: the summary says so, not that
    nobody has it (and the page's "Customers not found" list leaves it out)."""
    people(make)
    make.customer(source="crm", external_id="ext-twice", email="one@example.com")
    make.customer(source="billing", external_id="ext-twice", email="two@example.com")
    rows = [
        "T-7,ext-twice,,2026-08-01,,open,,Where is my refund?,customer",
        "T-8,ext-nobody,,2026-08-01,,open,,Hello?,customer",
    ]
    result = runner.invoke(args=["tickets", "import", str(write(tmp_path, [HEADER, *rows]))])
    assert "2 departed customers have external id 'ext-twice'" in result.output
    assert "1 unknown customer(s), not created" in result.output
    assert "1 customer reference(s) naming several customers" in result.output, result.output
    assert tickets(db) == []


def test_a_file_that_is_not_a_ticket_csv_is_refused_whole(runner, make, db, tmp_path):
    result = runner.invoke(args=["tickets", "import", str(write(tmp_path, ["id,text", "1,hello"]))])
    assert result.exit_code != 0 and "missing the required column(s) ticket_id" in result.output
    assert tickets(db) == []


def test_a_blank_header_cell_is_named_by_its_position(runner, make, db, tmp_path):
    path = write(tmp_path, [HEADER + ",", "T-1,c-1,,2026-08-01,,open,Hi,Hello,customer,"])
    result = runner.invoke(args=["tickets", "import", str(path)])
    assert result.exit_code != 0 and "column 10 has no name" in result.output
    assert "''" not in result.output


ZENDESK = {
    "tickets": [
        {
            "id": 881,
            "requester_id": 11,
            "status": "closed",
            "subject": "Refund never came",
            "created_at": "2026-08-10T09:00:00Z",
            "updated_at": "2026-08-20T09:00:00Z",
            "satisfaction_rating": {"score": "bad"},
            "comments": [
                {
                    "author_id": 11,
                    "body": "My refund for order 55123987 never arrived. Email me at ann@example.com",
                    "created_at": "2026-08-10T09:00:00Z",
                },
                {
                    "author_id": 99,
                    "body": "Sorry Ann, closing this as the refund was issued.",
                    "created_at": "2026-08-20T09:00:00Z",
                },
            ],
        },
        {
            "id": 882,
            "requester_id": 12,
            "status": "open",
            "subject": "Help",
            "created_at": "2026-08-11T09:00:00Z",
            "comments": [{"author_id": 12, "body": "Anyone there?"}],
        },
        {
            "id": 883,
            "requester_id": 11,
            "status": "open",
            "created_at": "last week",
            "comments": [{"author_id": 11, "body": "Hello"}],
        },
    ],
    "users": [
        {"id": 11, "email": "ann@example.com", "role": "end-user"},
        {"id": 12, "email": "stranger@example.com", "role": "end-user"},
        {"id": 99, "email": "agent@brightloop.example", "role": "agent"},
    ],
}


def test_zendesk_export_keeps_roles_and_reads_a_bad_rating_as_unresolved(runner, make, db, tmp_path):
    ann, _ = people(make)
    path = tmp_path / "zendesk.json"
    path.write_text(json.dumps(ZENDESK), encoding="utf-8")
    result = runner.invoke(args=["tickets", "import", str(path), "--format", "zendesk"])
    assert "1 created" in result.output and "2 not imported" in result.output, result.output
    assert (
        "record 2 (ticket 882), customer: no departed customer has email 'stranger@example.com'"
        in result.output
    )
    assert "record 3 (ticket 883), created_at: 'last week' is not a date" in result.output
    (ticket,) = tickets(db)
    assert (ticket.origin, ticket.external_id, ticket.customer_id) == ("zendesk", "881", ann.id)
    assert ticket.status == "closed" and ticket.resolution == "unresolved"
    assert [m.author_role for m in ticket.messages] == ["customer", "agent"]
    assert "55123987" not in ticket.redacted_text and "ann@example.com" not in ticket.redacted_text
    assert "refund" in ticket.redacted_text and "closing this" not in ticket.redacted_text


def test_zendesk_one_ticket_a_line_reports_a_broken_line(runner, make, db, tmp_path):
    people(make)
    good = dict(ZENDESK["tickets"][0], requester={"email": "ann@example.com"})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    result = runner.invoke(args=["tickets", "import", str(path), "--format", "zendesk"])
    assert "1 created" in result.output and "line 2, (json): is not JSON" in result.output, result.output


INTERCOM = {
    "type": "conversation.list",
    "conversations": [
        {
            "type": "conversation",
            "id": "147",
            "created_at": 1786000000,
            "updated_at": 1786500000,
            "state": "closed",
            "statistics": {"last_close_at": 1786400000},
            "conversation_rating": {"rating": 1, "remark": "Not solved"},
            "contacts": {
                "type": "contact.list",
                "contacts": [{"type": "contact", "id": "5f", "external_id": "ext-bo"}],
            },
            "source": {
                "type": "conversation",
                "subject": "",
                "body": "<p>The sync keeps <b>losing</b> our data.</p>",
                "author": {"type": "user", "id": "5f", "email": "bo@example.com"},
            },
            "conversation_parts": {
                "type": "conversation_part.list",
                "conversation_parts": [
                    {
                        "part_type": "comment",
                        "body": "<p>Hi Bo, have you tried turning it off?</p>",
                        "created_at": 1786100000,
                        "author": {"type": "admin", "id": "25"},
                    },
                    {
                        "part_type": "assignment",
                        "body": None,
                        "created_at": 1786100001,
                        "author": {"type": "bot"},
                    },
                    {
                        "part_type": "comment",
                        "body": "<p>Yes. Still broken.</p>",
                        "created_at": 1786200000,
                        "author": {"type": "user", "id": "5f"},
                    },
                ],
            },
        }
    ],
}


def test_intercom_export_is_read_with_html_removed_and_parts_by_role(runner, make, db, tmp_path):
    _, bo = people(make)
    path = tmp_path / "intercom.json"
    path.write_text(json.dumps(INTERCOM), encoding="utf-8")
    result = runner.invoke(args=["tickets", "import", str(path), "--format", "intercom"])
    assert "1 created" in result.output, result.output
    (ticket,) = tickets(db)
    assert ticket.customer_id == bo.id and ticket.resolution == "unresolved"
    assert ticket.closed_at == datetime.fromtimestamp(1786400000, tz=UTC)
    assert [m.author_role for m in ticket.messages] == ["customer", "agent", "customer"]
    assert "<p>" not in ticket.messages[0].body_redacted
    assert "losing our data" in ticket.redacted_text and "Still broken" in ticket.redacted_text
    assert "turning it off" not in ticket.redacted_text
    again = runner.invoke(args=["tickets", "import", str(path), "--format", "intercom"])
    assert "1 unchanged" in again.output


def test_dashboard_upload_shows_the_report_and_problems(client, login, make, db):
    people(make)
    login("cx")
    page = client.get("/dashboard/conversations/import")
    assert page.status_code == 200 and "ticket_id" in page.get_data(as_text=True)
    data = "\n".join([HEADER, ROWS[2], "T-8,ext-zed,,2026-08-01,,open,,Hello,customer"]).encode()
    response = client.post(
        "/dashboard/conversations/import",
        data={"csrf_token": csrf_token(page), "fmt": "csv", "file": (io.BytesIO(data), "tickets.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 created" in html and "ext-zed" in html
    assert (
        'line 3 (ticket_id T-8)</td><td data-label="Column">customer</td>' in html
    )  # the problem names its row
    listing = client.get("/dashboard/conversations?kind=ticket").get_data(as_text=True)
    assert "Export slow" in listing and "Support ticket" in listing


def test_product_role_cannot_import_tickets(client, login):
    login("product")
    assert client.get("/dashboard/conversations/import").status_code == 403


def test_the_import_line_counts_one_ticket_in_the_singular():
    from feedback_app.services.conversations.tickets import TicketImportReport

    assert TicketImportReport("csv", tickets=1, rejected=1).summary().startswith("1 ticket read: 0 created")
    assert TicketImportReport("csv", tickets=2).summary().startswith("2 tickets read:")


def test_a_subject_with_a_name_and_an_email_is_redacted_on_every_page(
    runner, client, login, make, db, tmp_path
):
    ann, _bo = people(make)
    row = (
        'T-9,ext-ann,,2026-08-01,,open,"Refund for Dana Whitfield, reply to dana.whitfield@example.com",'
        "We were charged twice this month.,customer"
    )
    assert runner.invoke(args=["tickets", "import", str(write(tmp_path, [HEADER, row]))]).exit_code == 0
    (ticket,) = tickets(db)
    assert ticket.subject and "Refund for" in ticket.subject
    login("cx")
    for url in (f"/dashboard/customers/{ann.id}", "/dashboard/conversations"):
        html = client.get(url).get_data(as_text=True)
        assert "Refund for" in html, url
        assert "Whitfield" not in html and "dana.whitfield@example.com" not in html, url
