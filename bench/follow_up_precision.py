"""Precision of the follow-up queue's "very negative" flag on the demo data: of the answers the
queue flags as "Very negative answer from a high-value customer", how many really are negative.

    .venv/bin/python bench/follow_up_precision.py [--labels bench/data/follow_up_labels.csv] [-v]

Loads the demo company into a temporary SQLite database and runs its analysis as `make run` does
(the real pipeline: redaction, themes, VADER sentiment), then reads the queue. Nothing is tuned
here. The ground truth is ``bench/data/follow_up_labels.csv``: each flagged demo answer read by a
person and labelled ``negative`` (1: a complaint with no positive turn) or not (0); answers
missing from it are listed so they can be labelled. Reported per trigger: the score (0-10 answer
at most FOLLOW_UP_MAX_SCORE) and the text's sentiment (at most -0.5).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VERY_NEGATIVE = "Very negative answer from a high-value customer"


def flagged(tmp: Path) -> list[dict]:
    """The queue's "very negative" entries after the demo load and analysis."""
    from sqlalchemy import select

    from config import DevelopmentConfig
    from feedback_app import create_app
    from feedback_app.extensions import db
    from feedback_app.models import FollowUp, Response
    from feedback_app.services.demo import company
    from feedback_app.services.demo import insights as demo_insights
    from feedback_app.services.responses.answers import score

    app = create_app(
        DevelopmentConfig,
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'demo.db'}",
            "NLP_CACHE_DIR": str(tmp / "nlp-cache"),
            "MAIL_OUTBOX_DIR": str(tmp / "mail"),
            "JOB_RUNNER": "inline",
        },
    )
    with app.app_context():
        db.create_all()
        company.load_demo("http://127.0.0.1:5000")
        print(demo_insights.fill().message, file=sys.stderr)
        limit = app.config["FOLLOW_UP_MAX_SCORE"]
        rows = db.session.execute(
            select(Response.answers, Response.sentiment)
            .join(FollowUp, FollowUp.response_id == Response.id)
            .where(FollowUp.reason == VERY_NEGATIVE)
        ).all()
        return [
            {
                "text": (answers or {}).get("what_happened", ""),
                "score": score(answers),
                "sentiment": sentiment,
                "by_score": score(answers) is not None and score(answers) <= limit,
                "by_sentiment": sentiment is not None and sentiment <= -0.5,
            }
            for answers, sentiment in rows
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "bench" / "data" / "follow_up_labels.csv")
    parser.add_argument("-v", action="store_true", help="list every flagged answer judged not negative")
    args = parser.parse_args()
    labels = {}
    if args.labels.exists():
        with args.labels.open(encoding="utf-8") as f:
            labels = {row["text"]: row["negative"] == "1" for row in csv.DictReader(f)}
    with tempfile.TemporaryDirectory() as tmp:
        entries = flagged(Path(tmp))
    unlabelled = [e for e in entries if e["text"] not in labels]
    if unlabelled:
        print(f"{len(unlabelled)} flagged answers have no label in {args.labels}:")
        for e in unlabelled:
            print(f"  score={e['score']} sentiment={e['sentiment']}: {e['text']}")
        return 1
    print(f"Flagged 'very negative' (high-value customers): {len(entries)}")
    for name, pick in (
        ("all flagged", lambda e: True),
        ("flagged by score", lambda e: e["by_score"]),
        ("flagged by sentiment alone", lambda e: e["by_sentiment"] and not e["by_score"]),
    ):
        group = [e for e in entries if pick(e)]
        right = sum(labels[e["text"]] for e in group)
        share = f"{right / len(group):.1%}" if group else "n/a"
        print(f"  {name:28} {right} of {len(group)} really negative: precision {share}")
    if args.v:
        for e in entries:
            if not labels[e["text"]]:
                print(f"  not negative: score={e['score']} sentiment={e['sentiment']}: {e['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
