"""Which column of an uploaded file is which customer field, as hosted import tools propose it.

Billing and CRM tools export their own column names ("Customer ID", "Canceled At (UTC)", "MRR").
The proposal takes a header cell that names a field exactly first, then one from a small, plain
alias table (compared without case, spaces or punctuation: "Customer_ID", "customer id" and
"CustomerID" are one name). No fuzzy matching: a column the table does not know is ignored and
listed as ignored, and a person maps it on the import page or with ``--map``. The one error is a
required field that no column gives (or two columns that give it equally well).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from feedback_app.services.customers.records import FIELDS, REQUIRED

#: What a person chooses for a column that should not be read.
IGNORE = "ignore"
#: The most columns the import page's mapping step takes (a Stripe customers export has about 50).
MAX_COLUMNS = 500

#: Other tools' names for our fields, best first; exact field names always come before these.
#: Stripe (customers and subscriptions exports), Chargebee, Paddle, HubSpot and Salesforce reports.
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("customer id", "account id", "record id", "user id", "client id", "id"),
    "email": ("email address", "customer email", "contact email"),
    "phone": ("phone number", "telephone", "customer phone", "mobile"),
    "name": ("full name", "customer name", "contact name"),
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
_NAMES: dict[str, tuple[str, int]] = {key(name): (name, 0) for name in FIELDS}
for _field, _aliases in ALIASES.items():
    for _rank, _alias in enumerate(_aliases, start=1):
        _NAMES.setdefault(key(_alias), (_field, _rank))


class MappingError(ValueError):
    """The header and the chosen mapping leave a field unreadable; the message names it and the header."""


@dataclass(frozen=True)
class ColumnMapping:
    """The file's header as written and, column by column, the field read from it (None: ignored)."""

    header: tuple[str, ...]
    fields: tuple[str | None, ...]
    #: Fields two or more columns name equally well, with those columns' positions: none is read.
    ambiguous: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def ignored(self) -> list[str]:
        """The header cells read as no field."""
        return [cell for cell, name in zip(self.header, self.fields, strict=True) if name is None]

    @property
    def missing(self) -> list[str]:
        """Required fields no column gives."""
        return [name for name in REQUIRED if name not in self.fields]

    def column_of(self, name: str) -> str | None:
        """The header cell a field is read from, as written."""
        return self.header[self.fields.index(name)] if name in self.fields else None

    def describe(self) -> list[str]:
        """One line per column: ``'Customer ID' -> external_id`` or ``'Card Last4' -> ignored``."""
        return [
            f"{cell!r} -> {name or 'ignored'}" for cell, name in zip(self.header, self.fields, strict=True)
        ]

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
    best: dict[str, tuple[int, list[int]]] = {}
    for position, cell in enumerate(header):
        if position in chosen or key(cell) not in _NAMES:
            continue
        name, rank = _NAMES[key(cell)]
        if name in fields:
            continue  # a chosen column gives it
        if name not in best or rank < best[name][0]:
            best[name] = (rank, [position])
        elif rank == best[name][0]:
            best[name][1].append(position)
    ambiguous: dict[str, tuple[int, ...]] = {}
    for name, (_rank, positions) in best.items():
        if len(positions) == 1:
            fields[positions[0]] = name
        else:
            ambiguous[name] = tuple(positions)
    return ColumnMapping(tuple(header), tuple(fields), ambiguous)


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
    """A chosen field name, or None for ``ignore``; anything else is a ``MappingError``."""
    name = name.strip()
    if name.lower() == IGNORE:
        return None
    if name not in FIELDS:
        raise MappingError(f"{name!r} is not a field; fields are {', '.join(FIELDS)} (or {IGNORE}).")
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
