"""CPU cost of the survey pages per request, in one thread, without a server or load generator.

    .venv/bin/python bench/page_cost.py [--db sqlite|postgresql] [--tokens 300] [--root OTHER_CHECKOUT]
                                        [--profile FILE]

wrk figures on a shared 2-core machine move with everyone else's load; this measures what one
request of each kind costs in-process (Flask test client, production config, same survey and
answers as ``bench/load.py``), so two versions of the code can be compared back to back: run it
once with ``--root`` pointing at an export of the older commit (``git archive <sha> | tar -x -C DIR``)
and once without. Also times the bare "hello world" of the load benchmark in the same harness
(``hello``), the floor a request costs here. Prints one line; writes
``bench/results/page-cost-<db>.json`` (not for --root).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--root", default=str(HERE.parent), help="checkout whose feedback_app is measured")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="also write a cProfile of the measured requests to FILE "
        "(read it with: python -m pstats FILE); times are then inflated by the profiler",
    )
    args = parser.parse_args()
    root = Path(args.root).resolve()
    sys.path[:0] = [str(root), str(root / "bench")]
    work = HERE / "results" / "load.tmp" / f"page-cost-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        AFTERWORD_ENV="production",
        SECRET_KEY="page-cost-" + "x" * 40,
        AFTERWORD_INSTANCE_DIR=str(work / "instance"),
        MAIL_OUTBOX_DIR=str(work / "mail"),
        SESSION_COOKIE_SECURE="false",
        JOB_RUNNER="thread",
        RATELIMIT_ENABLED="false",
        PUBLIC_BASE_URL="http://127.0.0.1:8811",
    )
    import load  # bench/load.py of the measured checkout: same database setup and survey

    url = f"sqlite:///{work / 'page-cost.db'}" if args.db == "sqlite" else load.database_url("postgresql")
    os.environ["DATABASE_URL"] = url
    tokens = load.prepare(url, args.tokens * 2 + 1)

    import config
    from feedback_app import create_app

    app = create_app(config.ProductionConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    html = client.get(f"/s/{tokens[0]}").get_data(as_text=True)
    form = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1),
        "version": re.search(r'name="version" type="hidden" value="([^"]+)"', html).group(1),
    }
    for match in re.finditer(
        r'<input type="(?:radio|checkbox)" id="[^"]+"\s+name="([^"]+)" value="([^"]*)"', html
    ):
        form.setdefault(match.group(1), match.group(2))
    for match in re.finditer(r'<(?:textarea|input type="text") id="[^"]+" name="([^"]+)"', html):
        form[match.group(1)] = "It was too slow and the price went up twice this year."

    csrf_field = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

    def walk(batch: list[str], times: dict[str, list[float]]) -> None:
        """The load mix: a view per token, and for two in three a submission and the thank-you page.

        Each submission posts the form field of its own page view, as a browser does (the survey
        form's field is signed per link; older code used one session-wide CSRF token)."""
        for i, token in enumerate(batch):
            posted = dict(form)
            steps = [("view", lambda token=token: client.get(f"/s/{token}"))]
            if i % 3:
                steps += [
                    ("submit", lambda token=token, posted=posted: client.post(f"/s/{token}", data=posted)),
                    ("thanks", lambda token=token: client.get(f"/s/{token}/thanks")),
                ]
            for kind, call in steps:
                started = time.perf_counter()
                reply = call()
                times.setdefault(kind, []).append(time.perf_counter() - started)
                if reply.status_code not in (200, 303):
                    raise SystemExit(f"{kind} /s/<token> answered {reply.status_code}")
                if kind == "view":
                    posted["csrf_token"] = csrf_field.search(reply.get_data(as_text=True)).group(1)

    walk(tokens[1 : args.tokens + 1], {})  # warm-up: imports, template compilation, caches
    times: dict[str, list[float]] = {}
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    walk(tokens[args.tokens + 1 :], times)
    elapsed = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    count = sum(len(v) for v in times.values())
    times["hello"] = _hello_world_cost(min(count, 3000))
    result = {
        "database": args.db,
        "root": str(root),
        "requests": count,
        "requests_per_s": count / elapsed,
        "mean_ms": {kind: 1000 * sum(v) / len(v) for kind, v in times.items()},
        "load_average_after": os.getloadavg(),
    }
    print(
        f"{args.db} {root}: {result['requests_per_s']:.0f} requests/s in one thread; "
        + ", ".join(f"{kind} {ms:.2f} ms" for kind, ms in result["mean_ms"].items())
        + f"; load average {result['load_average_after'][0]:.1f}"
    )
    if root == HERE.parent and not args.profile:
        (HERE / "results" / f"page-cost-{args.db}.json").write_text(json.dumps(result, indent=2) + "\n")


def _hello_world_cost(requests: int) -> list[float]:
    """The same harness on the bare Flask app of the load benchmark (``bench/load_hello.py``): the
    floor one request costs in this measurement, to compare a page view's cost with."""
    sys.path.insert(0, str(HERE))
    import load_hello

    client = load_hello.app.test_client()
    for _ in range(200):
        client.get("/")
    spent = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get("/")
        spent.append(time.perf_counter() - started)
    return spent


if __name__ == "__main__":
    main()
