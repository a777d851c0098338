"""bench/pii_eval.py scores a planted span that the text normalisation removes whole (an address in
angle brackets in a quoted e-mail header) as gone, instead of stopping the run (real spaCy model)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pii_eval():
    spec = importlib.util.spec_from_file_location("pii_eval", ROOT / "bench" / "pii_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_span_removed_by_normalisation_counts_as_redacted():
    text = "Still charged after I cancelled.\n\n> On Tue, 3 Nov 2026, Desk <a.lee@example.org> wrote:\n> Why?"
    r = _pii_eval().evaluate([{"text": text, "pii_spans": json.dumps(["a.lee@example.org"])}])
    assert r["planted"] == 1
    assert r["planted_redacted"] == 1


def test_span_missing_from_the_text_still_stops_the_run():
    with pytest.raises(ValueError, match="not in its text"):
        _pii_eval().evaluate([{"text": "Too dear.", "pii_spans": json.dumps(["b.kim@example.org"])}])
