"""Reading a CSV file of departed customers: one clear error for a bad file, one per bad row.

A file that is not text, not a CSV, or has no usable header is refused as a whole
(``CsvFileError``); one that is not UTF-8 but reads as Windows-1252 (Excel's "CSV" on Windows) is
read so, with a notice. The header's columns are matched to the fields by ``column_mapping`` (or
as the caller chose); other columns are ignored. Each row is checked by ``records``; a bad row is
reported with its line number, its external id or email, field, the file's column and reason and
skipped, and the good rows are upserted.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from feedback_app.extensions import db
from feedback_app.services.accounts import audit
from feedback_app.services.customers import store as customer_service
from feedback_app.services.customers.column_mapping import (
    MAX_COLUMNS,
    NAME_PARTS,
    ColumnMapping,
    MappingError,
    choices_by_name,
    choices_by_position,
    join_name,
    key,
    propose,
)
from feedback_app.services.customers.records import (
    FIELDS,
    CustomerRecord,
    check_source,
    parse_record,
    row_identity,
)
from feedback_app.services.validation.text_input import clean_text

CHUNK_ROWS = 2000
ANALYZE_EVERY = 10_000  # new rows between planner-statistics refreshes (PostgreSQL only)
_SIGNATURES = {  # magic bytes of files people pick by mistake
    b"PK\x03\x04": "a ZIP archive or an Excel workbook (.xlsx); in Excel use File > Save As > 'CSV UTF-8'",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls); in Excel use File > Save As > 'CSV UTF-8'",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}
#: A well-formed UTF-8 character of two to four bytes ("é" is C3 A9; in Windows-1252 that is "Ã©").
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_LOOKS_LIKE_DATA = re.compile(r"@|^\d{4}-\d{2}-\d{2}$|^\d+([.,]\d+)?$")
WINDOWS_1252_NOTICE = (
    "The file is not UTF-8: it was read as Windows-1252 (Excel's 'CSV' on Windows). "
    "Check that names with accents look right; 'CSV UTF-8' avoids the question."
)


class CsvFileError(ValueError):
    """The file as a whole cannot be read as a customer CSV; the message says why and what to do."""


@dataclass(frozen=True)
class RowError:
    """A rejected row: where (line, and the row's external id or email so it can be found after the
    file is sorted), which column, and what is wrong."""

    line: int
    column: str | None
    message: str
    #: The row's identifying column and value, ``("external_id", "c-17")``; None when it has neither.
    identity: tuple[str, str] | None = None
    #: The file's columns for ``column`` when they are not the field's own name: ("Customer Email",),
    #: or ("First Name", "Last Name") for a name joined from its parts.
    headers: tuple[str, ...] = ()

    @property
    def row(self) -> str:
        """The row's identifying value as shown beside the line number ("" when it has none)."""
        return self.identity[1] if self.identity else ""

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.identity:
            where += f" ({self.identity[0]} {self.identity[1]})"
        if self.column:
            where += f", column {self.column}"
        if len(self.headers) == 1:
            where += f" (file column {self.headers[0]!r})"
        elif self.headers:
            where += f" (file columns {' and '.join(map(repr, self.headers))})"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Which column was read as which field; None until the header is read.
    mapping: ColumnMapping | None = None
    #: What the reader had to assume about the file (its encoding), for the person importing it.
    notices: list[str] = field(default_factory=list)
    #: :func:`provider_hint`: the file's ids look like a billing provider's, imported as ``csv``.
    source_hint: str | None = None

    def summary(self) -> str:
        """One line for the page and the CLI ("1 row", not "1 rows"; a dry run says "would be")."""
        rows = f"{self.rows} row" if self.rows == 1 else f"{self.rows} rows"
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected."
        if self.dry_run:
            return f"Dry run (nothing saved) of {rows}: would be {counts}"
        return f"{rows}: {counts}"


def _looks_utf16(sample: bytes) -> bool:
    """Text saved as UTF-16 without a byte-order mark: a NUL in (nearly) every other byte, the
    high half of each Latin character, and almost none between; the NUL check would otherwise
    call it binary data."""
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return any(
        nul.count(0) >= 0.9 * len(nul) and other.count(0) <= 0.1 * len(other)
        for nul, other in ((even, odd), (odd, even))
    )


def decode(data: bytes) -> str:
    """The file's text; UTF-8 with or without a byte-order mark, anything else refused clearly."""
    for magic, what in _SIGNATURES.items():
        if data.startswith(magic):
            raise CsvFileError(f"This is not a CSV file: it looks like {what}.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError("The file is UTF-16 encoded; save it as 'CSV UTF-8' and import it again.")
    if b"\x00" in data[:8192]:
        if _looks_utf16(data[:8192]):
            raise CsvFileError(
                "The file is UTF-16 encoded (no byte-order mark); save it as 'CSV UTF-8' and import it again."
            )
        raise CsvFileError("This is not a CSV file: it contains binary data (NUL bytes).")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CsvFileError(
            f"The file is not UTF-8 encoded (line {line}: byte 0x{data[exc.start]:02x} is not valid UTF-8; "
            "it may be Latin-1 or Windows-1252). Save it as 'CSV UTF-8' and import it again."
        ) from None
    if not text.strip():
        raise CsvFileError("The file is empty; the first line must be a header naming the columns.")
    return text


UTF16_NOTICE = (
    "The file is UTF-16 (Excel's 'Unicode Text'): it was read as UTF-16, as its byte-order mark says."
)


def read_text(data: bytes) -> tuple[str, str | None]:
    """The file's text and a notice when it was not UTF-8 but Windows-1252 (Excel on Windows saves
    "CSV" so) or UTF-16 with its byte-order mark (Excel's "Unicode Text", some CRM exports), which
    says how to read it; anything else ``decode`` refuses is still refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            wide = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CsvFileError(
                f"The file starts as UTF-16 but byte {exc.start} is not (cut short?). "
                "Save it as 'CSV UTF-8' and import it again."
            ) from None
        if not clean_text(wide, multiline=True).strip():
            raise CsvFileError("The file is empty; the first line must be a header naming the columns.")
        return wide, UTF16_NOTICE
    try:
        return decode(data), None
    except CsvFileError:
        text = _windows_1252(data)
        if text is None:
            raise
        return text, WINDOWS_1252_NOTICE


def _windows_1252(data: bytes) -> str | None:
    """The text of a file that is plain Windows-1252: no binary signature or NUL byte, no UTF-8 or
    UTF-16 byte-order mark, not UTF-8, no UTF-8 character either (a UTF-8 file with one stray byte
    would have all its accents garbled), and no byte Windows-1252 leaves undefined."""
    marks = (*_SIGNATURES, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if data.startswith(marks) or b"\x00" in data[:8192] or _UTF8_CHARACTER.search(data):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None  # UTF-8, refused for another reason
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text if text.strip() else None


def _delimiter(header_line: str) -> str:
    """Comma, or semicolon / tab when the header clearly uses one (European Excel exports)."""
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def column_name(cell: str) -> str:
    """A header cell as a column name: ``Monthly Revenue`` and ``monthly-revenue`` are ``monthly_revenue``."""
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


def refuse_unknown_or_repeated(cells: list[str], names: list[str], known: tuple[str, ...]) -> None:
    """Raise ``CsvFileError`` for a header cell with no name, else naming the header cells that are
    no known column, else the columns named twice (one file's header checks, shared by every CSV
    import)."""
    if "" in names:
        raise CsvFileError(f"Line 1 (the header): column {names.index('') + 1} has no name.")
    unknown = [cell.strip() for cell, name in zip(cells, names, strict=True) if name not in known]
    if unknown:
        raise CsvFileError(
            f"Line 1 (the header) has unknown column(s) {', '.join(map(repr, unknown))}. "
            f"Known columns: {', '.join(known)}."
        )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise CsvFileError(f"Line 1 (the header) names column(s) {', '.join(twice)} more than once.")


def map_header(
    cells: list[str],
    *,
    map_names: Mapping[str, str] | None = None,
    map_positions: Sequence[str] | None = None,
) -> ColumnMapping:
    """Which column gives which field: chosen by header name (``--map``) or by position (the
    import page), the rest proposed by name; refuses a header that looks like data, a field no
    column gives or one two columns give."""
    try:
        chosen = (
            choices_by_position(cells, map_positions)
            if map_positions is not None
            else choices_by_name(cells, map_names or {})
        )
        mapping = propose(cells, chosen)
        if mapping.missing and any(_LOOKS_LIKE_DATA.search(cell.strip()) for cell in cells):
            raise CsvFileError(
                "Line 1 looks like data, not a header. The first line must name the columns: "
                f"{', '.join(FIELDS)}."
            )
        mapping.check()
    except MappingError as exc:
        raise CsvFileError(str(exc)) from None
    return mapping


@dataclass(frozen=True)
class Preview:
    """A file's columns as the import page shows them before importing: the proposed mapping and
    each column's first values, and :func:`provider_hint` for its ids under the chosen source."""

    mapping: ColumnMapping
    samples: list[list[str]]
    notice: str | None
    source_hint: str | None = None


#: How many rows' ids the import page's preview reads for :func:`provider_hint` (the import reads all).
HINT_ROWS = 1000


def preview(data: bytes, rows: int = 3, *, source: str = "csv") -> Preview:
    """The proposal for a file, the first ``rows`` values of each column and, for ``source``,
    :func:`provider_hint` over the proposed ``external_id`` column's first :data:`HINT_ROWS` ids;
    refuses a file that cannot be read, or has more columns than the page lists (the mapping
    itself is checked when the file is imported)."""
    text, notice = read_text(data)
    cells, lines = _rows(text)
    if len(cells) > MAX_COLUMNS:
        raise CsvFileError(
            f"Line 1 (the header) has {len(cells)} columns; the import page takes at most {MAX_COLUMNS}. "
            "Delete the columns you do not need, or import the file with 'flask customers import'."
        )
    mapping = propose(cells)
    if mapping.missing and any(_LOOKS_LIKE_DATA.search(cell.strip()) for cell in cells):
        map_header(cells)  # raises: a header that looks like data
    samples: list[list[str]] = [[] for _ in cells]
    id_at = mapping.fields.index("external_id") if "external_id" in mapping.fields else None
    ids: list[str] = []
    any_row = False  # an unreadable line is a row the import reports; blank lines are none
    for _line, row in lines:
        if isinstance(row, UnreadableLine):
            any_row = True
            continue
        if not any(cell.strip() for cell in row):
            continue
        any_row = True
        if len(samples[0]) < rows:
            for position, values in enumerate(samples):
                values.append(row[position] if position < len(row) else "")
        if id_at is not None and id_at < len(row) and row[id_at].strip():
            ids.append(row[id_at].strip())
        if len(samples[0]) >= rows and (id_at is None or len(ids) >= HINT_ROWS or source != "csv"):
            break
    if not any_row:
        # the mapping step would show no values and the import end in "0 rows": say so now
        raise CsvFileError(
            "The file has only its header (line 1) and no rows below it: put one departed customer "
            "on each line after the header and import it again."
        )
    return Preview(mapping, samples, notice, provider_hint(ids, source))


@dataclass(frozen=True)
class UnreadableLine:
    """A line the CSV reader refused on its own (a stray quote inside a value): the reader goes on
    at the next line, so only this row is skipped."""

    message: str


def _rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str] | UnreadableLine]]]:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CsvFileError(f"Line 1 (the header) cannot be read as CSV: {exc}.") from None
    if not any(cell.strip() for cell in header):
        raise CsvFileError(
            "Line 1 (the header) is empty; the first line must name the columns (delete the blank lines "
            "above the header)."
        )

    def rows() -> Iterator[tuple[int, list[str] | UnreadableLine]]:
        line = reader.line_num + 1
        while True:
            try:
                cells: list[str] | UnreadableLine = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # A quote left open runs over the lines after it (they would be lost unseen) or to
                # the end of the file (cut short?): the file is refused. A line refused on its own
                # is one bad row.
                if reader.line_num != line or "end of data" in str(exc):
                    raise CsvFileError(
                        f"Line {line} cannot be read as CSV: {exc}. Check the quotes on that line."
                    ) from None
                cells = UnreadableLine(str(exc))
            yield line, cells
            line = reader.line_num + 1

    return header, rows()


def import_csv(
    data: bytes,
    *,
    source: str = "csv",
    dry_run: bool = False,
    actor: str = "cli",
    actor_user_id: int | None = None,
    filename: str | None = None,
    progress: Callable[[int], None] | None = None,
    map_names: Mapping[str, str] | None = None,
    map_positions: Sequence[str] | None = None,
) -> ImportReport:
    """Validate and upsert every row; nothing is written for a dry run or a refused file.

    ``map_names`` ({"Customer ID": "external_id"}) or ``map_positions`` (a field or ``ignore``
    per column) choose columns' fields; the others are proposed by name. ``progress`` is called
    with the number of rows just handled, chunk by chunk.
    """
    try:
        check_source(source)
    except ValueError as exc:
        raise CsvFileError(f"Source {exc}.") from None
    text, notice = read_text(data)
    cells, rows = _rows(text)
    mapping = map_header(cells, map_names=map_names, map_positions=map_positions)
    report = ImportReport(source=source, dry_run=dry_run, mapping=mapping, notices=[notice] if notice else [])
    try:
        _import_rows(rows, mapping, report, source, dry_run, progress)
    except BaseException:
        db.session.rollback()  # a file refused halfway (e.g. a broken quote) writes nothing
        raise
    if dry_run:
        db.session.rollback()
        return report
    audit.record(
        "customers.import",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="departed_customer",
        source=source,
        filename=filename,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected,
    )
    db.session.commit()
    return report


def _import_rows(
    rows: Iterator[tuple[int, list[str] | UnreadableLine]],
    mapping: ColumnMapping,
    report: ImportReport,
    source: str,
    dry_run: bool,
    progress: Callable[[int], None] | None,
) -> None:
    first_seen: dict[str, int] = {}
    currency = FileCurrency.of(mapping)
    chunk: list[CustomerRecord] = []
    handled = 0
    for line, cells in rows:
        if isinstance(cells, UnreadableLine):
            errors = [
                RowError(
                    line,
                    None,
                    f"cannot be read as CSV: {cells.message} (a quote inside a value: put the whole "
                    'value in quotes and double the quote, "Acme ""Tools"""); row skipped',
                )
            ]
        elif not any(cell.strip() for cell in cells):
            continue  # blank lines, often at the end of a file
        else:
            errors = _check_row(line, mapping, cells, first_seen, source, chunk, currency)
        report.rows += 1
        handled += 1
        if errors:
            report.rejected += 1
            report.errors.extend(errors)
        if len(chunk) >= CHUNK_ROWS:
            _flush(chunk, report, dry_run)
            if progress:
                progress(handled)
            handled = 0
    _flush(chunk, report, dry_run)
    if progress and handled:
        progress(handled)
    report.source_hint = provider_hint(first_seen, source)
    if report.source_hint:
        report.notices.append(report.source_hint)


#: Billing providers' customer id prefixes: a file of such ids is most likely that provider's export.
PROVIDER_ID_PREFIXES = {"cus_": "stripe", "ctm_": "paddle"}


def provider_hint(external_ids: Iterable[str], source: str) -> str | None:
    """When a file imported under the default source ``csv`` has a billing provider's customer ids
    (most of them ``cus_...`` for Stripe, ``ctm_...`` for Paddle), say to import it with that
    provider as the source: its webhooks find customers by source and id (docs/intake.md). The CLI
    prints it, the import page shows it before and after a run. Chargebee is not recognised: its
    customer ids are random letters and digits or whatever the business chose, like any CRM's."""
    if source != "csv":
        return None
    ids = list(external_ids)
    for prefix, provider in PROVIDER_ID_PREFIXES.items():
        matching = sum(1 for external_id in ids if external_id.startswith(prefix))
        if ids and matching * 5 >= len(ids) * 4:
            return (
                f"the ids look like {provider.title()} customer ids ({prefix}...): import the file with "
                f"{provider} as its source (--source {provider}, or Source on the import page) so "
                f"{provider.title()}'s webhooks find these customers by id (as source csv, a "
                f"{provider.title()} return finds them only by email address)"
            )
    return None


def _check_row(
    line: int,
    mapping: ColumnMapping,
    cells: list[str],
    first_seen: dict[str, int],
    source: str,
    chunk: list[CustomerRecord],
    currency: FileCurrency | None = None,
) -> list[RowError]:
    fields = {name: cell for name, cell in zip(mapping.fields, cells, strict=False) if name is not None}
    if any(part in fields for part in NAME_PARTS):
        fields["name"] = join_name(fields.pop("first_name", None), fields.pop("last_name", None))
    elif "name" in fields and not fields["name"].strip() and mapping.fill_in_parts:
        fields["name"] = mapping.fill_in_name(cells)
    identity = row_identity(fields)
    if len(cells) > len(mapping.header):
        return [
            RowError(
                line,
                None,
                f"has {len(cells)} cells but the header names {len(mapping.header)} columns "
                "(an unquoted comma inside a value?)",
                identity,
            )
        ]
    record, problems = parse_record(fields, source=source)
    if record is None:
        return [
            RowError(line, problem.field, problem.message, identity, _file_column(mapping, problem.field))
            for problem in problems
        ]
    if record.external_id in first_seen:
        return [
            RowError(
                line,
                "external_id",
                f"duplicate id {record.external_id!r} in the file "
                f"(first on line {first_seen[record.external_id]}); row skipped",
                identity,
                _file_column(mapping, "external_id"),
            )
        ]
    mixed = currency.check(line, cells, record) if currency else None
    if mixed:
        amount, message = mixed
        return [RowError(line, amount, message, identity, _file_column(mapping, amount))]
    first_seen[record.external_id] = line
    chunk.append(record)
    return []


#: Header names (compared as ``column_mapping.key`` does) of a billing export's currency column.
CURRENCY_COLUMNS = frozenset(
    key(name)
    for name in ("currency", "currency code", "plan currency", "billing currency", "subscription currency")
)


@dataclass
class FileCurrency:
    """The file's currency column, read to keep amounts in two currencies from being added up:
    the dashboard sums monthly revenue and lifetime value as one currency (``CURRENCY_SYMBOL``),
    so a row with amounts in another currency than the file's first is rejected."""

    position: int
    header: str
    first: tuple[str, int] | None = None  # (code, line)

    @classmethod
    def of(cls, mapping: ColumnMapping) -> FileCurrency | None:
        for position, (cell, name) in enumerate(zip(mapping.header, mapping.fields, strict=True)):
            if name is None and key(cell) in CURRENCY_COLUMNS:
                return cls(position, cell)
        return None

    def check(self, line: int, cells: list[str], record: CustomerRecord) -> tuple[str, str] | None:
        """The amount field and the problem when this row's amounts are in another currency."""
        code = cells[self.position].strip().upper() if self.position < len(cells) else ""
        amounts = [
            name
            for name, cents in (
                ("monthly_revenue", record.monthly_revenue_cents),
                ("lifetime_value", record.lifetime_value_cents),
            )
            if cents
        ]
        if not code or not amounts:
            return None
        if self.first is None:
            self.first = (code, line)
            return None
        first, first_line = self.first
        if code == first:
            return None
        return amounts[0], (
            f"amounts in {code} (file column {self.header!r}), but this file's amounts are in {first} "
            f"(from line {first_line}); the dashboard adds amounts up in one currency: convert them to "
            f"{first} first"
        )


def _file_column(mapping: ColumnMapping, name: str | None) -> tuple[str, ...]:
    """The file's columns for a field, when they are not one column named as the field."""
    cells = mapping.columns_of(name) if name else ()
    return () if len(cells) == 1 and cells[0].strip() == name else cells


def _flush(chunk: list[CustomerRecord], report: ImportReport, dry_run: bool) -> None:
    if not chunk:
        return
    result = customer_service.upsert(chunk, dry_run=dry_run, with_outcomes=False)
    if (
        result.created
        and (report.created + result.created) // ANALYZE_EVERY > report.created // ANALYZE_EVERY
    ):
        customer_service.refresh_statistics()
    report.created += result.created
    report.updated += result.updated
    report.unchanged += result.unchanged
    chunk.clear()
