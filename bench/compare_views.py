"""Survey page views of two (or more) checkouts under gunicorn, in alternating rounds of one run, beside hello world.

    .venv/bin/python bench/compare_views.py OLD_CHECKOUT [NEW_CHECKOUT] [--db sqlite] [--seconds 6] [--rounds 4]

This machine's speed drifts by up to 2x between minutes, so two runs of ``bench/load.py`` taken
minutes apart cannot tell a 20% change from a slow spell. Here every checkout (default for the
second: this one) runs its own gunicorn (its own ``gunicorn.conf.py``, 32 wrk connections) on the
same fresh database; each app gets 2 s of page views to warm up, then the rounds alternate hello
world and each checkout's page views (``GET /s/<token>``, a fresh link each), hello world first and
the checkouts in reverse order every other round. A slow spell then
falls on all of them. Export an older commit with ``git archive <sha> | tar -x -C DIR``; its schema
must match this one's migrations.

Prints requests/s, CPU ms per request (server processes + PostgreSQL), p99 and errors per round
and in all; writes ``bench/results/compare-views-<db>.json``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import load  # noqa: E402  (bench/load.py: database, servers, wrk)

HELLO_PORT = 8830


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "checkouts", nargs="+", help="checkouts to compare; one alone is compared with this one"
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=6, help="seconds per round and app")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    checkouts = [Path(c).resolve() for c in args.checkouts]
    if len(checkouts) == 1:
        checkouts.append(load.ROOT)
    for checkout in checkouts:
        if not (checkout / "wsgi.py").is_file():
            parser.error(f"{checkout} is not a checkout of this project (no wsgi.py)")
    if args.seconds < 1 or args.rounds < 1:
        parser.error("--seconds and --rounds must be at least 1")

    # A fresh link per view: about 2,000 views a second at most here, with a margin.
    per_turn = args.seconds * 2600
    url = load.database_url(args.db)
    print(f"== {args.db}: preparing {per_turn * args.rounds * len(checkouts)} invitations", flush=True)
    warm_up = 2000  # page views per app before the rounds: imports, caches, prepared statements
    tokens = load.prepare(url, per_turn * args.rounds * len(checkouts) + warm_up * len(checkouts))
    tokens, spare = tokens[: -warm_up * len(checkouts)], tokens[-warm_up * len(checkouts) :]
    load.settle()
    env = load.server_env(url, secrets.token_urlsafe(48))
    servers = {
        "hello world": (
            HELLO_PORT,
            load.start_gunicorn("bench.load_hello:app", HELLO_PORT, env, load.WORK / "compare-hello.log"),
        )
    }
    try:
        for index, checkout in enumerate(checkouts, 1):
            servers[str(checkout)] = (
                HELLO_PORT + index,
                load.start_gunicorn(
                    "wsgi:app", HELLO_PORT + index, env, load.WORK / f"compare-{index}.log", checkout
                ),
            )
        for index, name in enumerate(list(servers)[1:]):
            warm = load.write_view_links(
                load.WORK / f"compare-warm-{index}.txt", spare[index * warm_up : (index + 1) * warm_up]
            )
            load.run_wrk(servers[name][0], "views", 2, args.connections, {"LOAD_TOKENS": str(warm)})
        runs = _rounds(servers, tokens, per_turn, args)
    finally:
        for _port, process in servers.values():
            load.stop(process)
    results = {name: load.combine(rounds) for name, rounds in runs.items()}
    _report(results, args)


def _rounds(
    servers: dict, tokens: list[str], per_turn: int, args: argparse.Namespace
) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {name: [] for name in servers}
    names = list(servers)
    load.run_wrk(HELLO_PORT, "hello", 2, args.connections, {})  # warm-up
    turn = 0
    for number in range(args.rounds):
        order = names if number % 2 == 0 else [names[0], *names[:0:-1]]
        for name in order:
            port, process = servers[name]
            if name == "hello world":
                runs[name].append(load.run_wrk(port, "hello", args.seconds, args.connections, {}, process))
                continue
            token_file = load.write_view_links(
                load.WORK / f"compare-tokens-{turn}.txt", tokens[turn * per_turn : (turn + 1) * per_turn]
            )
            turn += 1
            runs[name].append(
                load.run_wrk(
                    port, "views", args.seconds, args.connections, {"LOAD_TOKENS": str(token_file)}, process
                )
            )
            print(f"round {number + 1}: {name}: {runs[name][-1]['rps']:.0f} requests/s", flush=True)
    return runs


def _report(results: dict[str, dict], args: argparse.Namespace) -> None:
    hello = results["hello world"]["rps"]
    print(
        f"\n| {args.db} | requests/s (rounds) | share of hello world | CPU ms/request (app + database) "
        "| p99 ms (worst round) | errors |\n| --- | --- | --- | --- | --- | --- |"
    )
    for name, result in results.items():
        rounds = ", ".join(f"{r['rps']:.0f}" for r in result["rounds"])
        cpu = result["cpu_ms_per_request"]
        print(
            f"| {name} | {result['rps']:.0f} ({rounds}) | {result['rps'] / hello:.0%} "
            f"| {cpu['app']:.2f} + {cpu['database']:.2f} | {result['p99_us'] / 1000:.0f} "
            f"({result['worst_round_p99_us'] / 1000:.0f}) | {result['errors']} |"
        )
    for name, result in results.items():
        if result.get("reused"):
            print(
                f"WARNING: {name} ran out of fresh links: {result['reused']} views re-used one "
                "(they count as requests, and may be refused with 429)"
            )
    out = {
        "database": args.db,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "connections": args.connections,
        "results": {
            name: {
                key: result[key]
                for key in (
                    "rps",
                    "p50_us",
                    "p99_us",
                    "worst_round_p99_us",
                    "errors",
                    "statuses",
                    "cpu_ms_per_request",
                    "rounds",
                )
            }
            for name, result in results.items()
        },
    }
    (HERE / "results" / f"compare-views-{args.db}.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
