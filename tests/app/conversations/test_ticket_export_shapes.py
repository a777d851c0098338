"""A Zendesk or Intercom export with one record in an unexpected shape (a number where a list
belongs, an object where a word belongs): that record is reported with its field, the others are
read. These exports come from other systems and hand edits; one odd record must not stop the
import with a traceback."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from feedback_app.services.conversations.formats import parse

ZENDESK_TICKET: dict[str, Any] = {
    "id": 881,
    "requester": {"email": "ann@example.com"},
    "created_at": "2026-08-01T09:00:00Z",
    "status": "open",
    "tags": ["billing"],
    "comments": [{"author_id": 11, "body": "You charged us twice."}],
}
INTERCOM_CONVERSATION: dict[str, Any] = {
    "id": "147",
    "created_at": 1786000000,
    "state": "open",
    "contacts": {"contacts": [{"external_id": "ext-bo"}]},
    "tags": {"tags": [{"name": "sync"}]},
    "source": {"body": "<p>The sync loses data.</p>", "author": {"type": "user"}},
    "conversation_parts": {
        "conversation_parts": [{"body": "<p>Still broken.</p>", "author": {"type": "user"}}]
    },
}


def _with(record: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("fmt", "key", "record", "path", "value", "column"),
    [
        ("zendesk", "tickets", ZENDESK_TICKET, ("tags",), 5, "tags"),
        ("zendesk", "tickets", ZENDESK_TICKET, ("tags",), "billing", "tags"),
        ("intercom", "conversations", INTERCOM_CONVERSATION, ("tags", "tags"), 5, "tags"),
        (
            "intercom",
            "conversations",
            INTERCOM_CONVERSATION,
            ("conversation_parts", "conversation_parts"),
            True,
            "conversation_parts",
        ),
    ],
)
def test_a_record_with_a_list_of_another_shape_is_reported_and_the_rest_read(
    fmt, key, record, path, value, column
):
    bad = _with(record, path, value)
    bad["id"] = "bad-1"
    records, problems, count = parse(json.dumps({key: [bad, record]}).encode(), fmt)
    assert count == 2
    assert [r.ticket_id for r in records] == [str(record["id"])]
    (problem,) = problems
    label = "ticket" if fmt == "zendesk" else "conversation"
    assert problem.where == f"record 1 ({label} bad-1)" and problem.column == column
    assert "not a list" in problem.message


@pytest.mark.parametrize("author_type", [{"kind": "user"}, ["user"]])
def test_an_intercom_author_type_that_is_not_a_word_reads_as_an_agent(author_type):
    odd = _with(
        INTERCOM_CONVERSATION, ("conversation_parts", "conversation_parts", 0, "author", "type"), author_type
    )
    (record,), problems, _ = parse(json.dumps({"conversations": [odd]}).encode(), "intercom")
    assert problems == [] and [m.role for m in record.messages] == ["customer", "agent"]


def test_a_zendesk_users_list_of_another_shape_leaves_the_tickets_readable():
    document = {"tickets": [ZENDESK_TICKET], "users": 5}
    (record,), problems, _ = parse(json.dumps(document).encode(), "zendesk")
    assert problems == [] and record.customer_ref == "ann@example.com"


def test_an_html_body_of_stray_angle_brackets_is_read_in_linear_time():
    import time

    from feedback_app.services.conversations.formats import plain

    started = time.perf_counter()
    assert plain("<" * 100_000) == "<" * 100_000  # the old tag pattern: over a minute
    assert time.perf_counter() - started < 1.0
    assert plain("It costs < 5 € <b>a month</b><br>now") == "It costs < 5 € a month\nnow"
