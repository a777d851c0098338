"""Where the whole machine's time goes per request: hello world against survey page views, by process and layer.

    .venv/bin/python bench/machine_share.py [--db postgresql|sqlite] [--seconds 8]      # as root

``bench/load.py`` says how many requests/s each app serves and how much CPU its processes use; on a
2-core machine where wrk, gunicorn and PostgreSQL share the cores, it cannot say which part of a page
view is the gap to hello world. This starts both apps under gunicorn as ``bench/load.py`` does (same
settings, links never opened for the page views), drives each with wrk at 32 connections, and records the
whole machine with ``perf record -a`` (software clock, so it works in a VM) for ``--seconds`` in the
middle of each run. Samples are grouped by process (the gunicorn workers, PostgreSQL, wrk, idle) and,
for the workers, by where they ran: the Python interpreter, the kernel (sockets, scheduling),
C libraries, the database driver. Each group's share of the machine, times the machine's time,
divided by the requests served, is its CPU ms per request.

Needs ``perf`` (``apt-get install linux-perf``) and permission to sample the whole machine (root, or
``kernel.perf_event_paranoid`` <= 0). A run with an HTTP error, a socket error or a link viewed twice
stops with a message instead of a table. Prints a table; writes ``bench/results/machine-share-<db>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import load  # noqa: E402  (bench/load.py: database, servers, wrk)

HELLO_PORT, APP_PORT = 8840, 8841
#: (group, matcher on perf's "comm dso" line); the first that matches wins.
GROUPS = (
    ("gunicorn: Python interpreter", re.compile(r"^gunicorn\s+libpython")),
    ("gunicorn: kernel", re.compile(r"^gunicorn\s+\[kernel")),
    ("gunicorn: database driver", re.compile(r"^gunicorn\s+.*(psycopg|libpq|_sqlite|libsqlite)")),
    ("gunicorn: other C code", re.compile(r"^gunicorn\s+")),
    ("PostgreSQL", re.compile(r"^postgres\s+")),
    ("wrk", re.compile(r"^wrk\s+")),
    ("idle", re.compile(r"^swapper\s+")),
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument(
        "--seconds", type=int, default=8, help="seconds recorded per app (wrk runs 6 s longer)"
    )
    args = parser.parse_args()
    if args.seconds < 2:
        parser.error("--seconds must be at least 2")
    for tool in ("perf", "wrk"):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} is not installed (apt-get install {'linux-perf' if tool == 'perf' else 'wrk'})"
            )

    url = load.database_url(args.db)
    warm_up_links = 4000 * 3
    tokens = load.prepare(url, warm_up_links + 4000 * (args.seconds + 8))
    load.settle()  # not in the wake of writing them (autovacuum, checkpoint)
    env = load.server_env(url, secrets.token_urlsafe(48))
    hello = load.start_gunicorn("bench.load_hello:app", HELLO_PORT, env, load.WORK / "machine-hello.log")
    app = load.start_gunicorn("wsgi:app", APP_PORT, env, load.WORK / "machine-app.log")
    warm_up = load.write_view_links(load.WORK / "machine-warm-up.txt", tokens[:warm_up_links])
    views = load.write_view_links(load.WORK / "machine-views.txt", tokens[warm_up_links:])  # never opened
    cpus = os.cpu_count() or 1
    rows = {}
    try:
        load.run_wrk(APP_PORT, "views", 2, 32, {"LOAD_TOKENS": str(warm_up)})
        load.run_wrk(HELLO_PORT, "hello", 2, 32, {})
        for name, port, mode, extra in (
            ("hello world", HELLO_PORT, "hello", {}),
            ("page views", APP_PORT, "views", {"LOAD_TOKENS": str(views)}),
        ):
            rows[name] = _record(port, mode, extra, args.seconds, cpus)
    finally:
        load.stop(app)
        load.stop(hello)

    groups = [g for g, _ in GROUPS] + ["other"]
    print(
        f"\n{args.db}: CPU ms per request by where it ran ({cpus} cores, {args.seconds} s recorded per app)\n"
    )
    print("| part | hello world | page views | difference |\n| --- | --- | --- | --- |")
    for group in groups + ["all but idle"]:
        a, b = rows["hello world"]["ms"].get(group, 0.0), rows["page views"]["ms"].get(group, 0.0)
        print(f"| {group} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
    print(
        f"| requests/s | {rows['hello world']['rps']:.0f} | {rows['page views']['rps']:.0f} | "
        f"{rows['page views']['rps'] / rows['hello world']['rps']:.0%} of hello world |"
    )
    (HERE / "results" / f"machine-share-{args.db}.json").write_text(
        json.dumps({"database": args.db, "cores": cpus, "seconds": args.seconds, "apps": rows}, indent=2)
        + "\n"
    )


def _record(port: int, mode: str, extra: dict, seconds: int, cpus: int) -> dict:
    """Run wrk against one app and ``perf record`` the machine in the middle; ms per request by group."""
    env = dict(os.environ, LOAD_MODE=mode, **extra)
    wrk = subprocess.Popen(
        load.wrk_command(port, mode, seconds + 6, 32),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(3)
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "perf.data"
        recorded = subprocess.run(
            [
                "perf",
                "record",
                "-e",
                "cpu-clock",
                "-F",
                "999",
                "-a",
                "-o",
                str(data),
                "--",
                "sleep",
                str(seconds),
            ],
            capture_output=True,
            text=True,
        )
        output = wrk.communicate(timeout=seconds + 60)[0]
        if recorded.returncode != 0:
            raise SystemExit(
                f"perf record failed (root, or kernel.perf_event_paranoid <= 0?):\n{recorded.stderr}"
            )
        report = subprocess.run(
            [
                "perf",
                "report",
                "-i",
                str(data),
                "--no-children",
                "--sort",
                "comm,dso",
                "--stdio",
                "-g",
                "none",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    result = load.wrk_result(output)
    if result["errors"] or result.get("reused"):
        raise SystemExit(
            f"the {mode} run is not a clean measurement: {result['errors']} errors (socket, or "
            f"HTTP 4xx/5xx: {result['statuses']}), {result.get('reused', 0)} links viewed twice "
            "(too few links prepared for this machine's speed)"
        )
    rps = result["rps"]
    shares: dict[str, float] = {}
    for entry in report.splitlines():
        found = re.match(r"^\s+([\d.]+)%\s+(.*)$", entry)
        if not found:
            continue
        percent, what = float(found.group(1)), found.group(2)
        group = next((g for g, pattern in GROUPS if pattern.search(what)), "other")
        shares[group] = shares.get(group, 0.0) + percent
    # The machine had ``cpus`` x 1000 ms per second; spread over the requests served in that second.
    ms = {group: share / 100 * cpus * 1000 / rps for group, share in shares.items()}
    ms["all but idle"] = sum(v for g, v in ms.items() if g != "idle")
    return {
        "rps": round(rps, 1),
        "share_percent": {g: round(v, 2) for g, v in shares.items()},
        "ms": {g: round(v, 4) for g, v in ms.items()},
        "requests": result["requests"],
    }


if __name__ == "__main__":
    main()
