"""Importing other tools' exports: the proposed column mapping, --map, the page's mapping step,
Windows-1252 files."""

from __future__ import annotations

import os
import re
import time
from datetime import date

import pytest
from sqlalchemy import select

from feedback_app.models import DepartedCustomer
from feedback_app.services.customers import upload_stash
from feedback_app.services.customers.column_mapping import (
    ALIASES,
    CHOICES,
    MAX_COLUMNS,
    MappingError,
    choices_by_name,
    join_name,
    key,
    propose,
)
from feedback_app.services.customers.csv_import import preview
from tests.app.customers.import_helpers import choose_file, confirm_columns, proposed_columns, upload
from tests.app.customers.test_customers_import import count, run_import

#: A Stripe subscriptions export, cut down: its own names, and columns we have no field for.
STRIPE = [
    "id,Customer ID,Customer Email,Customer Name,Plan,Status,MRR,Created (UTC),Canceled At (UTC),Card Last4",
    "sub_1,cus_A1,ann@example.com,Ann Lee,team,canceled,79.00,2025-01-04 10:00,2026-10-01 14:03,4242",
    "sub_2,cus_B2,bo@example.com,Bo Chen,business,canceled,249,2024-03-01 09:12,2026-10-02T08:00:00Z,1881",
]


def customer(db, external_id: str) -> DepartedCustomer:
    return db.session.scalar(select(DepartedCustomer).where(DepartedCustomer.external_id == external_id))


def test_a_stripe_header_is_mapped_by_the_alias_table_and_the_rest_ignored():
    mapping = propose(STRIPE[0].split(","))
    assert dict(zip(mapping.header, mapping.fields, strict=True)) == {
        "id": None,  # "Customer ID" is the customer; Stripe's "id" here is the subscription
        "Customer ID": "external_id",
        "Customer Email": "email",
        "Customer Name": "name",
        "Plan": "plan",
        "Status": None,
        "MRR": "monthly_revenue",
        "Created (UTC)": None,
        "Canceled At (UTC)": "left_at",
        "Card Last4": None,
    }
    assert mapping.ignored == ["id", "Status", "Created (UTC)", "Card Last4"]
    assert propose(["ID", "E-Mail", "cancelled_at"]).fields == ("external_id", "email", "left_at")
    assert propose(["Monthly Revenue", "monthly-revenue"]).ambiguous == {"monthly_revenue": (0, 1)}


def test_the_alias_table_names_each_alias_once_and_never_shadows_a_field():
    seen: dict[str, str] = {key(name): name for name in CHOICES}
    for field, aliases in ALIASES.items():
        assert field in CHOICES
        for alias in aliases:
            assert key(alias) not in seen, (alias, seen.get(key(alias)))
            seen[key(alias)] = field


def test_two_columns_chosen_for_one_field_are_refused():
    with pytest.raises(MappingError, match="'a' and 'b' are both mapped to email"):
        propose(["a", "b"], {0: "email", 1: "email"})


def test_one_column_mapped_twice_with_map_is_refused_not_the_last_taken():
    with pytest.raises(MappingError, match="'Ref' is mapped twice"):
        choices_by_name(["Ref", "Mail"], {"Ref": "external_id", "ref": "email"})
    assert choices_by_name(["Ref"], {"Ref": "external_id", "ref": "external_id"}) == {0: "external_id"}


def test_a_stripe_export_imports_with_the_proposed_mapping(runner, db, tmp_path):
    path = tmp_path / "subscriptions.csv"
    path.write_text("\n".join(STRIPE) + "\n", encoding="utf-8")
    dry = run_import(runner, path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "'Customer ID' -> external_id" in dry.output and "'Canceled At (UTC)' -> left_at" in dry.output
    assert "'Card Last4' -> ignored" in dry.output
    assert "would be 2 created" in dry.output and count(db) == 0
    result = run_import(runner, path)
    assert "2 rows: 2 created, 0 updated, 0 unchanged, 0 rejected." in result.output, result.output
    assert "Ignored columns: 'id', 'Status', 'Created (UTC)', 'Card Last4'." in result.output
    ann = customer(db, "cus_A1")
    assert (ann.email, ann.name, ann.plan, ann.monthly_revenue_cents) == (
        "ann@example.com",
        "Ann Lee",
        "team",
        7900,
    )
    assert ann.left_at == date(2026, 10, 1) and customer(db, "cus_B2").left_at == date(2026, 10, 2)


def test_a_row_error_names_our_field_and_the_files_column(runner, tmp_path):
    path = tmp_path / "subscriptions.csv"
    bad = "sub_3,cus_C3,cy-at-example,Cy,team,canceled,-5,2024-03-01 09:12,2026-10-02 08:00,1"
    path.write_text("\n".join([*STRIPE, bad]) + "\n", encoding="utf-8")
    out = run_import(runner, path).output
    assert "line 4 (external_id cus_C3), column email (file column 'Customer Email'): " in out
    assert "line 4 (external_id cus_C3), column monthly_revenue (file column 'MRR'): is negative" in out


def test_an_unknown_column_is_ignored_and_listed_not_refused(runner, db, tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text("external_id,email,left_at,emial\nc-1,ann@example.com,2026-10-01,x\n", encoding="utf-8")
    result = run_import(runner, path)
    assert result.exit_code == 0 and "1 created" in result.output
    assert "Ignored columns: 'emial'." in result.output


def test_map_names_the_columns_the_table_does_not_know(runner, db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Kundennummer;Mail;Kündigungsdatum;Tarif;Notiz\nK-1;ann@example.com;2026-10-01;team;ruft zurück\n",
        encoding="utf-8",
    )
    refused = run_import(runner, path)
    assert refused.exit_code == 1
    assert "missing the required column(s) external_id, email, left_at" in refused.output
    assert "The header has 'Kundennummer', 'Mail', 'Kündigungsdatum', 'Tarif', 'Notiz'." in refused.output
    maps = ["--map", "Kundennummer=external_id", "--map", "mail=email", "--map", "Kündigungsdatum=left_at"]
    result = run_import(runner, path, *maps, "--map", "Tarif=plan")
    assert "1 row: 1 created" in result.output, result.output
    assert "Ignored columns: 'Notiz'." in result.output
    assert customer(db, "K-1").plan == "team"
    # a proposed column can be ignored, and a column or field that does not exist is named
    ignored = run_import(runner, path, *maps, "--map", "Tarif=ignore", "--dry-run")
    assert "'Tarif' -> ignored" in ignored.output
    assert "has no column 'Ende'" in run_import(runner, path, "--map", "Ende=left_at").output
    assert "'left' is not a field" in run_import(runner, path, "--map", "Tarif=left").output
    assert "write it as 'COLUMN=FIELD'" in run_import(runner, path, "--map", "Tarif").output
    twice = run_import(runner, path, *maps, "--map", "Tarif=plan", "--map", "Tarif=segment")
    assert twice.exit_code != 0 and "'Tarif=segment': column 'Tarif' is mapped twice" in twice.output


def test_a_windows_1252_file_with_semicolons_imports_with_a_notice(runner, db, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "Customer ID;E-mail;Name;Churn date\r\nc-1;zoe@example.com;Zoë Müller;2026-10-01\r\n".encode("cp1252")
    )
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "excel.csv: The file is not UTF-8: it was read as Windows-1252" in result.output
    assert customer(db, "c-1").name == "Zoë Müller"


def test_the_page_proposes_a_mapping_with_previews_and_imports_the_kept_file(client, login, db, app):
    login("cx")
    page = choose_file(client, ("\n".join(STRIPE) + "\n").encode(), "subscriptions.csv")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Match the columns of subscriptions.csv" in html
    assert re.search(r'<option selected value="left_at">', html.split('name="columns-8"')[1])
    # each field in words, its key beside them (the key the docs, --map and row errors use)
    assert '<option selected value="left_at">Date they left (left_at)</option>' in html
    assert '<option value="external_id">Your id for the customer (external_id)</option>' in html
    assert "<code>cus_A1</code>, <code>cus_B2</code>" in html  # the first values of each column
    assert count(db) == 0
    with app.app_context():
        (kept,) = upload_stash.folder().glob("*.csv")
    result = confirm_columns(client, page)
    assert "2 rows: 2 created, 0 updated, 0 unchanged, 0 rejected." in result.get_data(as_text=True)
    assert not kept.exists()  # deleted after the import


def test_a_manual_mapping_on_the_page(client, login, db):
    login("cx")
    body = b"Ref;Mail;Gone;Tier\nr-1;ann@example.com;2026-10-01;gold\nr-2;nope;2026-10-02;gold\n"
    page = choose_file(client, body, "crm.csv")
    html = page.get_data(as_text=True)
    assert (
        "No column was recognised as Your id for the customer (external_id), Email address (email), Date they"
        " left (left_at) (required)"
    ) in html
    assert html.count("Language (language)") == html.count("Language (locale)") > 0  # not "(locale) (locale)"
    not_mapped = confirm_columns(client, page)
    assert not_mapped.status_code == 422
    assert (
        "No column is read as Your id for the customer (external_id), Email address (email), Date they left"
        " (left_at): choose the column that holds each below."
    ) in not_mapped.get_data(as_text=True)
    twice = confirm_columns(client, page, {"columns-0": "email", "columns-1": "email"})
    assert twice.status_code == 422 and "both mapped to email" in twice.get_data(as_text=True)
    chosen = {"columns-0": "external_id", "columns-1": "email", "columns-2": "left_at", "columns-3": "ignore"}
    result = confirm_columns(client, page, chosen).get_data(as_text=True)
    assert "2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected." in result
    assert '<td data-label="Line">3</td><td data-label="External id or email">r-2</td>' in result
    assert '<td data-label="Column">email (Mail)</td>' in result
    assert customer(db, "r-1").segment is None  # Tier was ignored


def test_a_windows_1252_file_on_the_page_says_how_it_was_read(client, login, db):
    login("cx")
    body = "external_id;email;name;left_at\nc-1;zoe@example.com;Zoë Müller;2026-10-01\n".encode("cp1252")
    page = choose_file(client, body)
    assert "read as Windows-1252" in page.get_data(as_text=True)
    assert "1 created" in confirm_columns(client, page).get_data(as_text=True)
    assert customer(db, "c-1").name == "Zoë Müller"


def test_the_kept_file_is_only_for_its_user_and_goes_after_a_day(client, login, db, app):
    login("cx")
    page = choose_file(client, b"external_id,email,left_at\nc-1,ann@example.com,2026-10-01\n")
    with app.app_context():
        token = re.search(r'name="upload"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
        assert upload_stash.load(token, user_id=-1) is None  # another user's
        assert upload_stash.load("../../etc/passwd", user_id=1) is None
        old = time.time() - 2 * upload_stash.MAX_AGE_SECONDS
        for path in upload_stash.folder().glob(f"{token}.*"):
            os.utime(path, (old, old))
    gone = confirm_columns(client, page)
    assert gone.status_code == 422 and "choose it again" in gone.get_data(as_text=True)
    with app.app_context():
        assert upload_stash.sweep(upload_stash.folder()) == 0 and not list(upload_stash.folder().glob("*"))
    assert count(db) == 0


def test_a_refused_file_is_not_kept(client, login, app):
    login("cx")
    assert upload(client, b"PK\x03\x04" + bytes(64)).status_code == 422
    with app.app_context():
        assert not upload_stash.folder().exists() or not list(upload_stash.folder().glob("*"))


def test_a_header_with_more_columns_than_the_page_takes_is_refused_clearly(client, login, app):
    login("cx")
    extra = ",".join(f"c{i}" for i in range(MAX_COLUMNS))
    page = choose_file(
        client, f"external_id,email,left_at,{extra}\nc-1,ann@example.com,2026-10-01\n".encode()
    )
    assert page.status_code == 422
    assert f"at most {MAX_COLUMNS}" in page.get_data(as_text=True)
    with app.app_context():
        assert not upload_stash.folder().exists() or not list(upload_stash.folder().glob("*"))


def test_the_sweep_deletes_only_kept_uploads(app, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not an upload")
    kept = tmp_path / f"{'a' * 43}.csv"
    kept.write_text("external_id")
    old = time.time() - 2 * upload_stash.MAX_AGE_SECONDS
    for path in (other, kept):
        os.utime(path, (old, old))
    assert upload_stash.sweep(tmp_path) == 1
    assert other.exists() and not kept.exists()


def test_a_file_starting_with_a_blank_line_is_refused_at_step_1(client, login):
    login("cx")
    page = choose_file(client, b"\nexternal_id,email,left_at\nc-1,ann@example.com,2026-10-01\n")
    assert page.status_code == 422
    assert "Line 1 (the header) is empty" in page.get_data(as_text=True)


def test_each_user_keeps_only_their_newest_uploads(app):
    with app.app_context():
        mine = [upload_stash.keep(b"x", filename=f"{n}.csv", user_id=1) for n in range(5)]
        theirs = upload_stash.keep(b"y", filename="other.csv", user_id=2)
        kept = mine[-upload_stash.MAX_PER_USER :]
        assert [t for t in mine if upload_stash.load(t, user_id=1)] == kept
        for token in mine[: -upload_stash.MAX_PER_USER]:  # both files of an older one are gone
            assert not list(upload_stash.folder().glob(f"{token}.*"))
        assert upload_stash.load(theirs, user_id=2) is not None  # another user's are not counted


# -- a name in two columns ----------------------------------------------------------------------

#: A HubSpot-style contacts export: the name split in two, as CRMs and billing tools write it.
SPLIT = [
    "Record ID,First Name,Last Name,Email,Churn Date",
    "r-1,Ada,Lovelace,ada@example.com,2026-10-01",
    "r-2,,Hopper,grace@example.com,2026-10-01",
    "r-3,Alan,,alan@example.com,2026-10-01",
    "r-4,,,nobody@example.com,2026-10-01",
    "r-5,  Edsger ,  Dijkstra  ,ed@example.com,2026-10-01",
]


def test_first_and_last_name_columns_are_proposed_as_the_names_parts():
    for first, last in [
        ("First Name", "Last Name"),
        ("first_name", "last_name"),
        ("Given name", "Surname"),
        ("Vorname", "Nachname"),
        ("Prénom", "Nom de famille"),
    ]:
        mapping = propose(["Customer ID", first, last, "Email", "Churn Date"])
        assert mapping.fields[1:3] == ("first_name", "last_name"), (first, last)
        assert mapping.name_from_parts and mapping.columns_of("name") == (first, last)
        assert f"{first!r} -> name (first part, first_name)" in mapping.describe()
        assert mapping.ignored == []


def test_a_single_name_column_wins_over_the_parts():
    mapping = propose(["id", "Full Name", "First Name", "Last Name", "email", "left_at"])
    assert mapping.fields == ("external_id", "name", None, None, "email", "left_at")
    assert mapping.set_aside == (2, 3) and not mapping.name_from_parts
    assert "'First Name' -> name (first part, where 'Full Name' is empty)" in mapping.describe()
    # chosen by a person: their choice wins over what the names propose, either way
    chosen = propose(["id", "Name", "Vorname", "Nachname"], {2: "first_name", 3: "last_name"})
    assert chosen.fields == ("external_id", None, "first_name", "last_name") and chosen.set_aside == (1,)
    assert propose(["Name", "First Name"], {0: "name"}).fields == ("name", None)


def test_the_name_from_one_column_and_from_parts_at_once_is_refused():
    with pytest.raises(MappingError, match="read from one column or from its parts, not both"):
        propose(["Name", "First Name"], {0: "name", 1: "first_name"})
    with pytest.raises(MappingError, match="'a' and 'b' are both mapped to first_name"):
        propose(["a", "b"], {0: "first_name", 1: "first_name"})


def test_join_name_keeps_what_is_there():
    assert join_name("Ada", "Lovelace") == "Ada Lovelace"
    assert join_name("", "Hopper") == "Hopper" and join_name("Alan", "  ") == "Alan"
    assert join_name("", "") == "" and join_name(None, None) == ""


def test_a_split_name_is_joined_on_import(runner, db, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("\n".join(SPLIT) + "\n", encoding="utf-8")
    dry = run_import(runner, path, "--dry-run")
    assert "'First Name' -> name (first part, first_name)" in dry.output, dry.output
    assert "'Last Name' -> name (last part, last_name)" in dry.output
    result = run_import(runner, path)
    assert "5 rows: 5 created" in result.output, result.output
    assert "Ignored columns" not in result.output
    names = {f"r-{n}": customer(db, f"r-{n}").name for n in range(1, 6)}
    assert names == {
        "r-1": "Ada Lovelace",
        "r-2": "Hopper",
        "r-3": "Alan",
        "r-4": None,
        "r-5": "Edsger Dijkstra",
    }


def test_a_split_name_too_long_names_both_file_columns(runner, db, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(f"{SPLIT[0]}\nr-9,{'A' * 150},{'B' * 60},x@example.com,2026-10-01\n", encoding="utf-8")
    out = run_import(runner, path).output
    assert (
        "line 2 (external_id r-9), column name (file columns 'First Name' and 'Last Name'): "
        "is 211 characters long; at most 200 allowed"
    ) in out, out


def test_map_can_name_the_parts_and_a_wrong_part_is_refused(runner, db, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Ref;Mail;Gone;Rufname;Familie\nK-1;ann@example.com;2026-10-01;Ann;Lee\n", encoding="utf-8"
    )
    maps = ["--map", "Ref=external_id", "--map", "Mail=email", "--map", "Gone=left_at"]
    result = run_import(runner, path, *maps, "--map", "Rufname=first_name", "--map", "Familie=last_name")
    assert "1 row: 1 created" in result.output, result.output
    assert customer(db, "K-1").name == "Ann Lee"
    wrong = run_import(runner, path, *maps, "--map", "Rufname=firstname")
    assert wrong.exit_code == 1 and "'firstname' is not a field" in wrong.output
    assert "first_name and last_name for a name in two columns" in wrong.output


def test_a_single_name_column_wins_on_import_too(runner, db, tmp_path):
    path = tmp_path / "both.csv"
    path.write_text(
        "id,Name,First Name,Last Name,email,left_at\nc-1,Ada King,Ada,Lovelace,a@example.com,2026-10-01\n"
    )
    dry = run_import(runner, path, "--dry-run")
    assert "'Last Name' -> name (last part, where 'Name' is empty)" in dry.output
    run_import(runner, path)
    assert customer(db, "c-1").name == "Ada King"


def test_a_row_whose_name_column_is_empty_takes_its_name_from_the_parts(runner, db, tmp_path):
    """A CRM export with "Name" filled on some rows and only "First Name"/"Last Name" on others:
    those rows must not lose the name the file gives them."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,Name,First Name,Last Name,email,left_at\n"
        "c-1,Ada King,Ada,Lovelace,a@example.com,2026-10-01\n"
        "c-2,,Grace,Hopper,g@example.com,2026-10-01\n"
        "c-3,  ,,Turing,t@example.com,2026-10-01\n"
        "c-4,,,,n@example.com,2026-10-01\n"
    )
    dry = run_import(runner, path, "--dry-run")
    assert "'First Name' -> name (first part, where 'Name' is empty)" in dry.output, dry.output
    result = run_import(runner, path).output
    assert "4 rows: 4 created" in result and "Ignored columns" not in result, result
    names = {f"c-{n}": customer(db, f"c-{n}").name for n in range(1, 5)}
    assert names == {"c-1": "Ada King", "c-2": "Grace Hopper", "c-3": "Turing", "c-4": None}


def test_the_page_shows_both_columns_giving_the_name_and_joins_them(client, login, db):
    login("cx")
    page = choose_file(client, ("\n".join(SPLIT) + "\n").encode(), "contacts.csv")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    columns = proposed_columns(html)
    assert (columns["columns-1"], columns["columns-2"]) == ("first_name", "last_name")
    assert '<option selected value="first_name">Name, first part (first_name)</option>' in html
    assert '<option selected value="last_name">Name, last part (last_name)</option>' in html
    assert (
        "The name is joined from two columns: “First Name” (first part) and “Last Name” (last part)" in html
    )
    result = confirm_columns(client, page).get_data(as_text=True)
    assert "5 rows: 5 created, 0 updated, 0 unchanged, 0 rejected." in result
    assert customer(db, "r-1").name == "Ada Lovelace" and customer(db, "r-4").name is None


def test_the_page_says_a_single_name_column_wins_and_a_bad_choice_is_refused(client, login, db):
    login("cx")
    body = b"id,Full Name,First Name,Last Name,email,left_at\nc-1,Ada King,Ada,Lovelace,a@example.com,2026-10-01\n"
    page = choose_file(client, body)
    html = page.get_data(as_text=True)
    assert (
        "The name is read from “Full Name”, and on a row where it is empty joined from “First Name” + “Last Name”."
        in html
    )
    both = confirm_columns(client, page, {"columns-2": "first_name"})
    assert both.status_code == 422 and "not both" in both.get_data(as_text=True)
    junk = confirm_columns(client, page, {"columns-2": "middle_name"})
    assert junk.status_code == 422 and count(db) == 0
    parts = {"columns-1": "ignore", "columns-2": "first_name", "columns-3": "last_name", "dry_run": "y"}
    dry = confirm_columns(client, page, parts).get_data(as_text=True)
    assert "The name is joined from two columns: “First Name” (first part) and “Last Name”" in dry
    confirm_columns(client, page, {k: v for k, v in parts.items() if k != "dry_run"})
    assert customer(db, "c-1").name == "Ada Lovelace"


def test_a_row_error_on_the_page_names_both_name_columns(client, login, db):
    login("cx")
    body = f"{SPLIT[0]}\nr-9,{'A' * 150},{'B' * 60},x@example.com,2026-10-01\n".encode()
    result = upload(client, body).get_data(as_text=True)
    assert '<td data-label="Column">name (First Name + Last Name)</td>' in result


def test_a_required_field_left_unmapped_on_the_page_is_named_in_the_pages_words(client, login, db):
    """A HubSpot export's "Close Date" is not recognised as the date they left; pressing Import
    without choosing it names the field as the page's selects do, never the command line's --map."""
    login("cx")
    body = b"Record ID,First Name,Last Name,Email,Close Date\n9000,Anna,Schmidt,anna@example.com,2026-11-01\n"
    page = choose_file(client, body, "hubspot.csv")
    refused = confirm_columns(client, page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "No column is read as Date they left (left_at): choose the column that holds it" in html
    assert "--map" not in html and "command line" not in html
    assert count(db) == 0


def test_the_page_says_when_the_ids_look_like_a_billing_providers_and_which_source_to_choose(
    client, login, db
):
    """The CLI told a person importing a Stripe export as csv to use --source stripe; the page, which
    most CX people use, said nothing, and the customers stayed invisible to Stripe's webhooks."""
    login("cx")
    page = choose_file(client, ("\n".join(STRIPE) + "\n").encode(), "subscriptions.csv")
    hint = "the ids look like Stripe customer ids (cus_...): import the file with stripe as its source"
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f"subscriptions.csv: {hint}" in html
    dry = confirm_columns(client, page, dry_run="y").get_data(as_text=True)
    assert "Dry run: nothing was saved" in dry and dry.count(hint) == 1, "said once, with the report"
    stored = confirm_columns(client, page, source="stripe").get_data(as_text=True)
    assert "2 rows: 2 created" in stored and "ids look like" not in stored
    assert customer(db, "cus_A1").source == "stripe"

    plain = choose_file(client, b"external_id,email,left_at\nc-1,ann@example.com,2026-10-01\n")
    assert "ids look like" not in plain.get_data(as_text=True)


def test_the_preview_hint_reads_the_proposed_id_column_under_the_chosen_source():
    paddle = "Customer ID,Email,Cancelled At\n" + "".join(
        f"ctm_{n:04d},p{n}@example.com,2026-10-01\n" for n in range(5)
    )
    assert "look like Paddle customer ids (ctm_...)" in preview(paddle.encode()).source_hint
    assert "--source paddle" in preview(paddle.encode()).source_hint
    assert preview(paddle.encode(), source="paddle").source_hint is None
    assert preview(paddle.encode(), source="crm").source_hint is None
    mixed = paddle + "".join(f"c-{n},c{n}@example.com,2026-10-01\n" for n in range(3))
    assert preview(mixed.encode()).source_hint is None, "5 of 8 is not most of them"
    no_ids = "Email,Cancelled At\nann@example.com,2026-10-01\n"
    assert preview(no_ids.encode()).source_hint is None
    # Chargebee's customer ids are random letters and digits or the business's own: not guessed
    chargebee = "Customer Id,Email,Cancelled At\nAzZTQDUdyG7ve2Xm,a@example.com,2026-10-01\n"
    assert preview(chargebee.encode()).source_hint is None
