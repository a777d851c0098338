"""The app's side of the ``nlp`` boundary: its settings as a pipeline config, theme memory as JSON.

``nlp`` is imported only where a run or an assignment needs it: importing it pulls in spaCy,
seconds a page view should not pay.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:
    from nlp import PipelineConfig, ThemeMemory


def pipeline_config() -> PipelineConfig:
    """The ``nlp.PipelineConfig`` built from the app's settings."""
    import nlp

    return nlp.PipelineConfig(
        embedding_model=current_app.config["EMBEDDING_MODEL"],
        spacy_model=current_app.config["SPACY_MODEL"],
        device=current_app.config["NLP_DEVICE"],
        backend=current_app.config["NLP_BACKEND"],
        cache_dir=Path(current_app.config["NLP_CACHE_DIR"]),
        taxonomy_path=None,
        keep_names=list(current_app.config["KEEP_NAMES"]),
        company_names=[current_app.config["COMPANY_NAME"]],
    )


def pipeline_available() -> bool:
    """True when the ``nlp`` package is installed."""
    try:  # find, don't import
        return importlib.util.find_spec("nlp") is not None
    except (ImportError, ValueError):
        return False


def memory_to_json(memory: ThemeMemory | None) -> dict[str, Any] | None:
    """The pipeline's theme memory as the JSON kept on ``AnalysisRun.memory``."""
    return None if memory is None else memory.to_dict()


def memory_from_json(data: dict[str, Any] | None) -> ThemeMemory | None:
    """The theme memory kept on a run (None when the run kept none)."""
    if not data:
        return None
    import nlp

    return nlp.ThemeMemory.from_dict(data)
