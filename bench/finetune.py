"""Benchmark: the shipped heads against contrastive fine-tuning of the encoder (SetFit-style).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/finetune.py [--epochs 1] [--split dev|test]

Fine-tunes the packaged MiniLM on the example bank (plus the taxonomy's phrases) with
sentence-transformers' ``BatchAllTripletLoss`` (the contrastive step of SetFit, with labels),
then trains the same logistic-regression head on the tuned embeddings; prints root-cause
accuracy and macro-F1 over the 12 causes on the split, beside the frozen encoder's embedding
head and the shipped blend (embedding head + n-gram head), and the training time.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from root_causes import (  # bench/root_causes.py: the same splits, offline settings, nlp on the path
    SPLITS,
    load_rows,
)
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from nlp import PipelineConfig
from nlp.classifier import RootCauseClassifier, training_examples
from nlp.heads import current_taxonomy
from nlp.models import resolve_embedding_model


def scores(probs: np.ndarray, classes: list[str], gold: np.ndarray, keys: list[str]) -> tuple[float, float]:
    """Accuracy and macro-F1 over the rows whose gold label is one of the causes."""
    probs = probs.copy()
    if "non_answer" in classes:
        probs[:, classes.index("non_answer")] = -1
    pred = np.array(classes)[probs.argmax(1)]
    mask = np.isin(gold, keys)
    return float((pred[mask] == gold[mask]).mean()), float(
        f1_score(gold[mask], pred[mask], labels=keys, average="macro")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--split", choices=sorted(SPLITS), default="dev")
    args = parser.parse_args()
    import torch
    from sentence_transformers import SentenceTransformer, losses

    config = PipelineConfig()
    taxonomy = current_taxonomy(config)
    examples = training_examples(taxonomy)
    texts, labels = [e.text for e in examples], [e.category for e in examples]
    rows = load_rows(SPLITS[args.split])
    eval_texts, gold = [r["text"] for r in rows], np.array([r["category"] for r in rows])
    model = SentenceTransformer(str(resolve_embedding_model(config.embedding_model)), device="cpu")

    def embed(items: list[str]) -> np.ndarray:
        model.eval()
        with torch.no_grad():
            return model.encode(items, batch_size=64, normalize_embeddings=True)

    x, e = embed(texts), embed(eval_texts)
    frozen = LogisticRegression(C=config.classifier_c, max_iter=3000).fit(x, labels)
    blend = RootCauseClassifier.fit(
        x, texts, labels, None, config.classifier_c, config.text_classifier_c, config.text_weight
    )
    results = [
        (
            "frozen encoder, embedding head",
            *scores(frozen.predict_proba(e), list(frozen.classes_), gold, taxonomy.keys),
            0.0,
        ),
        (
            "frozen encoder, shipped blend",
            *scores(blend.predict_proba(e, eval_texts), blend.classes, gold, taxonomy.keys),
            0.0,
        ),
    ]
    classes = sorted(set(labels))
    targets = torch.tensor([classes.index(c) for c in labels])
    loss_fn = losses.BatchAllTripletLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    rng = random.Random(0)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        order = list(range(len(texts)))
        rng.shuffle(order)
        model.train()
        for i in range(0, len(order), 32):
            idx = order[i : i + 32]
            features = model.preprocess([texts[j] for j in idx])
            loss = loss_fn([features], targets[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        x, e = embed(texts), embed(eval_texts)
        tuned = LogisticRegression(C=config.classifier_c, max_iter=3000).fit(x, labels)
        results.append(
            (
                f"fine-tuned encoder ({epoch + 1} epoch), embedding head",
                *scores(tuned.predict_proba(e), list(tuned.classes_), gold, taxonomy.keys),
                seconds,
            )
        )
        tuned_blend = RootCauseClassifier.fit(
            x, texts, labels, None, config.classifier_c, config.text_classifier_c, config.text_weight
        )
        results.append(
            (
                f"fine-tuned encoder ({epoch + 1} epoch), blend",
                *scores(tuned_blend.predict_proba(e, eval_texts), tuned_blend.classes, gold, taxonomy.keys),
                seconds,
            )
        )
    print(f"| method ({args.split} split) | accuracy | macro-F1 | training |")
    print("| --- | --- | --- | --- |")
    for name, acc, f1, seconds in results:
        print(f"| {name} | {acc:.1%} | {f1:.3f} | {seconds:.0f} s |")


if __name__ == "__main__":
    main()
