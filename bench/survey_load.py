"""Survey pages under load on PostgreSQL with ``make serve`` defaults: an open-loop constant rate,
closed-loop saturation beside a bare Flask hello world, and submissions racing each other.

    .venv/bin/python bench/survey_load.py [--rate 100] [--duration 60] [--connections 32] [--closed-seconds 10]

Needs PostgreSQL on 127.0.0.1:5432 and wrk (``apt-get install wrk``). About 3 minutes.

1. A fresh PostgreSQL database (``afterword_bench``, dropped and created again) with the shipped
   surveys and ``--tokens`` sent invitations, each a distinct token.
2. Two gunicorn servers on 127.0.0.1 with ``gunicorn.conf.py`` (``make serve``'s workers and
   threads): the app (production config, ``PROXY_FIX_X_FOR=1``) and ``bench/load_hello.py``.
3. **Open loop**: ``GET /s/<token>`` scheduled at fixed times, ``--rate`` per second for
   ``--duration`` seconds, each on a fresh token, by ``bench/open_loop.py`` (one asyncio process,
   about 0.3 ms of CPU a request). Latency is measured from the *scheduled* time (wrk2-style), so
   a stalled server cannot hide behind a client that waits for it.
4. **Closed loop**: wrk (C, one thread, ``bench/load_mix.lua``) with ``--connections`` keep-alive
   connections, each sending the next request as soon as the last is answered, alternating hello
   world and survey page views (each on a fresh token) in two rounds of ``--closed-seconds``.
5. **Submissions**: ``--submissions`` tokens, each posted twice at once (``--connections`` at a
   time, a double click racing itself); afterwards every accepted submission must be stored once.

The generators are light on purpose: they share the 2 cores with the server, and a Python client
per request (the first version of this script) took CPU the server needed. Besides latency, each
phase reports the CPU time per request of the server (gunicorn master and workers), of PostgreSQL
and of the generator: on a shared machine CPU time is far steadier than requests per second.
Every request comes from its own client address (``X-Forwarded-For``), so the per-address rate
limits apply as in production without refusing the benchmark. Results: a table on stdout and
``bench/results/survey-load.json``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from load import (  # noqa: E402
    WORK,
    cpu_seconds,
    database_url,
    prepare,
    run_wrk,
    server_env,
    settle,
    start_gunicorn,
    stop,
    verify,
    write_view_links,
)
from open_loop import address  # noqa: E402

RESULTS = ROOT / "bench" / "results"
APP_PORT, HELLO_PORT = 8811, 8812
#: A submission not answered this many seconds after it was sent counts as an error.
REQUEST_DEADLINE = 10.0
#: A complete, valid answer to the SaaS cancellation survey (as ``tests/app/survey_helpers.py`` posts it).
ANSWERS = {
    "q_main_reason": "switched_competitor",
    "q_what_happened": "The reporting was too slow for month-end.",
    "q_nps": "3",
    "q_competitor": "ClickStack",
    "q_win_back": "Faster reports",
    "q_contact_ok": "yes",
    "version": "1",
}


def children_cpu() -> float:
    """CPU seconds of this script's finished child processes (the generators), so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores, not idle or waiting), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def measured(server_pid: int, requests: Callable[[dict], int], run: Callable[[], dict]) -> dict:
    """``run()``'s result with the CPU milliseconds per request of the server, PostgreSQL and the
    generator (a child process) while it ran, and how many cores other work on the machine kept
    busy meanwhile (``other_work_cores``); ``requests`` reads the request count from the result."""
    before, generator_before = cpu_seconds(server_pid), children_cpu()
    busy_before, started = machine_busy_seconds(), time.monotonic()
    result = run()
    after, generator_after = cpu_seconds(server_pid), children_cpu()
    busy, elapsed = machine_busy_seconds() - busy_before, time.monotonic() - started
    count = max(1, requests(result))
    ours = {
        "server": after["app"] - before["app"],
        "database": after["database"] - before["database"],
        "generator": generator_after - generator_before,
    }
    result["cpu_ms_per_request"] = {part: round(1000 * cpu / count, 2) for part, cpu in ours.items()}
    result["other_work_cores"] = round(max(0.0, busy - sum(ours.values())) / elapsed, 2)
    return result


# -- a client ------------------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection (one per client thread), reopened after an error."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.http: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, n: int, body: dict[str, str] | None = None) -> int:
        """Send one request from client address ``n``; the status, or 0 for a connection error or timeout."""
        headers = {"X-Forwarded-For": address(n)}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):  # a keep-alive connection the server closed meanwhile is reopened once
            if self.http is None:
                self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_DEADLINE)
            try:
                self.http.request(method, path, body=data, headers=headers)
                reply = self.http.getresponse()
                reply.read()
                return reply.status
            except (OSError, http.client.HTTPException):
                self.http.close()
                self.http = None
                if attempt:
                    return 0
        return 0


_local = threading.local()


def _connection(port: int) -> Connection:
    if getattr(_local, "connection", None) is None:
        _local.connection = Connection(port)
    return _local.connection


# -- open loop ----------------------------------------------------------------------------------


def open_loop(paths_file: Path, rate: float, duration: float) -> dict:
    """``bench/open_loop.py`` in its own process: page views at fixed times, latency from schedule."""
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "open_loop.py"),
            str(APP_PORT),
            str(paths_file),
            "--rate",
            str(rate),
            "--duration",
            str(duration),
        ],
        capture_output=True,
        text=True,
        timeout=duration + 120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- closed loop --------------------------------------------------------------------------------


def closed_loop(port: int, mode: str, seconds: float, connections: int, extra_env: dict) -> dict:
    """One wrk turn (``load_mix.lua``: ``hello`` or ``views``); requests/s and latency in ms."""
    result = run_wrk(port, mode, max(1, round(seconds)), connections, extra_env)
    return {
        "requests": result["requests"],
        "per_s": round(result["rps"], 1),
        "errors": result["errors"],
        "statuses": result["statuses"],
        "p50_ms": round(result["p50_us"] / 1000, 1),
        "p95_ms": round(result["p95_us"] / 1000, 1),
        "p99_ms": round(result["p99_us"] / 1000, 1),
        "max_ms": round(result["max_us"] / 1000, 1),
        "tokens_reused": result.get("reused", 0),
    }


# -- submissions --------------------------------------------------------------------------------


def submissions(tokens: list[str], secret_key: str, connections: int, first: int) -> dict:
    """Each token posted twice at once; returns the status counts and the tokens whose answer was accepted."""
    from feedback_app.services.responses.signatures import ANSWER, link_signature

    statuses: dict[str, int] = {}
    accepted: set[str] = set()
    lock = threading.Lock()

    def post(i: int, token: str) -> None:
        body = {**ANSWERS, "csrf_token": link_signature(secret_key, token, ANSWER)}
        status = _connection(APP_PORT).request("POST", f"/s/{token}", first + i, body)
        with lock:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status in (200, 303):  # 303: stored; 200: "your answer was received" (the race's loser)
                accepted.add(token)

    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for i, token in enumerate(tokens):
            pool.submit(post, i, token)
            pool.submit(post, i, token)
    return {"posts": 2 * len(tokens), "statuses": statuses, "accepted_tokens": sorted(accepted)}


# -- run ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="open-loop page views per second")
    parser.add_argument("--duration", type=float, default=60.0, help="open-loop seconds")
    parser.add_argument("--connections", type=int, default=32, help="closed-loop clients (wrk connections)")
    parser.add_argument("--closed-seconds", type=float, default=10.0, help="seconds per closed-loop turn")
    parser.add_argument("--submissions", type=int, default=500, help="tokens posted twice at once")
    parser.add_argument("--tokens", type=int, default=30_000, help="invitations created")
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a timeout's SIGTERM still stops the servers

    url = database_url("postgresql")
    tokens = prepare(url, args.tokens)
    secret_key = secrets.token_urlsafe(48)
    env = server_env(url, secret_key)
    (WORK / "instance").mkdir(parents=True, exist_ok=True)
    open_count = int(args.rate * args.duration)
    warm_tokens, tokens = tokens[:100], tokens[100:]
    open_tokens = tokens[:open_count]
    post_tokens = tokens[open_count : open_count + args.submissions]
    closed_tokens = tokens[open_count + args.submissions :]
    paths_file = WORK / "open-loop-paths.txt"
    paths_file.write_text("".join(f"/s/{token}\n" for token in open_tokens))
    settle()  # PostgreSQL's autovacuum of the invitations just written, before the clock starts
    app_server = start_gunicorn("wsgi:app", APP_PORT, env, WORK / "survey-app.log")
    hello_server = start_gunicorn("bench.load_hello:app", HELLO_PORT, env, WORK / "survey-hello.log")
    report: dict = {
        "rate": args.rate,
        "duration_s": args.duration,
        "connections": args.connections,
        "cpus": os.cpu_count(),
        "gunicorn": {
            "workers": os.environ.get("GUNICORN_WORKERS", "default"),
            "threads": os.environ.get("GUNICORN_THREADS", "default"),
        },
        "load_average_before": os.getloadavg(),
    }
    try:
        warm_app, warm_hello = Connection(APP_PORT), Connection(HELLO_PORT)
        for n, token in enumerate(warm_tokens):  # both servers' workers: imports, pools and templates
            warm_app.request("GET", f"/s/{token}", 10_000_000 + n)
            warm_hello.request("GET", "/", 0)
        print(f"open loop: {args.rate:.0f} page views/s for {args.duration:.0f} s ...", flush=True)
        report["open_loop"] = measured(
            app_server.pid,
            lambda r: r["requests"],
            lambda: open_loop(paths_file, args.rate, args.duration),
        )
        print("open loop:", report["open_loop"], flush=True)
        rounds: dict[str, list[dict]] = {"hello world": [], "survey page views": []}
        share = len(closed_tokens) // 2
        for turn in range(2):  # alternating, so a slow spell of a shared machine falls on both
            links = write_view_links(
                WORK / f"closed-{turn}.txt", closed_tokens[turn * share : (turn + 1) * share]
            )
            rounds["hello world"].append(
                measured(
                    hello_server.pid,
                    lambda r: r["requests"],
                    lambda: closed_loop(HELLO_PORT, "hello", args.closed_seconds, args.connections, {}),
                )
            )
            rounds["survey page views"].append(
                measured(
                    app_server.pid,
                    lambda r: r["requests"],
                    lambda links=links: closed_loop(
                        APP_PORT, "views", args.closed_seconds, args.connections, {"LOAD_TOKENS": str(links)}
                    ),
                )
            )
            print("closed loop:", {k: v[-1] for k, v in rounds.items()}, flush=True)
        report["closed_loop"] = {name: summary(runs) for name, runs in rounds.items()}
        posted = submissions(post_tokens, secret_key, args.connections, first=30_000_000)
    finally:
        stop(app_server)
        stop(hello_server)
    report["load_average_after"] = os.getloadavg()
    stored = verify(url, posted["accepted_tokens"])
    report["submissions"] = {
        "tokens": len(post_tokens),
        "posts": posted["posts"],
        "statuses": posted["statuses"],
        "accepted": len(posted["accepted_tokens"]),
        "stored": stored["stored"],
        "lost": len(posted["accepted_tokens"]) - stored["stored"] + stored["stored_not_posted"],
        "stored_twice": stored["invitations_with_two"],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "survey-load.json").write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))


def summary(runs: list[dict]) -> dict:
    """The closed-loop rounds of one app: mean requests/s, worst p50 and p99, errors, mean CPU."""
    total = sum(r["requests"] for r in runs)
    return {
        "per_s": round(statistics.mean(r["per_s"] for r in runs), 1),
        "p50_ms": max(r["p50_ms"] for r in runs),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "tokens_reused": sum(r["tokens_reused"] for r in runs),
        "other_work_cores": max(r["other_work_cores"] for r in runs),
        "cpu_ms_per_request": {
            part: round(sum(r["cpu_ms_per_request"][part] * r["requests"] for r in runs) / max(1, total), 2)
            for part in ("server", "database", "generator")
        },
        "rounds": runs,
    }


def _cpu(row: dict) -> str:
    c = row["cpu_ms_per_request"]
    return f"{c['server']:.2f} + {c['database']:.2f} + {c['generator']:.2f}"


def table(report: dict) -> str:
    o = report["open_loop"]
    target = "met" if o["p99_ms"] <= 100 and o["errors"] == 0 else "NOT met"
    lines = [
        "| workload | requests/s | p50 ms | p99 ms | errors | CPU ms/request (server + PostgreSQL + generator) "
        "| other work (cores) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| open loop, {o['offered_per_s']:.0f} page views/s offered for {report['duration_s']:.0f} s "
        f"| {o['sent_per_s']} sent | {o['p50_ms']} | {o['p99_ms']} (p95 {o['p95_ms']}, max {o['max_ms']}) "
        f"| {o['errors']} | {_cpu(o)} | {o['other_work_cores']} |",
    ]
    closed = report["closed_loop"]
    for name, row in closed.items():
        lines.append(
            f"| closed loop, {report['connections']} clients: {name} | {row['per_s']:,.0f} | {row['p50_ms']} "
            f"| {row['p99_ms']} | {row['errors']} | {_cpu(row)} | {row['other_work_cores']} |"
        )
    share = closed["survey page views"]["per_s"] / closed["hello world"]["per_s"]
    lines.append(
        f"\np99 target (100 ms at {o['offered_per_s']:.0f}/s, 0 errors): {target}; one-second spans "
        f"with a p99 over 100 ms: {o['seconds_with_p99_over_100_ms']}; other work on the machine kept "
        f"{o['other_work_cores']} cores busy meanwhile"
    )
    lines.append(f"survey page views at {share:.0%} of hello world (closed loop; p50/p99: worst of 2 rounds)")
    s = report["submissions"]
    lines.append(
        f"submissions: {s['posts']} POSTs for {s['tokens']} tokens ({s['statuses']}): "
        f"{s['accepted']} accepted, {s['stored']} stored, {s['lost']} lost, {s['stored_twice']} stored twice"
    )
    lines.append(
        "load average (1, 5, 15 min) before: {:.1f} {:.1f} {:.1f}; after: {:.1f} {:.1f} {:.1f}".format(
            *report["load_average_before"], *report["load_average_after"]
        )
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
