"""The demo company's theme labels as ``make run`` shows them, each with its cause and whether it
passes the label check.

Loads the demo (``flask demo load``'s answers and analysis) into a temporary SQLite database and
prints every theme: cause, size, check, label, first keywords, and label -> theme retrieval (see
``bench/label_retrieval.py``: how many labels have their own theme's centroid as the nearest).
``--json`` also writes them, with each theme's answers (to compare two runs).

    .venv/bin/python bench/demo_labels.py [--json FILE] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the labels here")
    parser.add_argument(
        "--cache-dir", type=Path, help="NLP cache folder to use (default: a new one, i.e. first use)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="afterword-demo-labels-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/demo.db"
    os.environ["NLP_CACHE_DIR"] = str(args.cache_dir or work / "cache")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bench.label_retrieval import retrieval
    from feedback_app import create_app
    from feedback_app.extensions import db
    from feedback_app.models.analysis import Theme, ThemeAssignment
    from feedback_app.models.surveys import Response
    from feedback_app.services.demo import company, insights
    from nlp import PipelineConfig
    from nlp.heads import current_taxonomy
    from nlp.label_checks import label_check
    from nlp.models import load_encoder, load_tagger

    app = create_app()
    with app.app_context():
        db.create_all()
        company.load_demo(app.config["PUBLIC_BASE_URL"], seed=7)
        print(insights.fill().message, file=sys.stderr)
        taxonomy, tagger = current_taxonomy(PipelineConfig()), load_tagger(app.config["SPACY_MODEL"])
        banned = [app.config["COMPANY_NAME"]]
        rows = [
            {
                "category": t.category,
                "label": t.label,
                "size": t.size,
                "keywords": t.keywords,
                "answers": list(t.quotes or [])[:4],
                "passes": label_check(t.label, t.category, taxonomy, tagger, banned_names=banned),
            }
            for t in db.session.query(Theme).order_by(Theme.category, Theme.size.desc(), Theme.label)
        ]
        latest = db.session.query(db.func.max(ThemeAssignment.run_id)).scalar()
        members: dict[str, list[str]] = {}
        for stable_key, text in (
            db.session.query(Theme.stable_key, Response.redacted_text)
            .join(ThemeAssignment, ThemeAssignment.theme_id == Theme.id)
            .join(Response, Response.id == ThemeAssignment.response_id)
            .filter(ThemeAssignment.run_id == latest, ThemeAssignment.is_primary.is_(True))
        ):
            if text:
                members.setdefault(stable_key, []).append(text)
        keys = [
            t.stable_key
            for t in db.session.query(Theme).order_by(Theme.category, Theme.size.desc(), Theme.label)
        ]
        for row, key in zip(rows, keys, strict=True):
            row["members"] = sorted(members.get(key, []))  # the theme's answers, for comparing runs
        config = PipelineConfig()
        hit = retrieval(
            [r["label"] for r in rows],
            [members.get(k, []) for k in keys],
            load_encoder(config.embedding_model, config.device, config.backend),
        )
    for r in rows:
        check = "ok  " if r["passes"] else "FAIL"
        print(f"{r['category']:22} {r['size']:4} {check} {r['label']:42} {r['keywords'][:5]}")
    labels = [r["label"].lower() for r in rows]
    print(
        f"{sum(r['passes'] for r in rows)}/{len(rows)} pass; {len(labels) - len(set(labels))} shared; "
        f"retrieved {hit}/{len(rows)}"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
