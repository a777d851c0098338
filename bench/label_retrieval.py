"""Theme labels on the dev files: label -> theme retrieval, labels passing the check, duplicates.

Runs ``nlp.analyze`` on each file and embeds each theme's label with the pipeline's encoder; a
label is *retrieved* when the nearest theme centroid (mean of its main answers' vectors, among the
run's themes) is its own theme's. Also prints each theme's cause and label, and a digest of the
root causes (labels must not change classification).

    .venv/bin/python bench/label_retrieval.py bench/data/devset.csv [...] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def retrieval(labels: list[str], members: list[list[str]], encoder: object, cache: object = None) -> int:
    """How many ``labels`` have their own theme's centroid (mean vector of its ``members``
    texts) as the nearest among all themes'."""
    from nlp.embeddings import embed_texts

    keep = [j for j, m in enumerate(members) if m]
    if len(keep) < 2:
        return len(keep)
    cents = []
    for j in keep:
        vecs, _ = embed_texts(members[j], encoder, cache)  # type: ignore[arg-type]
        c = vecs.mean(0)
        cents.append(c / (np.linalg.norm(c) or 1.0))
    lab, _ = embed_texts([labels[j] for j in keep], encoder, cache)  # type: ignore[arg-type]
    nearest = np.argmax(lab @ np.stack(cents).T, axis=1)
    return int(sum(int(n) == i for i, n in enumerate(nearest)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="also write the labels here")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from nlp import PipelineConfig, analyze
    from nlp.cache import Cache
    from nlp.heads import current_taxonomy
    from nlp.label_checks import label_check
    from nlp.models import load_encoder, load_tagger

    config = PipelineConfig(cache_dir=Path(os.environ.get("NLP_CACHE_DIR", "/tmp/afterword-label-cache")))
    taxonomy, tagger = current_taxonomy(config), load_tagger(config.spacy_model)
    encoder = load_encoder(config.embedding_model, config.device, config.backend)
    out = {}
    for path in args.files:
        with path.open(encoding="utf-8", newline="") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
        t = time.perf_counter()
        result = analyze(texts, config=config)
        wall = time.perf_counter() - t
        members: dict[str, list[str]] = {}
        for a in result.assignments:
            if a.theme_id is not None and not a.is_non_answer:
                members.setdefault(a.theme_id, []).append(a.redacted_text)
        themes = result.themes
        labels = [th.label for th in themes]
        hit = retrieval(labels, [members.get(th.id, []) for th in themes], encoder, Cache(config.cache_dir))
        passing = sum(label_check(th.label, th.category, taxonomy, tagger) for th in themes)
        dups = len(labels) - len({x.lower() for x in labels})
        causes = hashlib.sha1(
            json.dumps([(a.root_cause, a.root_causes, a.is_non_answer) for a in result.assignments]).encode()
        ).hexdigest()[:10]
        describe = result.run["timings"]["describe_s"]
        print(
            f"**{path.name}**: themes {len(themes)}; retrieved {hit}/{len(themes)}; pass {passing}; "
            f"dup {dups}; causes {causes}; describe_s {describe:.2f}; total {wall:.1f}s"
        )
        for th in themes:
            print(f"  {th.category:22} {th.size:4} {th.label:45} {th.keywords[:4]}")
        out[path.name] = {
            "retrieved": hit,
            "themes": len(themes),
            "pass": passing,
            "dup": dups,
            "causes": causes,
            "describe_s": describe,
            "labels": [(th.category, th.size, th.label, th.keywords[:5]) for th in themes],
            "answers": [th.quotes[:4] for th in themes],  # for bench/label_panel.py
        }
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
