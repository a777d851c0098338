"""Afterword NLP: free-text exit reasons to root-cause themes.

Stands alone (never imports Flask or the app). Main entry points::

    from nlp import PipelineConfig, analyze, IncrementalAssigner, ThemeMemory, redact, is_non_answer
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .config import PipelineConfig
from .memory import ThemeMemory
from .non_answers import is_non_answer
from .results import AnalysisResult, Assignment, ThemeResult

__all__ = [
    "PipelineConfig",
    "analyze",
    "IncrementalAssigner",
    "ThemeMemory",
    "redact",
    "is_non_answer",
    "AnalysisResult",
    "Assignment",
    "ThemeResult",
]


if TYPE_CHECKING:  # the type checker sees the real signatures; importing nlp stays light
    from .assign import IncrementalAssigner
    from .pipeline import analyze
else:

    def analyze(*args, **kwargs):
        """Turn answers into themes; see :func:`nlp.pipeline.analyze` (imported lazily).

        The first call in a process imports the pipeline's libraries (spaCy, which brings thinc
        and torch, scikit-learn, SciPy: about 4 s on two cores); that time is reported as
        ``run["timings"]["import_s"]`` (0 on later calls), outside ``total_s``."""
        started = time.perf_counter()
        from .pipeline import analyze as _analyze

        imported = time.perf_counter() - started
        result = _analyze(*args, **kwargs)
        result.run["timings"]["import_s"] = round(imported, 3)
        return result


def redact(text: str, spacy_model: str = "en_core_web_sm") -> str:
    """Normalise ``text`` and replace personal data with typed placeholders
    (``[PERSON] [EMAIL] [PHONE] [ACCOUNT] [CARD] [ADDRESS] [URL] [DATE] [IP]``)."""
    from .models import load_spacy

    return load_spacy(spacy_model)(text or "")._.redacted


def __getattr__(name: str) -> Any:  # lazy: importing nlp must not load torch/BERTopic
    if name == "IncrementalAssigner":
        from .assign import IncrementalAssigner

        return IncrementalAssigner
    raise AttributeError(name)
