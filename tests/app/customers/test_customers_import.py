"""CSV import of departed customers: the CLI, the dashboard upload page and the customers list."""

from __future__ import annotations

import codecs
import io
import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from feedback_app.models import AuditEvent, DepartedCustomer
from feedback_app.services.customers.records import FIELDS
from tests.app.customers.import_helpers import choose_file, confirm_columns, upload
from tests.helpers import csrf_token

HEADER = (
    "external_id,email,name,company,plan,segment,monthly_revenue,lifetime_value,tenure_months,"
    "left_at,churn_type,contact_consent"
)
GOOD = [
    "c-1,ann@example.com,Ann Lee,Acme,team,smb,79.00,948.50,12,2026-10-01,voluntary,yes",
    "c-2,bo@example.com,Bo Chen,Globex,business,mid_market,249,2988,12,2026-10-02,involuntary,no",
]


def csv_file(tmp_path, lines, name="customers.csv", encoding="utf-8", bom=False):
    path = tmp_path / name
    data = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))
    return path


def count(db) -> int:
    return db.session.scalar(select(func.count(DepartedCustomer.id)))


def run_import(runner, path, *extra):
    return runner.invoke(args=["customers", "import", str(path), *extra])


def test_good_rows_are_stored_with_money_in_cents(runner, db, tmp_path):
    result = run_import(runner, csv_file(tmp_path, [HEADER, *GOOD]))
    assert result.exit_code == 0, result.output
    assert "2 rows: 2 created, 0 updated, 0 unchanged, 0 rejected." in result.output
    ann = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "c-1"))
    assert ann.source == "csv"
    assert (ann.email, ann.name, ann.plan) == ("ann@example.com", "Ann Lee", "team")
    assert (ann.monthly_revenue_cents, ann.lifetime_value_cents, ann.tenure_months) == (7900, 94850, 12)
    assert ann.left_at == date(2026, 10, 1) and ann.churn_type == "voluntary" and ann.contact_consent is True
    bo = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "c-2"))
    assert bo.contact_consent is False and bo.churn_type == "involuntary"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customers.import"))
    assert event.details["created"] == 2 and event.details["filename"] == "customers.csv"


@pytest.mark.parametrize(
    "row, column, reason",
    [
        ("c-9,not-an-email,,,,,,,,2026-10-01,,", "email", "not a valid email address"),
        ("c-9,x@example.com,,,,,-10.00,,,2026-10-01,,", "monthly_revenue", "negative"),
        ("c-9,x@example.com,,,,,,-1,,2026-10-01,,", "lifetime_value", "negative"),
        ("c-9,x@example.com,,,,,12.345,,,2026-10-01,,", "monthly_revenue", "more than 2 decimal places"),
        ("c-9,x@example.com,,,,,1.234,50,,,2026-10-01,,", None, "cells but the header names"),
        ("c-9,x@example.com,,,,,abc,,,2026-10-01,,", "monthly_revenue", "not a number"),
        ("c-9,x@example.com,,,,,,,-3,2026-10-01,,", "tenure_months", "negative"),
        ("c-9,x@example.com,,,,,,,twelve,2026-10-01,,", "tenure_months", "not a whole number"),
        ("c-9,x@example.com,,,,,,,,01/10/2026,,", "left_at", "not a date"),
        ("c-9,x@example.com,,,,,,,,2026-02-30,,", "left_at", "not a date"),
        ("c-9,x@example.com,,,,,,,,2026-10-01,walked off,", "churn_type", "not a known churn type"),
        ("c-9,x@example.com,,,,,,,,2026-10-01,,maybe", "contact_consent", "not yes or no"),
        (",x@example.com,,,,,,,,2026-10-01,,", "external_id", "required"),
        ("c-9,,,,,,,,,2026-10-01,,", "email", "required"),
        ("c-9,x@example.com,,,,,,,,,,", "left_at", "required"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_line_column_and_reason_and_skipped(
    runner, db, tmp_path, row, column, reason
):
    result = run_import(runner, csv_file(tmp_path, [HEADER, GOOD[0], row, GOOD[1]]))
    assert result.exit_code == 0, result.output
    row_id = "x@example.com" if row.startswith(",") else "c-9"  # its external id, else its email
    where = f"line 3 ({'email' if row.startswith(',') else 'external_id'} {row_id})" + (
        f", column {column}" if column else ""
    )
    assert any(where in line and reason in line for line in result.output.splitlines()), result.output
    assert "2 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert count(db) == 2
    assert db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "c-9")) is None


def test_every_problem_in_a_row_is_listed_at_once(runner, tmp_path):
    result = run_import(runner, csv_file(tmp_path, [HEADER, "c-9,nope,,,,,-1,,x,someday,sometimes,perhaps"]))
    for column in ("email", "monthly_revenue", "tenure_months", "left_at", "churn_type", "contact_consent"):
        assert f"line 2 (external_id c-9), column {column}:" in result.output


def test_duplicate_id_in_the_file_keeps_the_first_and_rejects_the_later_row(runner, db, tmp_path):
    duplicate = "c-1,other@example.com,Other,,,,,,,2026-10-05,,"
    result = run_import(runner, csv_file(tmp_path, [HEADER, *GOOD, duplicate]))
    assert (
        "line 4 (external_id c-1), column external_id: duplicate id 'c-1' in the file (first on line 2)"
        in result.output
    )
    assert "1 rejected" in result.output
    ann = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "c-1"))
    assert ann.email == "ann@example.com"


def test_line_numbers_count_physical_lines_of_quoted_multiline_values(runner, tmp_path):
    lines = [HEADER, 'c-1,ann@example.com,"Ann\nLee",Acme,,,,,,2026-10-01,,', "c-2,bad,,,,,,,,2026-10-01,,"]
    result = run_import(runner, csv_file(tmp_path, lines))
    assert "line 4 (external_id c-2), column email" in result.output


def test_reimporting_the_same_file_changes_nothing(runner, db, tmp_path):
    path = csv_file(tmp_path, [HEADER, *GOOD])
    run_import(runner, path)
    before = {c.external_id: c.updated_at for c in db.session.scalars(select(DepartedCustomer))}
    result = run_import(runner, path)
    assert "0 created, 0 updated, 2 unchanged, 0 rejected" in result.output
    db.session.expire_all()
    after = {c.external_id: c.updated_at for c in db.session.scalars(select(DepartedCustomer))}
    assert after == before and count(db) == 2


def test_changed_rows_are_updated_and_missing_columns_keep_stored_values(runner, db, tmp_path):
    run_import(runner, csv_file(tmp_path, [HEADER, *GOOD]))
    narrow = csv_file(
        tmp_path,
        [
            "external_id,email,left_at,monthly_revenue",
            "c-1,ann@example.com,2026-10-01,99.00",
            "c-2,bo@example.com,2026-10-02,249",
        ],
        name="second.csv",
    )
    result = run_import(runner, narrow)
    assert "0 created, 1 updated, 1 unchanged, 0 rejected" in result.output
    db.session.expire_all()
    ann = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "c-1"))
    assert ann.monthly_revenue_cents == 9900
    assert ann.plan == "team" and ann.name == "Ann Lee"  # columns absent from the file are kept


def test_same_external_id_from_another_source_is_another_customer(runner, db, tmp_path):
    path = csv_file(tmp_path, [HEADER, *GOOD])
    run_import(runner, path)
    result = run_import(runner, path, "--source", "crm")
    assert "2 created" in result.output
    assert count(db) == 4


def test_returned_at_marks_a_customer_won_back(runner, db, tmp_path):
    run_import(runner, csv_file(tmp_path, [HEADER, *GOOD]))
    path = csv_file(
        tmp_path,
        [
            "external_id,email,left_at,returned_at",
            "c-1,ann@example.com,2026-10-01,2026-11-15",
            "c-2,bo@example.com,2026-10-02,2026-09-01",
        ],
        name="returns.csv",
    )
    result = run_import(runner, path)
    assert (
        "line 3 (external_id c-2), column returned_at: 2026-09-01 is before left_at 2026-10-02"
        in result.output
    )
    db.session.expire_all()
    ann = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "c-1"))
    assert ann.returned_at == date(2026, 11, 15)


def test_dry_run_reports_but_writes_nothing(runner, db, tmp_path):
    result = run_import(
        runner, csv_file(tmp_path, [HEADER, *GOOD, "c-3,bad,,,,,,,,2026-10-01,,"]), "--dry-run"
    )
    assert result.exit_code == 0
    assert (
        "Dry run (nothing saved) of 3 rows: would be 2 created, 0 updated, 0 unchanged, 1 rejected."
        in result.output
    )
    assert count(db) == 0
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "customers.import"))
        == 0
    )


def test_utf8_with_bom_and_non_ascii_names_import(runner, db, tmp_path):
    path = csv_file(
        tmp_path, [HEADER, "c-1,zoe@example.com,Zoë Müller,Café 東京,,,,,,2026-10-01,,"], bom=True
    )
    result = run_import(runner, path)
    assert "1 created" in result.output, result.output
    assert db.session.scalar(select(DepartedCustomer.name)) == "Zoë Müller"


def test_semicolon_separated_export_is_read(runner, db, tmp_path):
    path = csv_file(tmp_path, ["external_id;email;left_at", "c-1;ann@example.com;2026-10-01"])
    assert "1 created" in run_import(runner, path).output


def test_a_european_excel_export_with_decimal_commas_and_dotted_dates_is_read(runner, db, tmp_path):
    """German Excel saves "CSV" in Windows-1252, separated by semicolons, with amounts as 79,00 or
    1.234,50 and dates as 01.10.2026: every row was refused. Such an amount and such a date mean one
    thing; an amount that could be a thousands separator (1,234) is still refused, and a slashed
    date (01/10/2026: day or month first?) too."""
    path = tmp_path / "kuendigungen.csv"
    lines = [
        "Customer ID;Email;Name;MRR;LTV;Cancellation Date",
        "k-1;joerg@example.de;Jörg Weiß;79,00;1.234,50;01.10.2026",
        "k-2;ute@example.de;Ute Groß;49,9;0;3.9.2026",
        "k-3;max@example.de;Max Bauer;1,234;;01.10.2026",
        "k-4;eva@example.de;Eva Kühn;12,50;;01/10/2026",
        "k-5;udo@example.de;Udo Ernst;12,50;;31.02.2026",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    result = run_import(runner, path)
    assert "5 rows: 2 created, 0 updated, 0 unchanged, 3 rejected." in result.output, result.output
    stored = {
        c.external_id: (c.name, c.monthly_revenue_cents, c.lifetime_value_cents, c.left_at)
        for c in db.session.scalars(select(DepartedCustomer))
    }
    assert stored == {
        "k-1": ("Jörg Weiß", 7900, 123450, date(2026, 10, 1)),
        "k-2": ("Ute Groß", 4990, 0, date(2026, 9, 3)),
    }
    assert "line 4 (external_id k-3), column monthly_revenue (file column 'MRR'): '1,234'" in result.output
    assert "line 5 (external_id k-4), column left_at (file column 'Cancellation Date'): '01/10/2026'" in (
        result.output
    )
    assert "line 6 (external_id k-5), column left_at (file column 'Cancellation Date'): '31.02.2026'" in (
        result.output
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_with_its_byte_order_mark_is_read(runner, db, tmp_path, encoding):
    """Excel's "Unicode Text" and some CRM exports are UTF-16 with a byte-order mark (tab-separated):
    the mark says how to read it, so it is read, with a notice, instead of refused."""
    path = tmp_path / "unicode.csv"
    text = "external_id\temail\tname\tleft_at\r\nc-1\tzoe@example.com\tZoë Kowalski 東京\t2026-10-01\r\n"
    data = text.encode(encoding)
    path.write_bytes(data if encoding == "utf-16" else codecs.BOM_UTF16_BE + data)
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output and "read as UTF-16" in result.output
    assert db.session.scalar(select(DepartedCustomer.name)) == "Zoë Kowalski 東京"


@pytest.mark.parametrize(
    "make_file, message",
    [
        (
            # 0x81 is neither UTF-8 nor Windows-1252 (a Windows-1252 file is read so: see below)
            lambda p: p.write_bytes(HEADER.encode() + b"\nc-1,a@example.com,Ren\x81,,,,,,,2026-10-01,,\n"),
            "not UTF-8 encoded (line 2: byte 0x81",
        ),
        (
            # mostly UTF-8 with one Windows-1252 byte: read as Windows-1252, Zoë would become ZoÃ«
            lambda p: p.write_bytes(
                f"{HEADER}\nc-1,a@example.com,Zoë,,,,,,,2026-10-01,,\n".encode()
                + b"c-2,b@example.com,Ren\xe9,,,,,,,2026-10-01,,\n"
            ),
            "not UTF-8 encoded (line 3: byte 0xe9",
        ),
        # was "binary data (NUL bytes)" (found by tests/app/test_cli_boundary_fuzz.py)
        (
            lambda p: p.write_bytes((HEADER + "\nc-1,a@é.example\n").encode("utf-16-be")),
            "UTF-16 encoded (no byte",
        ),
        (lambda p: p.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200)), "Excel workbook"),
        (lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(100)), "binary data"),
        (lambda p: p.write_bytes(b""), "empty"),
        (
            lambda p: p.write_text("\nexternal_id,email,left_at\nc-1,a@example.com,2026-10-01\n"),
            "header) is empty",
        ),
        (lambda p: p.write_text("c-1,ann@example.com,2026-10-01\n"), "looks like data, not a header"),
        (
            lambda p: p.write_text("external_id,name\nc-1,Ann\n"),
            "missing the required column(s) email, left_at",
        ),
        (lambda p: p.write_text("external_id,email,left_at,email\n"), "email more than once"),
        (
            lambda p: p.write_text('external_id,email,left_at\nc-1,"ann@example.com,2026-10-01\n'),
            "cannot be read as CSV",
        ),
    ],
)
def test_unreadable_files_get_one_clear_error_and_write_nothing(runner, db, tmp_path, make_file, message):
    path = tmp_path / "upload.csv"
    make_file(path)
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.count("Error:") == 1
    assert count(db) == 0


def test_a_broken_quote_late_in_the_file_rolls_back_the_rows_before_it(runner, db, tmp_path, monkeypatch):
    from feedback_app.services.customers import csv_import

    monkeypatch.setattr(csv_import, "CHUNK_ROWS", 2)  # earlier rows are flushed before the bad line
    rows = [f"c-{i},p{i}@example.com,2026-10-01" for i in range(5)]
    path = csv_file(tmp_path, ["external_id,email,left_at", *rows, 'c-9,"p9@example.com,2026-10-01'])
    result = run_import(runner, path)
    assert "Line 7 cannot be read as CSV" in result.output
    assert count(db) == 0


def test_a_stray_quote_in_one_row_skips_that_row_and_the_rest_are_imported(runner, db, tmp_path):
    """A quote inside an unquoted value (Excel writes them for a company named 'Acme "Tools" Ltd'
    typed by hand, or a tool that does not escape them) refused the whole file of 100,000 rows for
    one line. The reader goes on at the next line, so that row is reported and skipped; only a
    quote left open to the end of the file (which swallows every row after it) still refuses it."""
    rows = [f"c-{i},p{i}@example.com,Acme,2026-10-01" for i in range(4)]
    bad = 'c-9,p9@example.com,"Acme" Tools,2026-10-01'
    path = csv_file(tmp_path, ["external_id,email,company,left_at", rows[0], bad, *rows[1:]])
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "5 rows: 4 created, 0 updated, 0 unchanged, 1 rejected." in result.output
    assert "line 3: cannot be read as CSV: ',' expected after '\"'" in result.output
    assert count(db) == 4
    # a quote left open runs over the next lines until a later quote: those rows would be lost unseen
    swallowing = ["external_id,email,company,left_at", 'c-20,p20@example.com,"Acme,2026-10-01', *rows, bad]
    result = run_import(runner, csv_file(tmp_path, swallowing, name="open-quote.csv"))
    assert result.exit_code == 1 and "Line 2 cannot be read as CSV" in result.output
    assert count(db) == 4


def test_bad_source_name_is_refused(runner, tmp_path):
    result = run_import(runner, csv_file(tmp_path, [HEADER, *GOOD]), "--source", "My CRM!")
    assert result.exit_code == 1 and "not a valid source name" in result.output


def test_erased_customers_are_not_brought_back_by_a_reimport(runner, db, make, tmp_path):
    from feedback_app.models import utcnow

    make.customer(source="csv", external_id="c-1", email=None, name=None, erased_at=utcnow())
    result = run_import(runner, csv_file(tmp_path, [HEADER, GOOD[0]]))
    assert "1 unchanged" in result.output
    db.session.expire_all()
    assert (
        db.session.scalar(select(DepartedCustomer.email).where(DepartedCustomer.external_id == "c-1")) is None
    )


# --- dashboard -----------------------------------------------------------------------------------


def test_upload_page_imports_good_rows_and_lists_bad_ones(client, login, db):
    login("cx")
    body = "\n".join([HEADER, *GOOD, "c-3,nope,,,,,,,,2026-10-01,,"]).encode()
    response = upload(client, body)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 rows: 2 created, 0 updated, 0 unchanged, 1 rejected." in html
    assert (
        '<td data-label="Line">4</td><td data-label="External id or email">c-3</td><td data-label="Column">email</td>'
        in html
    )
    assert count(db) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customers.import"))
    assert event.actor.startswith("cx")


def test_upload_page_dry_run_saves_nothing(client, login, db):
    login("admin")
    html = upload(client, "\n".join([HEADER, *GOOD]).encode(), dry_run="y").get_data(as_text=True)
    assert "Dry run: nothing was saved" in html and "of 2 rows: would be 2 created" in html
    assert count(db) == 0


def test_a_dry_run_says_how_to_save_and_does_not_offer_customers_it_did_not_save(client, login, db):
    """After a dry run the page linked to "the customers from source csv" (none were saved) and kept
    Dry run ticked, so choosing the file again and pressing Import checked it a second time."""
    login("cx")
    body = "\n".join([HEADER, *GOOD, "c-3,nope,,,,,,,,2026-10-01,,"]).encode()
    dry = upload(client, body, dry_run="y")
    html = dry.get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "To save it, press Import below (Dry run is now unticked):" in text
    assert "2 rows will be saved, and the 1 row with a problem skipped." in text
    assert "Rows with problems (1)" in text and "Rows skipped" not in text
    assert "See the customers from source" not in text
    checkbox = re.search(r'<input[^>]*name="dry_run"[^>]*>', html).group(0)
    assert "checked" not in checkbox
    assert count(db) == 0
    # pressing Import on the dry run's page imports the file kept on the server: no choosing it again
    saved = " ".join(re.sub(r"<[^>]+>", "", confirm_columns(client, dry).get_data(as_text=True)).split())
    assert "See the customers from source csv" in saved and "Rows skipped (1)" in saved
    assert count(db) == 2


def test_upload_page_refuses_a_non_csv_file_with_one_message(client, login, db):
    login("cx")
    response = upload(client, b"PK\x03\x04" + bytes(64), filename="customers.csv")
    assert response.status_code == 422
    assert (
        "customers.csv: This is not a CSV file: it looks like a ZIP archive or an Excel workbook"
        in response.get_data(as_text=True)
    )
    response = upload(client, b"whatever", filename="customers.xlsx")
    assert response.status_code == 422
    assert "Only .csv files can be imported" in response.get_data(as_text=True)
    assert count(db) == 0


def test_upload_page_refuses_a_file_with_a_header_and_no_rows(client, login, db):
    """A header-only file (an export with an empty filter) went through the mapping step with "–"
    for every column's values and ended in "Import finished: 0 rows", as if it had worked."""
    login("cx")
    for data in (b"external_id,email,left_at\n", b"external_id,email,left_at\r\n\r\n,,\r\n"):
        response = choose_file(client, data, filename="export.csv")
        assert response.status_code == 422
        assert (
            "export.csv: The file has only its header (line 1) and no rows below it: put one departed "
            "customer on each line after the header and import it again."
        ) in response.get_data(as_text=True)
    one_row = choose_file(client, b"external_id,email,left_at\nc1,a@example.com,2026-11-01\n")
    assert one_row.status_code == 200 and "Match the columns of customers.csv" in one_row.get_data(
        as_text=True
    )
    assert count(db) == 0


def test_upload_page_requires_a_file_and_csrf(client, login):
    login("cx")
    page = client.get("/dashboard/customers/import")
    missing = client.post(
        "/dashboard/customers/import",
        data={"csrf_token": csrf_token(page), "source": "csv"},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422 and "Choose a CSV file to import." in missing.get_data(as_text=True)
    no_csrf = client.post(
        "/dashboard/customers/import",
        data={"source": "csv", "file": (io.BytesIO(b"x"), "a.csv")},
        content_type="multipart/form-data",
    )
    assert no_csrf.status_code == 400


def test_product_role_and_visitors_cannot_import(client, login):
    assert client.get("/dashboard/customers/import").status_code == 302
    login("product")
    assert client.get("/dashboard/customers/import").status_code == 403
    assert client.get("/dashboard/customers").status_code == 403


def test_customers_list_filters_and_paginates(client, login, make):
    for i in range(55):
        make.customer(
            source="csv",
            plan="team" if i % 2 else "business",
            churn_type="voluntary",
            left_at=date(2026, 1, 1 + i % 28),
        )
    make.customer(
        source="stripe",
        email="won@example.com",
        name="Wanda Back",
        returned_at=date(2026, 11, 1),
        churn_type="involuntary",
    )
    login("cx")
    first = client.get("/dashboard/customers").get_data(as_text=True)
    assert "56 customers; page 1 of 2." in first and 'rel="next"' in first
    second = client.get("/dashboard/customers?page=2").get_data(as_text=True)
    assert "page 2 of 2" in second and 'rel="prev"' in second
    # the dashboard's shared pagination: its arrows, the filters kept on each page's link
    assert 'rel="next">Next &rarr;</a>' in first and 'rel="prev">&larr; Previous</a>' in second
    sliced = client.get("/dashboard/customers?churn_type=voluntary").get_data(as_text=True)
    (link,) = re.findall(r'href="([^"]*)" rel="next"', sliced)
    assert parse_qs(urlsplit(unescape(link)).query) == {"churn_type": ["voluntary"], "page": ["2"]}
    returned = client.get("/dashboard/customers?status=returned").get_data(as_text=True)
    assert (
        "1 customer; page 1 of 1." in returned
        and "Wanda Back" in returned
        and "returned 2026-11-01" in returned
    )
    assert "27 customers" in client.get("/dashboard/customers?plan=team&source=csv").get_data(as_text=True)
    assert "1 customer;" in client.get("/dashboard/customers?q=WON@").get_data(as_text=True)
    assert "No customers match" in client.get(
        "/dashboard/customers?churn_type=involuntary&source=csv"
    ).get_data(as_text=True)


def test_progress_is_reported_for_every_row(app, db, monkeypatch):
    from feedback_app.services.customers import csv_import

    monkeypatch.setattr(csv_import, "CHUNK_ROWS", 3)
    rows = [f"c-{i},p{i}@example.com,2026-10-01" for i in range(10)] + ["c-x,bad,2026-10-01", ""]
    seen: list[int] = []
    data = "\n".join(["external_id,email,left_at", *rows]).encode()
    report = csv_import.import_csv(data, progress=seen.append)
    assert sum(seen) == report.rows == 11 and len(seen) > 1
    assert (report.created, report.rejected) == (10, 1)


def test_the_upload_page_and_the_cli_help_name_every_column_the_import_reads(client, login, runner):
    """Acceptance walk: neither named the `language` column, which picks the survey's language."""
    login("cx")
    page = client.get("/dashboard/customers/import").get_data(as_text=True)
    columns = page.split("<h2>Columns</h2>", 1)[1]
    cells = " ".join(re.findall(r"<code>([^<]+)</code>", columns))  # each as typed in the header
    help_text = " ".join(runner.invoke(args=["customers", "import", "--help"]).output.split())
    for field in FIELDS:
        assert field in cells, field
        assert field in help_text, field


def test_the_customers_group_help_names_every_command_it_has(runner):
    """`flask customers --help` said "import who left" only, though the group also exports and erases."""
    out = runner.invoke(args=["customers", "--help"]).output
    summary = out.split("Options:")[0]
    assert "import who left" in summary and "export or erase" in summary


def test_one_row_is_one_row(runner, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("external_id,email,left_at\nc-1,ann@example.com,2026-10-01\n", encoding="utf-8")
    out = runner.invoke(args=["customers", "import", str(path)]).output
    assert "1 row: 1 created, 0 updated, 0 unchanged, 0 rejected." in out and "1 rows" not in out


def test_a_departure_more_than_a_year_ahead_is_refused_and_a_scheduled_one_is_kept(runner, db, tmp_path):
    """2031 for 2021 is a typo; a cancellation at the end of a paid period is weeks ahead."""
    soon = (date.today() + timedelta(days=30)).isoformat()
    lines = [HEADER, f"c-1,ann@example.com,,,,,,,,{soon},,", "c-2,bo@example.com,,,,,,,,2031-01-01,,"]
    result = run_import(runner, csv_file(tmp_path, lines))
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert re.search(
        r"line 3 \(external_id c-2\), column left_at: 2031-01-01 is more than 365 days from today",
        result.output,
    )
    assert count(db) == 1


def test_a_phone_column_is_kept_as_written_and_a_word_is_refused(runner, db, tmp_path):
    lines = [
        "external_id,email,phone,left_at",
        "c-1,ann@example.com,+1 (555)  201-3344,2026-10-01",
        "c-2,bo@example.com,call the office,2026-10-01",
        "c-3,cy@example.com,,2026-10-01",
    ]
    result = run_import(runner, csv_file(tmp_path, lines))
    assert "2 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert "line 3 (external_id c-2), column phone: 'call the office' is not a phone number" in result.output
    phones = dict(db.session.execute(select(DepartedCustomer.external_id, DepartedCustomer.phone)).all())
    assert phones == {"c-1": "+1 (555) 201-3344", "c-3": None}


def test_an_empty_search_says_how_to_clear_it_and_an_empty_list_how_to_fill_it(client, login, make):
    login("cx")
    empty = client.get("/dashboard/customers").get_data(as_text=True)
    assert "No departed customers yet" in empty and 'href="/dashboard/customers/import"' in empty
    make.customer(name="Ann Lee")
    html = client.get("/dashboard/customers?q=nobody-like-this&plan=team").get_data(as_text=True)
    assert "No customers match" in html
    assert re.search(r'<a href="/dashboard/customers">clear the search and filters</a>', html), html


BAD_ROWS = [
    "c-7,nope,,,,,,,,2026-10-01,,",  # an external id: that is what names the row
    ",dee@example.com,,,,,,,,2026-10-01,,",  # no external id: its email does
    ",,,,,,,,,2026-10-01,,",  # neither: the line number is all there is
]


def test_a_rejected_row_is_named_by_its_external_id_or_email_on_the_command_line(runner, tmp_path):
    """A line number alone points at the wrong row once the file was sorted in a spreadsheet."""
    result = run_import(runner, csv_file(tmp_path, [HEADER, *GOOD, *BAD_ROWS]))
    lines = result.output.splitlines()
    assert any(line.startswith("customers.csv: line 4 (external_id c-7), column email: ") for line in lines)
    assert any("line 5 (email dee@example.com), column external_id: " in line for line in lines)
    assert any("line 6, column external_id: " in line for line in lines), result.output


def test_the_import_page_lists_each_problem_with_the_rows_external_id_or_email(client, login, db):
    login("cx")
    html = upload(client, "\n".join([HEADER, *GOOD, *BAD_ROWS]).encode()).get_data(as_text=True)
    assert '<th scope="col">Line</th><th scope="col">External id or email</th>' in html
    assert (
        '<tr><td data-label="Line">4</td><td data-label="External id or email">c-7</td><td data-label="Column">email</td>'
        in html
    )
    assert (
        '<tr><td data-label="Line">5</td><td data-label="External id or email">dee@example.com</td><td data-label="Column">external_id</td>'
        in html
    )
    assert (
        '<tr><td data-label="Line">6</td><td data-label="External id or email">–</td><td data-label="Column">external_id</td>'
        in html
    )


def test_a_revenue_the_import_left_empty_reads_not_given_not_zero(client, login, db):
    """A file without lifetime_value showed "$0" for every customer, as if they had paid nothing."""
    login("cx")
    upload(
        client,
        b"external_id,email,name,monthly_revenue,left_at\nn-1,ann@example.com,Ann Lee,79.00,2026-10-01\n",
    )
    html = client.get("/dashboard/customers").get_data(as_text=True)
    row = next(r for r in html.split("<tr>") if "Ann Lee" in r)
    assert re.search(r'data-label="Monthly revenue"[^>]*>\$79<', row)
    assert re.search(r'data-label="Lifetime value"[^>]*>not given<', row)
    customer = db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == "n-1"))
    case = client.get(f"/dashboard/cpr/{customer.id}").get_data(as_text=True)
    assert "<dt>Lifetime value</dt><dd>not given</dd>" in case and "<dd>$79</dd>" in case


def test_the_list_says_how_far_each_customer_got_with_the_survey(client, login, make):
    """The Status column was empty for every customer who neither came back nor opted out: whether
    someone was invited, opened the survey or answered was nowhere on the list."""
    sent = datetime(2026, 10, 2, tzinfo=UTC)
    survey = make.survey(key="exit")
    make.customer(name="Never Invited")
    make.invitation(customer=make.customer(name="Only Invited"), survey=survey, sent_at=sent)
    make.invitation(customer=make.customer(name="Just Opened"), survey=survey, sent_at=sent, opened_at=sent)
    answered = make.customer(name="Has Answered", returned_at=date(2026, 11, 1))
    make.invitation(
        customer=answered, survey=make.survey(key="older"), sent_at=sent
    )  # an older, unanswered one
    make.response(make.invitation(customer=answered, survey=survey, sent_at=sent, opened_at=sent)[0])
    login("cx")
    html = client.get("/dashboard/customers").get_data(as_text=True)

    def status(name: str) -> str:
        row = next(r for r in html.split("<tr>") if name in r)
        return " ".join(re.sub(r"<[^>]+>", " ", row.split('data-label="Status"')[1].split(">", 1)[1]).split())

    assert status("Never Invited") == "not invited"
    assert status("Only Invited") == "invited"
    assert status("Just Opened") == "opened the survey"
    assert status("Has Answered") == "answered returned 2026-11-01"


def test_a_file_over_the_upload_limit_gets_the_import_page_saying_what_to_do(app, client, login, db):
    """A 50 MB export (100,000 rows and more) is over MAX_CONTENT_LENGTH: the person who chose it
    gets the import page again, the limit named and the way to import it anyway, not a bare
    "Request Entity Too Large" page with no way back."""
    app.config["MAX_CONTENT_LENGTH"] = 4096
    login("cx")
    body = "\n".join([HEADER, *[f"c-{n},p{n}@example.com,,,,,,,,2026-10-01,," for n in range(200)]]).encode()
    response = upload(client, body, filename="everyone.csv")
    html = response.get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert response.status_code == 413
    assert "Import departed customers" in text and 'name="file"' in html
    assert "The file was not imported." in text
    assert "larger than 4 KB" in text and "flask --app wsgi customers import" in text
    assert count(db) == 0


def test_a_row_in_another_currency_than_the_files_is_rejected_not_added_up(runner, db, tmp_path):
    """A billing export with a Currency column and EUR next to USD rows was imported whole, the
    Currency column ignored: the dashboard then added 90 EUR and 79 USD as $169 of lost revenue.
    A row whose amounts are in another currency than the file's first is rejected, saying so."""
    lines = [
        "Customer ID,Email,MRR,Currency,Cancel Date",
        "c-1,ann@example.com,79.00,usd,2026-10-01",
        "c-2,bo@example.com,90.00,EUR,2026-10-02",
        "c-3,cy@example.com,,EUR,2026-10-03",  # no amount: nothing to add up, kept
        "c-4,di@example.com,12.00,USD,2026-10-04",
    ]
    result = run_import(runner, csv_file(tmp_path, lines))
    assert result.exit_code == 0, result.output
    assert "4 rows: 3 created, 0 updated, 0 unchanged, 1 rejected." in result.output
    assert (
        "line 3 (external_id c-2), column monthly_revenue (file column 'MRR'): amounts in EUR (file column "
        "'Currency'), but this file's amounts are in USD (from line 2); the dashboard adds amounts up in "
        "one currency: convert them to USD first" in result.output
    )
    stored = db.session.scalars(select(DepartedCustomer.external_id).order_by(DepartedCustomer.external_id))
    assert list(stored) == ["c-1", "c-3", "c-4"]


def test_a_file_of_stripe_customer_ids_imported_as_csv_suggests_source_stripe(runner, db, tmp_path):
    # Stripe's webhooks find a customer by source and id: a Stripe export imported under the
    # default source csv was invisible to them (a return, a later cancellation).
    stripe_rows = [row.replace("c-", "cus_Q") for row in GOOD]
    result = run_import(runner, csv_file(tmp_path, [HEADER, *stripe_rows]))
    assert result.exit_code == 0, result.output
    assert "import the file with stripe as its source (--source stripe" in result.output

    again = run_import(runner, csv_file(tmp_path, [HEADER, *stripe_rows]), "--source", "stripe")
    assert "--source stripe" not in again.output
    assert "--source" not in run_import(runner, csv_file(tmp_path, [HEADER, *GOOD])).output
