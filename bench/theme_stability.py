"""Themes after a CX team's corrections: how many answers change theme on the next run.

Runs the demo company's answers (``feedback_app/demo/data/answers.yaml``, what ``make run``
analyses) once with fresh theme memory, then again with two hand corrections, twice from the same
memory: as shipped (each root cause keeps last run's number of themes while it still fits,
``ThemeMemory.theme_counts``) and with the counts cleared (the earlier behaviour, the baseline).
Prints themes per root cause and the answers whose theme changed. A third run with no correction
checks that a plain re-run changes nothing.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/theme_stability.py [--corrections N]
"""

from __future__ import annotations

import argparse
import collections
import copy
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp import PipelineConfig, ThemeMemory, analyze  # noqa: E402
from nlp.results import AnalysisResult  # noqa: E402


def demo_answers() -> list[str]:
    """The demo's free-text reasons, in file order."""
    rows = yaml.safe_load((ROOT / "feedback_app/demo/data/answers.yaml").read_text(encoding="utf-8"))
    return [r["what_happened"] for r in rows if r.get("what_happened")]


def per_cause(result: AnalysisResult) -> dict[str, int]:
    """Number of themes in each root cause."""
    return dict(sorted(collections.Counter(t.category for t in result.themes).items()))


def moved(before: AnalysisResult, after: AnalysisResult) -> int:
    """Answers whose main theme id differs between two runs."""
    old = {a.id: a.theme_id for a in before.assignments}
    return sum(old.get(a.id) != a.theme_id for a in after.assignments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corrections", type=int, default=2, help="answers moved by hand (default 2)")
    args = parser.parse_args()
    if args.corrections < 1:
        parser.error("--corrections must be 1 or more")
    texts = demo_answers()
    config = PipelineConfig(cache_dir=Path(tempfile.mkdtemp(prefix="afterword-stability-")))
    first = analyze(texts, config=config, memory=ThemeMemory())
    # move the first answers of the first themed answers to another cause, as a CX user would
    causes = sorted({t.category for t in first.themes})
    themed = [a for a in first.assignments if a.root_cause][: args.corrections]
    corrections = [
        (texts[int(a.id)], next(c for c in causes if c not in (a.root_cause, "emerging"))) for a in themed
    ]
    rerun = analyze(texts, config=config, memory=copy.deepcopy(first.memory))
    shipped = analyze(texts, config=config, memory=copy.deepcopy(first.memory), corrections=corrections)
    cleared = copy.deepcopy(first.memory)
    cleared.theme_counts = {}
    baseline = analyze(texts, config=config, memory=cleared, corrections=corrections)
    print(f"{len(texts)} demo answers; corrections: {corrections}")
    print(f"first run: {len(first.themes)} themes {per_cause(first)}")
    print(f"re-run, no correction: answers that changed theme {moved(first, rerun)}")
    for name, result in (("counts kept (shipped)", shipped), ("counts cleared (baseline)", baseline)):
        print(f"{name}: {len(result.themes)} themes, answers that changed theme {moved(first, result)}")
        print(f"    {per_cause(result)}")


if __name__ == "__main__":
    main()
