"""What interviews, tickets and portal reasons say about a theme, quoted with where it was said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel import Locale
from flask_babel import get_locale
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.i18n import N_
from feedback_app.models import Conversation, DepartedCustomer, Theme
from feedback_app.services.conversations import analysis_feed
from feedback_app.services.insights import assignment, theme_detail
from nlp.languages import DEFAULT as DEFAULT_LANGUAGE
from nlp.languages import SHIPPED, UNDETERMINED, detect_language

SOURCE_NAMES = {
    "survey": N_("Survey answer"),
    "billing_portal": N_("Billing-portal reason"),
    "interview": N_("Exit interview"),
    "ticket": N_("Support ticket"),
}
QUOTE_CHARS = 400
#: Languages a quote's tag may name: the survey languages and the neighbours customers of European
#: businesses also write in (restricted so a short quote is not taken for a rare language).
QUOTE_LANGUAGES = (*SHIPPED, "it", "nl")


@dataclass
class Quote:
    source: str
    text: str
    on: date
    by: str | None = None
    #: How many of the theme's conversations say this word for word (the newest is the one shown).
    count: int = 1

    @property
    def source_name(self) -> str:
        return SOURCE_NAMES[self.source]


def for_theme(theme: Theme, limit: int = 10) -> list[Quote]:
    """Up to ``limit`` texts of conversations whose main theme is ``theme`` (merged themes included),
    newest first; identical texts (spacing aside) are one quote, the newest, with their count."""
    rows = db.session.execute(
        select(
            Conversation.id,
            Conversation.kind,
            Conversation.redacted_text,
            Conversation.opened_at,
            Conversation.interviewer,
        )
        .join(DepartedCustomer, Conversation.customer_id == DepartedCustomer.id)
        .where(DepartedCustomer.erased_at.is_(None), Conversation.redacted_text.is_not(None))
        .order_by(Conversation.opened_at.desc())
    ).all()
    themes = analysis_feed.current_themes([r.id for r in rows])
    quotes: dict[str, Quote] = {}
    for cid, kind, text, opened, interviewer in rows:
        found = themes.get(cid)
        if found is None or found.id != theme.id or text is None:  # the query leaves out no-text ones
            continue
        key = theme_detail.same_text_key(text)
        if key in quotes:
            quotes[key].count += 1
            continue
        if len(quotes) >= limit:
            continue  # still counted above: a later copy of a shown text adds to its count
        short = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
        quotes[key] = Quote(kind, short, opened.date(), interviewer if kind == "interview" else None)
    return list(quotes.values())


@dataclass
class LabelledQuote:
    """A theme's quote as written (never translated), where it was said, and its language."""

    text: str
    source_name: str
    language: str
    #: How many of the theme's answers say this word for word.
    count: int = 1

    @property
    def language_name(self) -> str:
        """The language's name in the page's language ("Spanish"), from Babel's locale data."""
        return str(Locale.parse(self.language).get_display_name(get_locale() or "en"))

    @property
    def foreign(self) -> bool:
        """Worth a tag: written in a language other than the dashboard's English."""
        return self.language not in (DEFAULT_LANGUAGE, UNDETERMINED)


def labelled(theme: Theme) -> list[LabelledQuote]:
    """The theme's quotes from the answers it holds now (:func:`theme_detail.current_quotes`), each with where it was said and the language it was written in: a
    quote found in one of the theme's conversations names that source, every other quote is a
    survey answer. The language is detected here rather than stored: quotes are rewritten by
    splits, merges and erasure, and detecting five short texts costs well under a millisecond."""
    voices = db.session.execute(
        select(Conversation.id, Conversation.kind, Conversation.redacted_text).where(
            Conversation.redacted_text.is_not(None)
        )
    ).all()
    themes = analysis_feed.current_themes([v.id for v in voices]) if voices else {}
    mine = [
        (kind, text)
        for cid, kind, text in voices
        if text is not None and cid in themes and themes[cid].id == theme.id
    ]
    held = assignment.current_assignments()
    shown = theme_detail.current_quotes(theme, held)
    out = []
    for quote, count in zip(shown, theme_detail.quote_counts(theme, shown, held), strict=True):
        needle = " ".join(str(quote).split())
        kind = next((k for k, text in mine if needle and needle in " ".join(text.split())), "survey")
        out.append(
            LabelledQuote(str(quote), SOURCE_NAMES[kind], detect_language(str(quote), QUOTE_LANGUAGES), count)
        )
    return out
