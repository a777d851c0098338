"""Benchmark: this checkout's ``nlp.parallel.in_halves`` against another checkout's, interleaved in
one process on the classify stage's two largest splits, so the machine's load hits both alike.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/in_halves_ab.py OTHER_CHECKOUT [--calls 10]
        [--data ../shared/datasets/banking77]

The work: the real n-gram head's ``text_proba`` and the ``says_nothing`` rule (as
``causes.classify_answers`` runs it) over the first 16,681 of ``bench/analysis_scale.py``'s
answers, the number a 20,000-answer run gives the head. Each call's result is checked against
one call on the whole list. Prints, per work and side, the median and fastest wall time and the
median CPU (this process and the ended children).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parallel_module(name: str, checkout: Path) -> ModuleType:
    """``nlp/parallel.py`` of ``checkout`` as a module of its own (it imports only the standard
    library and numpy)."""
    spec = importlib.util.spec_from_file_location(name, checkout / "nlp" / "parallel.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no nlp/parallel.py in {checkout}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cpu_now() -> float:
    """CPU seconds of this process and of its ended children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("other", type=Path, help="the other checkout (its nlp/parallel.py is compared)")
    parser.add_argument("--calls", type=int, default=10, help="calls per work and side (default 10)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets" / "banking77")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from analysis_scale import make_answers

    from nlp import PipelineConfig
    from nlp.heads import root_cause_classifier
    from nlp.models import load_encoder
    from nlp.non_answers import names_a_reason, says_nothing

    sides = {
        "other": parallel_module("other_parallel", args.other),
        "this": parallel_module("this_parallel", ROOT),
    }
    config = PipelineConfig(taxonomy_guidance=0)
    head = root_cause_classifier(config, load_encoder(config.embedding_model, config.device, config.backend))
    texts = make_answers(args.data, 20_000)[0][:16_681]
    works: dict[str, Callable[[list[str]], Any]] = {
        "text_proba": head.text_proba,
        "says_nothing": lambda rows: [says_nothing(t) and not names_a_reason(t) for t in rows],
    }
    whole = {name: fn(texts) for name, fn in works.items()}
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for call in range(args.calls):
        for side in ("other", "this") if call % 2 == 0 else ("this", "other"):
            for name, fn in works.items():
                t, c = time.perf_counter(), cpu_now()
                got = sides[side].in_halves(fn, texts)
                times.setdefault((side, name), []).append((time.perf_counter() - t, cpu_now() - c))
                same = np.array_equal(got, whole[name]) if isinstance(got, np.ndarray) else got == whole[name]
                if not same:
                    raise SystemExit(f"{side} {name}: the halves differ from one call on the whole list")
    for name in works:
        for side in ("other", "this"):
            runs = np.array(times[(side, name)])
            print(
                f"{name:13s} {side:5s} wall median {np.median(runs[:, 0]):.3f} s "
                f"(fastest {runs[:, 0].min():.3f}), CPU median {np.median(runs[:, 1]):.3f} s, {len(runs)} calls"
            )
    print("load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
