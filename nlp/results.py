"""Plain result types returned by :func:`nlp.analyze` and the incremental assigner."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .memory import ThemeMemory


@dataclass
class ThemeResult:
    """One theme. ``size`` counts the answers that count toward it (main or secondary);
    ``quote_languages`` gives each quote's language (quotes stay in the words they were written in)."""

    id: str
    label: str
    keywords: list[str]
    category: str
    size: int
    quotes: list[str]
    sentiment: float
    is_new: bool
    main_size: int = 0
    category_score: float = 0.0
    parent: str = ""
    quote_languages: list[str] = field(default_factory=list)


@dataclass
class Assignment:
    """One input answer. ``theme_id`` is None only for non-answers; ``theme_ids`` main first;
    ``language`` is the detected ISO 639-1 code (``und`` when the answer has no words)."""

    id: str
    theme_id: str | None
    theme_ids: list[str]
    confidence: float
    redacted_text: str
    is_non_answer: bool
    sentiment: float
    root_cause: str | None = None
    root_causes: list[str] = field(default_factory=list)
    language: str = "en"


@dataclass
class RootCauseResult:
    """One root cause (a taxonomy key or ``emerging``): answers counting toward it (main or
    secondary), answers whose main cause it is, their share of all answered rows, its themes."""

    key: str
    name: str
    size: int
    main_size: int
    share: float
    theme_ids: list[str] = field(default_factory=list)


@dataclass
class AnalysisResult:
    """What :func:`nlp.analyze` returns."""

    themes: list[ThemeResult]
    assignments: list[Assignment]
    memory: ThemeMemory
    run: dict[str, Any] = field(default_factory=dict)
    root_causes: list[RootCauseResult] = field(default_factory=list)

    def theme(self, theme_id: str) -> ThemeResult | None:
        """The theme with ``theme_id`` (None if absent)."""
        return next((t for t in self.themes if t.id == theme_id), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready ``{"root_causes", "themes", "assignments", "run"}`` (the CLI's JSON format)."""
        return {
            "root_causes": [asdict(r) for r in self.root_causes],
            "themes": [asdict(t) for t in self.themes],
            "assignments": [asdict(a) for a in self.assignments],
            "run": self.run,
        }
