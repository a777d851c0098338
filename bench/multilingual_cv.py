"""Cross-validation of the multilingual head on the bank's own answers in other languages.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual_cv.py [--folds 5] [--languages de,es,fr,pt]

The dev split's answers in other languages are few (27 per language) and were largely learnt by
earlier rounds of the bank (German 100%), so they cannot tell two variants of the head apart.
This splits the bank's es/de/fr/pt rows (by text, stratified by language and cause) into folds;
for each fold the head (``nlp.multilingual.MultilingualHead.fit``, the English rows and the other
folds) is trained and the held-out rows go through the same cause calls as a run's answers
(``nlp.multilingual.classify_other``: clauses, ``emerging``, non-answer rules). It prints, per
language, main-cause accuracy over rows with a cause, non-answers caught, and the causes most
often confused. Bank rows written in rounds resemble each other, so the figures are optimistic;
they are for comparing variants, not for reporting accuracy.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import warnings
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.cache import Cache  # noqa: E402
from nlp.classifier import DEFAULT_BANK, default_cache_dir, training_examples  # noqa: E402
from nlp.embeddings import example_vectors  # noqa: E402
from nlp.models import load_encoder  # noqa: E402
from nlp.multilingual import USE_MODEL, MultilingualHead, classify_other  # noqa: E402
from nlp.pipeline import current_taxonomy  # noqa: E402

NON_ANSWER = "non_answer"


def bank_languages(path: Path) -> dict[str, str]:
    """Each bank text's labelled language."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["text"]: row.get("language") or "en" for row in csv.DictReader(handle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--languages", default="de,es,fr,pt")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong rows per language")
    parser.add_argument(
        "--dump", type=Path, help="write each held-out row's two heads' probabilities here (.npz)"
    )
    args = parser.parse_args()
    wanted = args.languages.split(",")
    config = PipelineConfig()
    taxonomy = current_taxonomy(config)
    examples = training_examples(taxonomy, config.example_bank)
    language_of = bank_languages(Path(config.example_bank or DEFAULT_BANK))
    use = load_encoder(USE_MODEL)
    cache = Cache(default_cache_dir())
    use_vecs = example_vectors([e.text for e in examples], len(examples), use, cache, config.batch_size)
    # the held-out unit is a text (a row with a second cause is two examples)
    texts = sorted({e.text for e in examples if language_of.get(e.text, "en") in wanted})
    first = {}
    for e in examples:
        first.setdefault(e.text, e.category)
    strata = [f"{language_of[t]}:{first[t]}" for t in texts]
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    settings = (config.classifier_c, config.text_classifier_c, config.text_weight)
    gold: dict[str, str] = {}
    pred: dict[str, str] = {}
    parts: dict[str, list] = {"text": [], "meaning": [], "words": []}
    for k, (_, test) in enumerate(folds.split(texts, strata)):
        held = {texts[i] for i in test}
        keep = [i for i, e in enumerate(examples) if e.text not in held]
        head = MultilingualHead.fit(
            [examples[i] for i in keep],
            use_vecs[keep],
            use_vecs[keep],  # the proxy anchors are not scored here
            np.zeros(len(keep), dtype=np.float32),
            settings,
        )
        rows = sorted(held)
        at = {e.text: i for i, e in enumerate(examples)}
        calls = classify_other(
            head, use, use_vecs[[at[t] for t in rows]], rows, [language_of[t] for t in rows], config, taxonomy
        )
        vecs = use_vecs[[at[t] for t in rows]]
        parts["text"].extend(rows)
        parts["meaning"].append(head.classifier.embedding_head.predict_proba(vecs))
        parts["words"].append(head.classifier.text_proba(rows))
        for t, call in zip(rows, calls, strict=True):
            gold[t] = first[t]
            pred[t] = NON_ANSWER if call.non_answer else call.main
        print(f"fold {k + 1}/{args.folds} done", flush=True)
    print("\n| language | rows with a cause | accuracy | non-answers caught | most confused |")
    print("| --- | --- | --- | --- | --- |")
    total = Counter[str]()
    for lang in wanted:
        mine = [t for t in gold if language_of[t] == lang]
        real = [t for t in mine if gold[t] != NON_ANSWER]
        na = [t for t in mine if gold[t] == NON_ANSWER]
        right = sum(pred[t] == gold[t] for t in real)
        total["n"] += len(real)
        total["right"] += right
        confused = Counter(f"{gold[t]}->{pred[t]}" for t in real if pred[t] != gold[t]).most_common(3)
        print(
            f"| {lang} | {len(real)} | {right / max(1, len(real)):.1%} | "
            f"{sum(pred[t] == NON_ANSWER for t in na)}/{len(na)} | "
            + ", ".join(f"{c} ({n})" for c, n in confused)
            + " |"
        )
        for t in [t for t in real if pred[t] != gold[t]][: args.show]:
            print(f"    {gold[t]} -> {pred[t]}: {t}")
    if args.dump:
        np.savez(
            args.dump,
            text=np.array(parts["text"], dtype=object),
            gold=np.array([gold[t] for t in parts["text"]], dtype=object),
            language=np.array([language_of[t] for t in parts["text"]], dtype=object),
            classes=np.array(head.classifier.classes, dtype=object),
            meaning=np.concatenate(parts["meaning"]),
            words=np.concatenate(parts["words"]),
        )
    print(f"| all | {total['n']} | {total['right'] / max(1, total['n']):.1%} | | |")


if __name__ == "__main__":
    main()
