"""Which column of an uploaded file is which customer field, as hosted import tools propose it.

Billing and CRM tools export their own column names ("Customer ID", "Canceled At (UTC)", "MRR").
The proposal takes a header cell that names a field exactly first, then one from a small, plain
alias table (compared without case, spaces or punctuation: "Customer_ID", "customer id" and
"CustomerID" are one name). No fuzzy matching: a column the table does not know is ignored and
listed as ignored, and a person maps it on the import page or with ``--map``. The one error is a
required field that no column gives (or two columns that give it equally well).

CRM and billing exports often split the name ("First Name", "Last Name"): those columns map to
the name's parts, ``first_name`` and ``last_name``, joined into ``name`` row by row. A single name
column wins over the parts, so a file with both reads the name as written once; the parts give
the name only on a row where that column is empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from feedback_app.services.customers.records import FIELDS, REQUIRED

#: What a person chooses for a column that should not be read.
IGNORE = "ignore"
#: The name's parts a column may give instead of the whole ``name``, in the order they are joined.
NAME_PARTS: tuple[str, ...] = ("first_name", "last_name")
#: Everything a column may be read as: the fields, then the name's parts.
CHOICES: tuple[str, ...] = (*FIELDS, *NAME_PARTS)
#: The most columns the import page's mapping step takes (a Stripe customers export has about 50).
MAX_COLUMNS = 500

#: Other tools' names for our fields, best first; exact field names always come before these.
#: Stripe (customers and subscriptions exports), Chargebee, Paddle, HubSpot and Salesforce reports.
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("customer id", "account id", "record id", "user id", "client id", "id"),
    "email": ("email address", "customer email", "contact email"),
    "phone": ("phone number", "telephone", "customer phone", "mobile"),
    "name": ("full name", "customer name", "contact name"),
    "first_name": (
        "given name",
        "forename",
        "vorname",
        "prénom",
        "prenom",
        "customer first name",
        "contact first name",
        "billing first name",
    ),
    "last_name": (
        "surname",
        "family name",
        "nachname",
        "nom de famille",
        "customer last name",
        "contact last name",
        "billing last name",
    ),
    "company": ("company name", "account name", "organization", "organisation", "business name"),
    "plan": ("plan name", "plan id", "subscription plan", "product"),
    "segment": ("customer segment", "tier"),
    "monthly_revenue": ("mrr", "monthly recurring revenue"),
    "lifetime_value": ("ltv", "clv", "lifetime revenue", "customer lifetime value"),
    "tenure_months": ("tenure", "months active", "months subscribed"),
    "left_at": (
        "canceled at",
        "cancelled at",
        "canceled at (utc)",
        "cancelled at (utc)",
        "cancellation date",
        "cancel date",
        "churn date",
        "churned at",
        "churned on",
    ),
    "churn_type": ("cancellation type", "churn reason type"),
    "contact_consent": ("consent", "marketing consent", "email consent", "accepts marketing"),
    "returned_at": ("reactivated at", "won back at", "reactivation date"),
    "language": ("preferred language", "preferred locale"),
}


def key(cell: str) -> str:
    """A header cell without case, spaces and punctuation: how names are compared."""
    return re.sub(r"[\W_]+", "", cell.casefold())


#: normalised name -> (field, rank): 0 for the field's own name, then the alias's place in its list.
_NAMES: dict[str, tuple[str, int]] = {key(name): (name, 0) for name in CHOICES}
for _field, _aliases in ALIASES.items():
    for _rank, _alias in enumerate(_aliases, start=1):
        _NAMES.setdefault(key(_alias), (_field, _rank))


class MappingError(ValueError):
    """The header and the chosen mapping leave a field unreadable; the message names it and the header."""


@dataclass(frozen=True)
class ColumnMapping:
    """The file's header as written and, column by column, what is read from it (a field, a name
    part, or None: ignored)."""

    header: tuple[str, ...]
    fields: tuple[str | None, ...]
    #: Fields two or more columns name equally well, with those columns' positions: none is read.
    ambiguous: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    #: Columns named as a part of the name that are not read because a single column gives it.
    set_aside: tuple[int, ...] = ()

    @property
    def ignored(self) -> list[str]:
        """The header cells read as no field (nor as a name part that fills in an empty name)."""
        fill_ins = set(self.fill_in_parts.values())
        return [
            cell
            for position, (cell, name) in enumerate(zip(self.header, self.fields, strict=True))
            if name is None and position not in fill_ins
        ]

    @property
    def missing(self) -> list[str]:
        """Required fields no column gives."""
        return [name for name in REQUIRED if name not in self.fields]

    @property
    def set_aside_columns(self) -> list[str]:
        """The header cells of ``set_aside``, as written."""
        return [self.header[position] for position in self.set_aside]

    @property
    def name_from_parts(self) -> bool:
        """Whether the name is joined from first- and last-name columns."""
        return any(name in NAME_PARTS for name in self.fields)

    def columns_of(self, name: str) -> tuple[str, ...]:
        """The header cells a field is read from, as written: one, or the name's parts in order."""
        wanted = NAME_PARTS if name == "name" and self.name_from_parts else (name,)
        return tuple(
            cell
            for part in wanted
            for cell, read_as in zip(self.header, self.fields, strict=True)
            if read_as == part
        )

    def describe(self) -> list[str]:
        """One line per column: ``'Customer ID' -> external_id``, ``'First Name' -> name (first
        part)`` or ``'Card Last4' -> ignored``."""
        lines = []
        for position, (cell, name) in enumerate(zip(self.header, self.fields, strict=True)):
            fill_in = next((part for part, at in self.fill_in_parts.items() if at == position), None)
            if name in NAME_PARTS:
                read = f"name ({'first' if name == 'first_name' else 'last'} part, {name})"
            elif fill_in is not None and "name" in self.fields:
                column = self.header[self.fields.index("name")]
                read = (
                    f"name ({'first' if fill_in == 'first_name' else 'last'} part, where {column!r} is empty)"
                )
            elif position in self.set_aside and self.name_source():
                read = f"ignored (the name is {self.name_source()})"
            else:
                read = name or "ignored"
            lines.append(f"{cell!r} -> {read}")
        return lines

    @property
    def fill_in_parts(self) -> dict[str, int]:
        """The name's parts set aside beside a single name column, each from its best-named
        column: they give the name on a row where that column is empty, so no name in the file is
        lost (a CRM export fills "Name" on some rows, only "First Name" and "Last Name" on others)."""
        found: dict[str, tuple[int, int]] = {}
        for position in self.set_aside:
            part, rank = _NAMES[key(self.header[position])]
            if part in NAME_PARTS and (part not in found or rank < found[part][0]):
                found[part] = (rank, position)
        return {part: found[part][1] for part in NAME_PARTS if part in found}

    @property
    def fill_in_columns(self) -> list[str]:
        """The header cells of :attr:`fill_in_parts`, first part first, as written."""
        return [self.header[position] for position in self.fill_in_parts.values()]

    def fill_in_name(self, cells: Sequence[str]) -> str:
        """The name joined from :attr:`fill_in_parts` on one row ("" when they are empty too)."""
        parts = self.fill_in_parts
        first, last = (parts.get(part) for part in NAME_PARTS)
        return join_name(
            cells[first] if first is not None and first < len(cells) else None,
            cells[last] if last is not None and last < len(cells) else None,
        )

    def name_source(self) -> str:
        """Where the name comes from, in words: "read from 'Full Name'", "joined from 'First Name'
        and 'Last Name'", or "" when no column gives it."""
        columns = self.columns_of("name")
        if not columns:
            return ""
        quoted = " and ".join(repr(cell) for cell in columns)
        return f"joined from {quoted}" if len(columns) > 1 else f"read from {quoted}"

    def check(self) -> None:
        """Raise ``MappingError`` when a field is ambiguous or a required field has no column."""
        header = ", ".join(repr(cell) for cell in self.header)
        for name, positions in self.ambiguous.items():
            columns = ", ".join(f"{self.header[i]!r} (column {i + 1})" for i in positions)
            raise MappingError(
                f"Line 1 (the header) names {name} more than once: {columns}. Choose the column to read "
                f"(on the import page, or --map 'COLUMN={name}' on the command line)."
            )
        if self.missing:
            missing = ", ".join(self.missing)
            raise MappingError(
                f"Line 1 (the header) is missing the required column(s) {missing}: no column is named or "
                f"mapped to it. The header has {header}. Name a column {missing}, or map one (on the "
                f"import page, or --map 'COLUMN={self.missing[0]}' on the command line)."
            )


def join_name(first: str | None, last: str | None) -> str:
    """A name from its parts: "Ada" and "Lovelace" are "Ada Lovelace"; an empty part leaves the
    other; both empty are "" (no name)."""
    return " ".join(part.strip() for part in (first, last) if part and part.strip())


def propose(header: Sequence[str], chosen: Mapping[int, str | None] | None = None) -> ColumnMapping:
    """Each column's field: ``chosen`` ones (by position; None to ignore) as given, the others by
    name. A field two chosen columns claim is a ``MappingError``; one that two unchosen columns
    name equally well is left unread and listed in ``ambiguous``."""
    chosen = dict(chosen or {})
    fields: list[str | None] = [None] * len(header)
    for position, name in sorted(chosen.items()):
        if name is not None and name in fields:
            first = fields.index(name)
            raise MappingError(
                f"Columns {header[first]!r} and {header[position]!r} are both mapped to {name}; "
                "map one of them to it and the other to another field or to ignore."
            )
        fields[position] = name
    parts = [i for i, name in enumerate(fields) if name in NAME_PARTS]
    if "name" in fields and parts:
        raise MappingError(
            f"Column {header[fields.index('name')]!r} is mapped to name and {header[parts[0]]!r} to "
            f"{fields[parts[0]]}: the name is read from one column or from its parts, not both; map "
            "the other column(s) to ignore."
        )
    best: dict[str, tuple[int, list[int]]] = {}
    set_aside: list[int] = []
    for position, cell in enumerate(header):
        if position in chosen or key(cell) not in _NAMES:
            continue
        name, rank = _NAMES[key(cell)]
        if name in fields:
            continue  # a chosen column gives it
        if (name in NAME_PARTS and "name" in fields) or (name == "name" and parts):
            set_aside.append(position)  # the person chose how the name is read
            continue
        if name not in best or rank < best[name][0]:
            best[name] = (rank, [position])
        elif rank == best[name][0]:
            best[name][1].append(position)
    if "name" in best:  # a single name column wins over first- and last-name columns
        for part in NAME_PARTS:
            set_aside += best.pop(part, (0, []))[1]
    ambiguous: dict[str, tuple[int, ...]] = {}
    for name, (_rank, positions) in best.items():
        if len(positions) == 1:
            fields[positions[0]] = name
        else:
            ambiguous[name] = tuple(positions)
    return ColumnMapping(tuple(header), tuple(fields), ambiguous, tuple(sorted(set_aside)))


def choices_by_name(header: Sequence[str], choices: Mapping[str, str]) -> dict[int, str | None]:
    """``--map`` pairs (a header cell as written, or without case, spaces and punctuation; a field
    or ``ignore``) as positions for ``propose``; an unknown column or field, or one column given
    two fields ("Ref" and "ref"), is a ``MappingError``."""
    positions: dict[int, str | None] = {}
    for cell, name in choices.items():
        position, choice = _position(header, cell), field_choice(name)
        if position in positions and positions[position] != choice:
            raise MappingError(f"Column {header[position]!r} is mapped twice; map it once.")
        positions[position] = choice
    return positions


def choices_by_position(header: Sequence[str], choices: Sequence[str]) -> dict[int, str | None]:
    """The import page's choices, a field or ``ignore`` per column, as positions for ``propose``."""
    if len(choices) != len(header):
        raise MappingError(
            f"{len(choices)} choices for {len(header)} columns: the file changed; choose it again."
        )
    return {position: field_choice(name) for position, name in enumerate(choices)}


def field_choice(name: str) -> str | None:
    """A chosen field or name part, or None for ``ignore``; anything else is a ``MappingError``."""
    name = name.strip()
    if name.lower() == IGNORE:
        return None
    if name not in CHOICES:
        raise MappingError(
            f"{name!r} is not a field; fields are {', '.join(FIELDS)}, or {' and '.join(NAME_PARTS)} "
            f"for a name in two columns (or {IGNORE})."
        )
    return name


def _position(header: Sequence[str], cell: str) -> int:
    exact = [i for i, seen in enumerate(header) if seen.strip() == cell.strip()]
    loose = [i for i, seen in enumerate(header) if key(seen) == key(cell)]
    for found in (exact, loose):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise MappingError(f"The header has {cell!r} more than once; rename one of the columns.")
    raise MappingError(
        f"The header has no column {cell!r}; it has {', '.join(repr(seen) for seen in header)}."
    )
