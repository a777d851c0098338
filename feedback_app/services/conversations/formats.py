"""Reading ticket files: Afterword's CSV, Zendesk's ticket export and Intercom's conversation export.

Each reader turns a file into :class:`~records.TicketRecord` objects and a list of
:class:`~records.Problem` (one per bad row or record, with line or record number and column);
a file that cannot be read at all raises ``CsvFileError`` with what to do.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from feedback_app.services.conversations.records import (
    MAX_SUBJECT,
    FieldProblem,
    MessageRecord,
    Problem,
    TicketRecord,
    body_text,
    check_dates,
    moment,
    one_line,
    resolution_of,
    role_of,
    status_of,
)
from feedback_app.services.customers.csv_import import (
    CsvFileError,
    column_name,
    decode,
    refuse_unknown_or_repeated,
)
from feedback_app.services.customers.records import row_identity

FORMATS = ("csv", "zendesk", "intercom")
CSV_COLUMNS = (
    "ticket_id",
    "customer_id",
    "customer_email",
    "created_at",
    "closed_at",
    "status",
    "resolution",
    "subject",
    "body",
    "author_role",
    "sent_at",
)
CSV_REQUIRED = ("ticket_id", "created_at", "status", "body")

Parsed = tuple[list[TicketRecord], list[Problem], int]


def parse(data: bytes, fmt: str) -> Parsed:
    """Records, problems and how many rows (CSV) or records (JSON) the file held."""
    readers: dict[str, Callable[[str], Parsed]] = {
        "csv": parse_csv,
        "zendesk": parse_zendesk,
        "intercom": parse_intercom,
    }
    if fmt not in readers:
        raise CsvFileError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return readers[fmt](decode(data))


# ---------------------------------------------------------------- CSV


def _header(cells: list[str]) -> list[str]:
    names = [column_name(cell) for cell in cells]
    missing = [n for n in CSV_REQUIRED if n not in names]
    if missing:
        raise CsvFileError(
            f"Line 1 (the header) is missing the required column(s) {', '.join(missing)}. "
            f"Columns are: {', '.join(CSV_COLUMNS)}."
        )
    if "customer_id" not in names and "customer_email" not in names:
        raise CsvFileError(
            "Line 1 (the header) needs a customer_id or a customer_email column to say whose "
            "ticket each row is."
        )
    refuse_unknown_or_repeated(cells, names, CSV_COLUMNS)
    return names


def parse_csv(text: str) -> Parsed:
    """One row per message; rows with the same ticket_id form one ticket (its fields from the first)."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if any(s in first for s in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        names = _header(next(reader))
    except csv.Error as exc:
        raise CsvFileError(f"Line 1 (the header) cannot be read as CSV: {exc}.") from None
    tickets: dict[str, TicketRecord] = {}
    problems: list[Problem] = []
    rows = 0
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvFileError(
                f"Line {line} cannot be read as CSV: {exc}. Check the quotes on that line."
            ) from None
        if any(c.strip() for c in cells):
            rows += 1
            where = _where(line, dict(zip(names, cells, strict=False)))
            if len(cells) > len(names):
                problems.append(
                    Problem(
                        where,
                        None,
                        f"has {len(cells)} cells but the header names {len(names)} "
                        "columns (an unquoted comma inside a value?)",
                    )
                )
            else:
                try:
                    _csv_row(dict(zip(names, cells, strict=False)), where, tickets)
                except FieldProblem as exc:
                    problems.append(Problem(where, exc.column, str(exc)))
        line = reader.line_num + 1
    return list(tickets.values()), problems, rows


def _where(line: int, row: dict[str, str]) -> str:
    """The line and the row's ticket id, else its customer's email or id ("line 4 (ticket_id T-9)"),
    so a problem can be found in a file sorted or filtered since (a line number alone misleads)."""
    found = row_identity(row, ("ticket_id", "customer_email", "customer_id"))
    return f"line {line} ({found[0]} {found[1]})" if found else f"line {line}"


def _csv_row(row: dict[str, str], where: str, tickets: dict[str, TicketRecord]) -> None:
    ticket_id = one_line(row.get("ticket_id"), "ticket_id", required=True, limit=128)
    ref = one_line(row.get("customer_id"), "customer_id", limit=320) or one_line(
        row.get("customer_email"), "customer_email", limit=320
    )
    if not ref:
        raise FieldProblem("customer_id", "is empty, and so is customer_email: say whose ticket this is")
    message = MessageRecord(
        role_of(row.get("author_role")),
        body_text(row.get("body"), "body"),
        moment(row.get("sent_at"), "sent_at"),
    )
    if not message.body:
        raise FieldProblem("body", "is empty (required)")
    created = moment(row.get("created_at"), "created_at", required=True)
    status, resolution = status_of(row.get("status"))
    record = TicketRecord(
        ticket_id,
        ref,
        created,
        status,
        resolution_of(row.get("resolution")) or resolution,
        moment(row.get("closed_at"), "closed_at"),
        one_line(row.get("subject"), "subject", limit=MAX_SUBJECT),
        where=where,
    )
    check_dates(record)
    known = tickets.get(ticket_id)
    if known is None:
        tickets[ticket_id] = known = record
    elif known.customer_ref != ref:
        raise FieldProblem(
            "customer_id",
            f"ticket {ticket_id!r} belongs to {known.customer_ref!r} "
            f"({known.where}); a ticket has one customer",
        )
    known.messages.append(message)


# ---------------------------------------------------------------- JSON exports


class BeyondJsonLimits(ValueError):
    """JSON the reader refuses for Python's own limits, not its syntax: nesting past the recursion
    limit (a ``RecursionError``) or an integer longer than ``sys.get_int_max_str_digits()`` digits
    (a plain ``ValueError``). An export never holds either; a crafted file must not be a 500."""


def _loads(text: str) -> Any:
    """``json.loads``, with Python's limits raised as :class:`BeyondJsonLimits` (syntax errors stay
    ``JSONDecodeError``)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise BeyondJsonLimits("it is nested too deeply (lists or objects inside one another)") from None
    except ValueError:  # an integer with more digits than Python converts
        raise BeyondJsonLimits(
            f"it holds a number with more than {sys.get_int_max_str_digits()} digits"
        ) from None


def _json_records(text: str, list_key: str) -> list[tuple[str, Any]]:
    """``(where, record)`` from a JSON document (a list, or an object holding ``list_key``) or
    newline-delimited JSON (one record a line, as Zendesk's full export writes)."""
    stripped = text.strip()
    try:
        document = _loads(stripped)
    except json.JSONDecodeError as exc:
        if stripped.startswith("{") and "\n" in stripped and exc.lineno > 1:
            return _ndjson(stripped)
        raise CsvFileError(
            f"The file is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except BeyondJsonLimits as exc:
        raise CsvFileError(f"The file cannot be read as JSON: {exc}.") from None
    if isinstance(document, dict) and isinstance(document.get(list_key), list):
        items = document[list_key]
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        items = [document]
    else:
        raise CsvFileError(f'The JSON holds no {list_key}: expected a list or an object with "{list_key}".')
    return [(f"record {i}", item) for i, item in enumerate(items, start=1)]


def _ndjson(text: str) -> list[tuple[str, Any]]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((f"line {number}", _loads(line)))
        except json.JSONDecodeError as exc:
            out.append(
                (f"line {number}", FieldProblem("(json)", f"is not JSON ({exc.msg} at column {exc.colno})"))
            )
        except BeyondJsonLimits as exc:
            out.append((f"line {number}", FieldProblem("(json)", f"cannot be read: {exc}")))
    return out


#: A tag: from a "<" to the next ">", with no "<" between. Allowing one (``<[^>]+>``) made a body of
#: many "<" and no ">" quadratic (each "<" scanned to the end: 40,000 of them took 5 s, a 10 MB
#: export days), and took the words after a stray "<" (``a < b <i>``) away with the next tag.
_TAGS = re.compile(r"<[^<>]+>")
_BREAKS = re.compile(r"(?i)<br\s*/?>|</p>|</div>|</li>")


def plain(value: Any) -> str:
    """Text from an HTML message body (Intercom sends HTML)."""
    if not isinstance(value, str):
        return ""
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", value))).strip()


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_JSON_TYPES = {bool: "true/false", int: "a number", float: "a number", str: "text", dict: "an object"}


def _list(value: Any, column: str) -> list[Any]:
    """A list an export holds; absent is empty, any other shape is a problem of this record alone
    (iterating it would stop the whole import, or read text as one tag per letter)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldProblem(column, f"is {_JSON_TYPES.get(type(value), 'not a list')}, not a list")
    return value


def _is_customer(author: dict[str, Any]) -> bool:
    """Whether an Intercom author is the customer (``user``, ``lead``, ``contact``); a type that
    is not text is not."""
    kind = author.get("type")
    return isinstance(kind, str) and kind in _INTERCOM_CUSTOMER


def _parse_json(
    text: str, list_key: str, read: Callable[[dict[str, Any], dict[str, Any]], TicketRecord], label: str
) -> Parsed:
    document_users: dict[str, Any] = {}
    try:
        whole = _loads(text)
        if isinstance(whole, dict):
            users = whole.get("users")
            listed = users if isinstance(users, list) else []
            document_users = {str(u.get("id")): u for u in listed if isinstance(u, dict)}
    except (json.JSONDecodeError, BeyondJsonLimits):
        pass  # newline-delimited, or not JSON: _json_records says which
    records, problems = [], []
    items = _json_records(text, list_key)
    for where, item in items:
        if isinstance(item, FieldProblem):
            problems.append(Problem(where, item.column, str(item)))
            continue
        if not isinstance(item, dict):
            problems.append(Problem(where, None, f"is not a {label} object"))
            continue
        if item.get("id") is not None:
            where = f"{where} ({label} {str(item.get('id'))[:40]})"
        try:
            record = read(item, document_users)
            record.where = where
            check_dates(record)
        except FieldProblem as exc:
            problems.append(Problem(where, exc.column, str(exc)))
        else:
            records.append(record)
    return records, problems, len(items)


def _zendesk_ticket(ticket: dict[str, Any], users: dict[str, Any]) -> TicketRecord:
    ticket_id = one_line(ticket.get("id"), "id", required=True, limit=128)
    requester_id = str(ticket.get("requester_id")) if ticket.get("requester_id") is not None else None
    requester = _obj(ticket.get("requester")) or _obj(users.get(requester_id or ""))
    from_address = _obj(_obj(_obj(ticket.get("via")).get("source")).get("from")).get("address")
    ref = one_line(
        requester.get("external_id") or requester.get("email") or from_address, "requester_id", limit=320
    )
    if not ref:
        raise FieldProblem(
            "requester_id",
            "the requester has no external_id or email (export with users "
            "side-loaded, or add them to the requester)",
        )
    status, resolution = status_of(ticket.get("status"))
    tags = {str(t).lower() for t in _list(ticket.get("tags"), "tags")}
    if status == "closed" and (
        _obj(ticket.get("satisfaction_rating")).get("score") == "bad" or "unresolved" in tags
    ):
        resolution = "unresolved"
    closed = None
    if status == "closed":
        closed = moment(
            _obj(ticket.get("metric_set")).get("solved_at")
            or ticket.get("solved_at")
            or ticket.get("updated_at"),
            "metric_set.solved_at",
        )
    record = TicketRecord(
        ticket_id,
        ref,
        moment(ticket.get("created_at"), "created_at", required=True),
        status,
        resolution,
        closed,
        one_line(ticket.get("subject") or ticket.get("raw_subject"), "subject", limit=MAX_SUBJECT),
    )
    comments = ticket.get("comments")
    if isinstance(comments, list) and comments:
        for index, comment in enumerate(comments):
            comment = _obj(comment)
            author = str(comment.get("author_id")) if comment.get("author_id") is not None else None
            user_role = _obj(users.get(author or "")).get("role")
            role = "customer" if author == requester_id or user_role == "end-user" else "agent"
            body = body_text(comment.get("plain_body") or comment.get("body"), f"comments[{index}].body")
            if body:
                record.messages.append(
                    MessageRecord(
                        role, body, moment(comment.get("created_at"), f"comments[{index}].created_at")
                    )
                )
    elif ticket.get("description"):
        record.messages.append(
            MessageRecord("customer", body_text(ticket.get("description"), "description"), record.created_at)
        )
    if not record.messages:
        raise FieldProblem("comments", "the ticket has no comments or description to read")
    return record


def parse_zendesk(text: str) -> Parsed:
    """Zendesk's ticket export: the JSON export (one ticket a line) or the API's ``{"tickets": [...],
    "users": [...]}`` with comments; the requester's external_id or email names the customer."""
    return _parse_json(text, "tickets", _zendesk_ticket, "ticket")


_INTERCOM_CUSTOMER = {"user", "lead", "contact"}


def _intercom_conversation(conversation: dict[str, Any], _users: dict[str, Any]) -> TicketRecord:
    ticket_id = one_line(conversation.get("id"), "id", required=True, limit=128)
    source = _obj(conversation.get("source"))
    contacts = _obj(conversation.get("contacts")).get("contacts") or []
    contact = _obj(contacts[0]) if isinstance(contacts, list) and contacts else {}
    author = _obj(source.get("author"))
    ref = one_line(
        contact.get("external_id")
        or contact.get("email")
        or (author.get("email") if _is_customer(author) else None),
        "contacts",
        limit=320,
    )
    if not ref:
        raise FieldProblem("contacts", "the conversation's contact has no external_id or email")
    state = one_line(conversation.get("state"), "state", required=True)
    status, resolution = status_of(state, "state")
    rating = _obj(conversation.get("conversation_rating")).get("rating")
    tags = {
        str(_obj(t).get("name", "")).lower()
        for t in _list(_obj(conversation.get("tags")).get("tags"), "tags")
    }
    if status == "closed" and ((isinstance(rating, int) and rating <= 2) or "unresolved" in tags):
        resolution = "unresolved"
    closed = None
    if status == "closed":
        closed = moment(
            _obj(conversation.get("statistics")).get("last_close_at") or conversation.get("updated_at"),
            "statistics.last_close_at",
        )
    created = moment(conversation.get("created_at"), "created_at", required=True)
    record = TicketRecord(
        ticket_id,
        ref,
        created,
        status,
        resolution,
        closed,
        one_line(
            plain(source.get("subject")) or conversation.get("title"), "source.subject", limit=MAX_SUBJECT
        ),
    )
    parts: list[tuple[dict[str, Any], str, datetime | None]] = [(source, "source", created)]
    listed_parts = _obj(conversation.get("conversation_parts")).get("conversation_parts")
    for index, part in enumerate(_list(listed_parts, "conversation_parts")):
        parts.append((_obj(part), f"conversation_parts[{index}]", None))
    for part, column, when in parts:
        body = body_text(plain(part.get("body")), f"{column}.body")
        if not body:
            continue  # assignments, closes and other events carry no words
        role = "customer" if _is_customer(_obj(part.get("author"))) else "agent"
        record.messages.append(
            MessageRecord(role, body, when or moment(part.get("created_at"), f"{column}.created_at"))
        )
    if not record.messages:
        raise FieldProblem("source.body", "the conversation has no message to read")
    return record


def parse_intercom(text: str) -> Parsed:
    """Intercom's conversation export: ``{"conversations": [...]}`` (or a list, or one a line), each
    with its ``source`` message and ``conversation_parts``; the contact's external_id or email
    names the customer; ``user``/``lead`` authors are the customer, ``admin``/``bot`` agents."""
    return _parse_json(text, "conversations", _intercom_conversation, "conversation")
