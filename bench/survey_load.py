"""Survey pages under load on PostgreSQL with ``make serve`` defaults: an open-loop constant rate,
closed-loop saturation beside a bare Flask hello world, and submissions racing each other.

    .venv/bin/python bench/survey_load.py [--rate 100] [--duration 60] [--connections 32] [--closed-seconds 10]

1. A fresh PostgreSQL database (``afterword_bench``, dropped and created again) with the shipped
   surveys and ``--tokens`` sent invitations, each a distinct token.
2. Two gunicorn servers on 127.0.0.1 with ``gunicorn.conf.py`` (``make serve``: 2 workers x 2
   threads by default): the app (production config, ``PROXY_FIX_X_FOR=1``) and
   ``bench/load_hello.py``.
3. **Open loop**: ``GET /s/<token>`` scheduled at fixed times, ``--rate`` per second for
   ``--duration`` seconds, each on a fresh token. Latency is measured from the *scheduled* time
   (wrk2-style), so a stalled server cannot hide behind a client that waits for it.
4. **Closed loop**: ``--connections`` clients (threads, keep-alive) each sending the next request as soon as the last
   one is answered, alternating hello world and survey page views in two rounds of
   ``--closed-seconds``; the client runs in two processes so it is not held to one core.
5. **Submissions**: ``--submissions`` tokens, each posted twice at once (``--connections`` at a
   time, a double click racing itself); afterwards every accepted submission must be stored once.

Every request comes from its own client address (``X-Forwarded-For``), so the per-address rate
limits apply as in production without refusing the benchmark. Results: a table on stdout and
``bench/results/survey-load.json``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import itertools
import json
import multiprocessing
import os
import secrets
import signal
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from load import WORK, database_url, prepare, server_env, start_gunicorn, stop, verify  # noqa: E402

RESULTS = ROOT / "bench" / "results"
APP_PORT, HELLO_PORT = 8811, 8812
#: An open-loop request not answered this many seconds after it was sent counts as an error.
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


def address(n: int) -> str:
    """A distinct client address per request (rate limits count per address)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def percentiles(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(latencies)

    def at(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(1000 * ordered[-1], 1),
    }


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


def open_loop(tokens: list[str], rate: float, duration: float, threads: int = 128) -> dict:
    """``GET /s/<token>`` at fixed times; latency from each request's scheduled start."""
    count = int(rate * duration)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    start = time.perf_counter() + 0.5

    def one(i: int) -> None:
        scheduled = start + i / rate
        status = _connection(APP_PORT).request("GET", f"/s/{tokens[i]}", i)
        done = time.perf_counter()
        with lock:
            latencies.append(done - scheduled)
            if status != 200:
                errors[str(status or "no answer")] = errors.get(str(status or "no answer"), 0) + 1

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for i in range(count):
            time.sleep(max(0.0, start + i / rate - time.perf_counter()))
            pool.submit(one, i)
    elapsed = time.perf_counter() - start
    return {
        "requests": count,
        "offered_per_s": rate,
        "achieved_per_s": round(count / elapsed, 1),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        **percentiles(latencies),
    }


# -- closed loop --------------------------------------------------------------------------------


def _closed_process(
    port: int, paths: list[str], connections: int, seconds: float, first: int, out: multiprocessing.Queue
) -> None:
    latencies: list[float] = []
    errors = 0
    counter = itertools.count()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        connection = Connection(port)
        while time.perf_counter() < deadline:
            n = next(counter) % len(paths)
            began = time.perf_counter()
            status = connection.request("GET", paths[n], first + n)
            with lock:
                latencies.append(time.perf_counter() - began)
                errors += status != 200

    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    out.put((len(latencies), errors, latencies))


def closed_loop(
    port: int, paths: list[str], connections: int, seconds: float, first: int, processes: int = 2
) -> dict:
    """``connections`` clients (threads) split over ``processes`` client processes, for ``seconds``."""
    out: multiprocessing.Queue = multiprocessing.Queue()
    share = len(paths) // processes
    workers = [
        multiprocessing.Process(
            target=_closed_process,
            args=(
                port,
                paths[p * share : (p + 1) * share],
                connections // processes,
                seconds,
                first + p * share,
                out,
            ),
        )
        for p in range(processes)
    ]
    for worker in workers:
        worker.start()
    results = [out.get() for _ in workers]
    for worker in workers:
        worker.join()
    count = sum(r[0] for r in results)
    latencies = [x for r in results for x in r[2]]
    return {
        "requests": count,
        "per_s": round(count / seconds, 1),
        "errors": sum(r[1] for r in results),
        **percentiles(latencies),
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
    parser.add_argument("--connections", type=int, default=32, help="closed-loop clients")
    parser.add_argument("--closed-seconds", type=float, default=10.0, help="seconds per closed-loop turn")
    parser.add_argument("--submissions", type=int, default=500, help="tokens posted twice at once")
    parser.add_argument("--tokens", type=int, default=30_000, help="invitations created")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a timeout's SIGTERM still stops the servers

    url = database_url("postgresql")
    tokens = prepare(url, args.tokens)
    secret_key = secrets.token_urlsafe(48)
    env = server_env(url, secret_key)
    (WORK / "instance").mkdir(parents=True, exist_ok=True)
    open_count = int(args.rate * args.duration)
    open_tokens = tokens[:open_count]
    post_tokens = tokens[open_count : open_count + args.submissions]
    closed_tokens = tokens[open_count + args.submissions :]
    app_server = start_gunicorn("wsgi:app", APP_PORT, env, WORK / "survey-app.log")
    hello_server = start_gunicorn("bench.load_hello:app", HELLO_PORT, env, WORK / "survey-hello.log")
    report: dict = {
        "rate": args.rate,
        "duration_s": args.duration,
        "connections": args.connections,
        "load_average_before": os.getloadavg(),
    }
    try:
        warm_app, warm_hello = Connection(APP_PORT), Connection(HELLO_PORT)
        for warm in range(100):  # both servers' workers: imports, pools and templates
            warm_app.request("GET", f"/s/{closed_tokens[-1 - warm]}", 10_000_000 + warm)
            warm_hello.request("GET", "/", 0)
        print("open loop ...", flush=True)
        report["open_loop"] = open_loop(open_tokens, args.rate, args.duration)
        print("open loop:", report["open_loop"], flush=True)
        survey_paths = [f"/s/{token}" for token in closed_tokens]
        hello_paths = ["/"] * 100_000
        rounds: dict[str, list[dict]] = {"hello world": [], "survey page views": []}
        offset = 0
        for _ in range(2):
            rounds["hello world"].append(
                closed_loop(HELLO_PORT, hello_paths, args.connections, args.closed_seconds, first=20_000_000)
            )
            part = survey_paths[offset:] + survey_paths[:offset]
            rounds["survey page views"].append(
                closed_loop(APP_PORT, part, args.connections, args.closed_seconds, first=offset)
            )
            offset = (offset + rounds["survey page views"][-1]["requests"]) % len(survey_paths)
            print("closed loop:", {k: v[-1] for k, v in rounds.items()}, flush=True)
        report["closed_loop"] = {
            name: {
                "per_s": round(statistics.mean(r["per_s"] for r in runs), 1),
                "p50_ms": max(r["p50_ms"] for r in runs),
                "p99_ms": max(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] for r in runs),
                "rounds": runs,
            }
            for name, runs in rounds.items()
        }
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


def table(report: dict) -> str:
    o = report["open_loop"]
    lines = [
        f"open loop, {o['offered_per_s']:.0f} page views/s for {report['duration_s']:.0f} s: "
        f"p50 {o['p50_ms']} ms, p95 {o['p95_ms']} ms, p99 {o['p99_ms']} ms, max {o['max_ms']} ms, "
        f"errors {o['errors']} ({o['achieved_per_s']}/s sent)",
        f"closed loop, {report['connections']} clients: requests/s, p50, p99 (worst of 2 rounds), errors",
    ]
    closed = report["closed_loop"]
    for name, row in closed.items():
        lines.append(
            f"  {name:18} {row['per_s']:8.1f}  {row['p50_ms']:6.1f} ms  {row['p99_ms']:6.1f} ms"
            f"  {row['errors']}"
        )
    share = closed["survey page views"]["per_s"] / closed["hello world"]["per_s"]
    lines.append(f"  survey page views at {share:.0%} of hello world")
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
