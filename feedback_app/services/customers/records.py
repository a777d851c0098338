"""One validation for departed-customer data, whatever door it came in by.

CSV rows, JSON bodies of the departures API and Stripe events are all turned into a plain
mapping of input fields first, then checked here field by field. Each problem names the input
field and says what is wrong, so a person can fix the row or request without guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from feedback_app.models import CHURN_TYPES, utcnow
from feedback_app.services.validation.email_addresses import InvalidEmail, check_email
from feedback_app.services.validation.languages import InvalidLanguage, check_language
from feedback_app.services.validation.text_input import clean_text, is_blank

#: The fields a CSV column or JSON key may name, in the documented order.
FIELDS: tuple[str, ...] = (
    "external_id",
    "email",
    "phone",
    "name",
    "company",
    "plan",
    "segment",
    "monthly_revenue",
    "lifetime_value",
    "tenure_months",
    "left_at",
    "churn_type",
    "contact_consent",
    "returned_at",
    "language",
    "locale",
)
REQUIRED: tuple[str, ...] = ("external_id", "email", "left_at")
MAX_CENTS = 2**31 - 1  # the model's Integer column
SOURCE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})
_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
#: A JSON number is written out fixed-point only up to this many digits either side of the point:
#: ``1e999999999`` in full is a gigabyte of zeros (5 s of CPU for an 11-byte body), and any amount
#: that long is refused anyway, so it is refused from its exponent instead.
_MAX_WRITTEN_DIGITS = 1000
#: An amount with a decimal comma, as European spreadsheets write it (``79,00``, ``1.234,50``): one or
#: two digits after the comma cannot be a thousands separator, so it means one thing. ``1,234`` could
#: be either and is refused.
_DECIMAL_COMMA = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+),(\d{1,2})$")
#: A day-first date with dots (``01.10.2026``, ``3.9.2026``), as German, Nordic and Eastern European
#: spreadsheets write dates; no locale writes the month first with dots. ``01/10/2026`` stays refused.
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
#: A phone number as people write one: digits with an optional leading +, spaces, dots, dashes,
#: slashes and brackets, and an extension ("x12", "ext. 12").
_PHONE = re.compile(r"^\+?[0-9 ().\-/]+(?: ?(?:x|ext\.?) ?[0-9]{1,6})?$", re.IGNORECASE)
#: How far ahead of today a file or the departures API may date a departure: a cancellation that
#: takes effect at the end of a paid period is at most a year away, further is a mistyped year.
#: Billing webhooks pass no limit: the provider knows when the period ends.
MAX_DAYS_AHEAD = 365


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (``field`` is None for the record as a whole)."""

    field: str | None
    message: str


#: Words of a company's own keys (plans, segments, sources) that people write in capitals.
DATA_ACRONYMS = {
    w.lower(): w
    for w in "SMB SME B2B B2C SaaS API CSV CRM ERP EU US UK EMEA APAC LATAM ANZ DACH SSO VIP".split()
}
#: Compounds that read with a hyphen once the underscore is gone ("mid_market" is "Mid-market").
DATA_COMPOUNDS = {"mid market": "mid-market", "self serve": "self-serve", "pay as you go": "pay-as-you-go"}


def data_words(value: str | None) -> str:
    """A value from the company's own data (a plan, a segment, an import source) for reading, the
    same on every page (the dashboard's ``data_words`` filter).

    A value the company wrote with capitals stays as written, underscores as spaces ("SMB",
    "Pro Annual"). An all-lower-case value is a stored key, so it reads as words: capitalised,
    acronyms in capitals and compounds hyphenated ("smb" -> "SMB", "mid_market" -> "Mid-market",
    "self_serve_consumer" -> "Self-serve consumer", "pro_annual" -> "Pro annual").
    """
    if not value or not value.strip():
        return "–"
    words = " ".join(value.replace("_", " ").split())
    if words != words.lower():
        return words
    for compound, written in DATA_COMPOUNDS.items():
        words = re.sub(rf"\b{compound}\b", written, words)
    words = re.sub(r"[a-z0-9]+", lambda m: DATA_ACRONYMS.get(m.group(), m.group()), words)
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class CustomerRecord:
    """A validated departed customer; ``provided`` names the model columns the input gave.

    Columns the input did not give keep their stored value on update (and the model default on
    create), so a CSV without a ``plan`` column never wipes plans already known.
    """

    source: str
    external_id: str
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    company: str | None = None
    plan: str | None = None
    segment: str | None = None
    monthly_revenue_cents: int | None = None
    lifetime_value_cents: int | None = None
    tenure_months: int | None = None
    left_at: date | None = None
    churn_type: str | None = None
    contact_consent: bool = False
    returned_at: date | None = None
    language: str | None = None
    provided: frozenset[str] = field(default_factory=frozenset)

    def column_values(self) -> dict[str, Any]:
        """The model columns this record sets, with their values."""
        return {column: getattr(self, column) for column in self.provided}


class FieldProblem(ValueError):
    """Raised by a field parser; the message is shown to the user as is."""


def _text(max_length: int) -> Callable[[Any], str | None]:
    """A single-line text field; control characters removed (``services/validation/text_input.py``)."""

    def parse(value: Any) -> str | None:
        if is_blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise FieldProblem("must be text")
        text = clean_text(str(value), multiline=False).strip()
        if len(text) > max_length:
            raise FieldProblem(f"is {len(text)} characters long; at most {max_length} allowed")
        return text

    return parse


def _email(value: Any) -> str | None:
    if is_blank(value):
        return None
    try:
        return check_email(value)
    except InvalidEmail as problem:
        raise FieldProblem(str(problem)) from None


def _phone(value: Any) -> str | None:
    """A phone number kept as written (spacing tidied), 6 to 20 digits."""
    if is_blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise FieldProblem("must be a phone number written as text, e.g. +1 555 201 3344")
    text = " ".join(clean_text(str(value), multiline=False).split())
    digits = sum(character in "0123456789" for character in text)
    if len(text) > 40 or not _PHONE.match(text) or not 6 <= digits <= 20:
        raise FieldProblem(f"{text[:40]!r} is not a phone number; write it like +1 555 201 3344")
    return text


def provider_phone(value: Any) -> str | None:
    """A billing provider's phone field if it reads as a phone number, else None: the provider's
    free-form field must not cost the departure (a CSV or API value is checked strictly)."""
    try:
        return _phone(value)
    except FieldProblem:
        return None


def _refuse_unwritable(number: Decimal) -> NoReturn:
    """The problem with a number too long to write out (see ``_MAX_WRITTEN_DIGITS``), named as
    :func:`_money` names it for a shorter one: negative, too large, or too many decimals."""
    shown = str(number)  # 1E+999999999
    if number.is_signed():  # as the text "-…" of a shorter one is
        raise FieldProblem(f"is negative ({shown}); amounts must be 0 or more")
    if number.adjusted() > 0:
        raise FieldProblem(f"{shown} is too large (at most {MAX_CENTS / 100:.2f})")
    raise FieldProblem(f"{shown!r} has more than 2 decimal places")


def _money(value: Any) -> int | None:
    """Currency units (``79``, ``79.5``, ``79.00``, or with a decimal comma ``79,00``) to integer
    cents, exactly."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise FieldProblem("must be an amount such as 79.00")
    if isinstance(value, (int, Decimal, float)):
        number = Decimal(str(value))
        if number.is_finite() and abs(number.adjusted()) > _MAX_WRITTEN_DIGITS:
            if not (number.is_zero() and number.adjusted() > 0):
                _refuse_unwritable(number)
            number = Decimal(0).copy_sign(number)  # 0E+999999999 is 0, written out as one zero
        # fixed-point, as a person writes it: 1e20 is "100000000000000000000", not "1E+20"
        text = format(number, "f") if number.is_finite() else str(number)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise FieldProblem("must be an amount such as 79.00")
    if text.startswith("-"):
        raise FieldProblem(f"is negative ({text}); amounts must be 0 or more")
    if "," in text:
        european = _DECIMAL_COMMA.match(text)
        if european is None:
            raise FieldProblem(
                f"{text!r}: write amounts with a point for decimals and no thousands separator, e.g. 1234.50"
                " (a decimal comma with one or two decimals, 1234,50, is read too)"
            )
        text = f"{european[1].replace('.', '')}.{european[2]}"
    if not _MONEY.match(text):
        try:
            parsed: Decimal | None = Decimal(text)
        except InvalidOperation:
            parsed = None
        exponent = parsed.as_tuple().exponent if parsed is not None and parsed.is_finite() else None
        if isinstance(exponent, int) and exponent < -2 and re.fullmatch(r"\d*\.\d+", text):
            raise FieldProblem(f"{text!r} has more than 2 decimal places")
        # NaN, Infinity, 1e3, +79: not "too many decimals", which sent people looking for them
        raise FieldProblem(f"{text!r} is not a number; write an amount such as 79.00")
    shown = text if len(text) <= 24 else f"{text[:20]}… ({len(text)} characters)"
    if len(text.split(".")[0].lstrip("0")) > len(str(MAX_CENTS // 100)):
        # before Decimal arithmetic, which overflows on the hundreds of digits a JSON float can give
        raise FieldProblem(f"{shown} is too large (at most {MAX_CENTS / 100:.2f})")
    cents = int(Decimal(text) * 100)
    if cents > MAX_CENTS:
        raise FieldProblem(f"{shown} is too large (at most {MAX_CENTS / 100:.2f})")
    return cents


def _whole_number(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise FieldProblem("must be a whole number of months")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        number = int(value.strip())
    else:
        shown = repr(value) if isinstance(value, str) else str(value)  # 12.5, not Decimal('12.5')
        raise FieldProblem(f"{shown} is not a whole number of months")
    if number < 0:
        raise FieldProblem(f"is negative ({number}); must be 0 or more")
    if number > 1200:
        raise FieldProblem(f"{number} months is not plausible (at most 1200)")
    return number


def _date(value: Any) -> date | None:
    """An ISO date (``2026-10-01``) or a day-first dotted one (``01.10.2026``); a full ISO timestamp
    is accepted and cut to its date."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise FieldProblem("must be a date written as YYYY-MM-DD")
    text = value.strip()
    try:
        if dotted := _DOTTED_DATE.match(text):
            parsed = date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
        else:
            parsed = date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text).date()
    except ValueError:
        raise FieldProblem(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-10-01") from None
    if parsed.year < 1970:
        raise FieldProblem(f"{text} is before 1970; check the year")
    return parsed


def _churn_type(value: Any) -> str | None:
    if is_blank(value):
        return None
    text = str(value).strip().lower()
    if text not in CHURN_TYPES:
        raise FieldProblem(f"{value!r} is not a known churn type; use {' or '.join(CHURN_TYPES)}")
    return text


def _consent(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise FieldProblem(f"{value!r} is not yes or no")


def _language(value: Any) -> str | None:
    """``es``, ``pt-BR``, ``de_DE``: stored as the primary language (``pt``)."""
    if is_blank(value):
        return None
    try:
        return check_language(value)
    except InvalidLanguage as problem:
        raise FieldProblem(str(problem)) from None


# input field -> (model column, parser); ``locale`` is another name for ``language``
_PARSERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "external_id": ("external_id", _text(128)),
    "email": ("email", _email),
    "phone": ("phone", _phone),
    "name": ("name", _text(200)),
    "company": ("company", _text(200)),
    "plan": ("plan", _text(100)),
    "segment": ("segment", _text(100)),
    "monthly_revenue": ("monthly_revenue_cents", _money),
    "lifetime_value": ("lifetime_value_cents", _money),
    "tenure_months": ("tenure_months", _whole_number),
    "left_at": ("left_at", _date),
    "churn_type": ("churn_type", _churn_type),
    "contact_consent": ("contact_consent", _consent),
    "returned_at": ("returned_at", _date),
    "language": ("language", _language),
    "locale": ("language", _language),
}


def check_source(source: str) -> str:
    """A source name (``csv``, ``stripe``, ``crm-eu``): lowercase letters, digits, ``_ . -``."""
    if not isinstance(source, str) or not SOURCE_PATTERN.match(source):
        raise FieldProblem(
            f"{source!r} is not a valid source name; use up to 64 lowercase letters, digits, '_', '.' or '-'"
        )
    return source


def parse_record(
    raw: Mapping[str, Any],
    *,
    source: str,
    required: tuple[str, ...] = REQUIRED,
    days_ahead: int | None = MAX_DAYS_AHEAD,
) -> tuple[CustomerRecord | None, list[FieldError]]:
    """Check one customer given as input fields; the record, or None and every problem found.

    ``left_at`` may be at most ``days_ahead`` days after today (None: any day, for billing
    providers' scheduled cancellations); nobody is invited before that day either way.
    """
    required = tuple(dict.fromkeys(("external_id", *required)))  # the upsert key is never optional
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for name in raw:
        if name not in _PARSERS:
            errors.append(FieldError(name, f"unknown field; known fields: {', '.join(FIELDS)}"))
    for name, (column, parser) in _PARSERS.items():
        if name not in raw:
            if name in required:
                errors.append(FieldError(name, "is required"))
            continue
        try:
            parsed = parser(raw[name])
        except FieldProblem as problem:
            errors.append(FieldError(name, str(problem)))
            continue
        if parsed is None and name in required:
            errors.append(FieldError(name, "is required but empty"))
            continue
        if column in values and values[column] != parsed:
            errors.append(FieldError(name, f"{parsed!r} contradicts language {values[column]!r}; give one"))
            continue
        values[column] = parsed
    left, returned = values.get("left_at"), values.get("returned_at")
    if left and days_ahead is not None and left > (latest := utcnow().date() + timedelta(days=days_ahead)):
        errors.append(
            FieldError(
                "left_at",
                f"{left.isoformat()} is more than {days_ahead} days from today (the latest allowed is "
                f"{latest.isoformat()}); check the year",
            )
        )
    if left and returned and returned < left:
        errors.append(
            FieldError("returned_at", f"{returned.isoformat()} is before left_at {left.isoformat()}")
        )
    if errors:
        return None, errors
    external_id = values.pop("external_id")
    return CustomerRecord(source=source, external_id=external_id, provided=frozenset(values), **values), []


#: How much of a row's identifying value an error shows: enough to search the file for it.
IDENTITY_CHARS = 80


def row_identity(
    fields: Mapping[str, Any], names: tuple[str, ...] = ("external_id", "email")
) -> tuple[str, str] | None:
    """The value a person searches a file for to find a row: the first of ``names`` it has (its
    ``external_id``, else its ``email``), as written less control characters and clipped, with the
    column it came from; None when it has none. A line number alone points at the wrong row once
    the file is sorted or filtered in Excel."""
    for name in names:
        value = fields.get(name)
        text = clean_text(value, multiline=False).strip() if isinstance(value, str) else ""
        if text:
            clipped = text if len(text) <= IDENTITY_CHARS else text[: IDENTITY_CHARS - 1] + "\u2026"
            return name, clipped
    return None
