"""Where one survey page view's CPU goes, in-process: ``GET /s/<token>`` through the Flask test client.

    .venv/bin/python bench/view_cost.py [--views 600] [--profile FILE]

A fresh PostgreSQL database (``afterword_bench``, as ``bench/load.py`` makes it), the production
config with rate limits on, each view on a fresh invitation from its own client address (so each
records its first opening, as in ``bench/survey_load.py``). After a warm-up of ``--views`` views,
another ``--views`` are timed: CPU time of the whole process and of the request thread, the
thread CPU time of each part of the view (the invitation lookup, rendering, the "opened" mark, the
request hooks), and SQL statements per view. ``--profile`` also writes a cProfile of a third batch
(read it with ``python -m pstats FILE``; times are then inflated by the profiler).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

#: The parts timed: (module, attribute, what to call it).
PARTS = (
    ("feedback_app.blueprints.public.survey", "find_invitation", "invitation lookup"),
    ("feedback_app.blueprints.public.survey", "blank_form", "form rendered"),
    ("feedback_app.blueprints.public.survey", "mark_opened", '"opened" UPDATE and commit'),
    ("flask.app.Flask", "preprocess_request", "before-request hooks (rate limits)"),
    ("flask.app.Flask", "process_response", "after-request hooks (headers)"),
)


def timed(spent: dict[str, float], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding the request thread's CPU time it takes to ``spent[label]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.thread_time() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=600)
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args()
    work = ROOT / "bench" / "results" / "load.tmp" / "view-cost"
    os.environ.update(
        AFTERWORD_ENV="production",
        SECRET_KEY="view-cost-" + "x" * 40,
        AFTERWORD_INSTANCE_DIR=str(work / "instance"),
        MAIL_OUTBOX_DIR=str(work / "mail"),
        SESSION_COOKIE_SECURE="false",
        PROXY_FIX_X_FOR="1",
        JOB_RUNNER="thread",
    )
    import importlib

    import load
    from open_loop import address
    from sqlalchemy import event

    url = load.database_url("postgresql")
    tokens = load.prepare(url, 3 * args.views)

    import config
    from feedback_app import create_app
    from feedback_app.extensions import db

    app = create_app(config.ProductionConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
    spent: dict[str, float] = {}
    for module_name, attribute, label in PARTS:
        owner_name, _, class_name = module_name.rpartition(".")
        if class_name[0].isupper():
            owner = getattr(importlib.import_module(owner_name), class_name)
        else:
            owner = importlib.import_module(module_name)
        setattr(owner, attribute, timed(spent, label, getattr(owner, attribute)))
    statements = [0]
    with app.app_context():
        event.listen(
            db.engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1)
        )
    client = app.test_client()

    def views(batch: list[str], first: int) -> None:
        for n, token in enumerate(batch, start=first):
            reply = client.get(f"/s/{token}", headers={"X-Forwarded-For": address(n)})
            if reply.status_code != 200:
                raise SystemExit(f"GET /s/<token> answered {reply.status_code}")

    count = args.views
    views(tokens[:count], 0)
    spent.clear()
    statements[0] = 0
    process, thread, wall = time.process_time(), time.thread_time(), time.perf_counter()
    views(tokens[count : 2 * count], count)
    process, thread = time.process_time() - process, time.thread_time() - thread
    wall = time.perf_counter() - wall
    print(
        f"{count} page views: CPU {1000 * process / count:.2f} ms a view "
        f"(request thread {1000 * thread / count:.2f} ms), wall {1000 * wall / count:.2f} ms, "
        f"{statements[0] / count:.1f} SQL statements a view; load average {os.getloadavg()[0]:.1f}"
    )
    for label, seconds in spent.items():
        print(f"  {label:40} {1000 * seconds / count:.2f} ms")
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.runcall(views, tokens[2 * count :], 2 * count)
        profiler.dump_stats(args.profile)
        print(f"profile of {count} more views: {args.profile}")


if __name__ == "__main__":
    main()
