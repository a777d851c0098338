"""PostgreSQL's cost of writing a batch of "opened" marks, with and without the batch's plan settings.

    .venv/bin/python bench/opened_marks.py [--invitations 125000] [--batch 1500] [--rounds 10]

Page views record "opened" behind the request (``services/link_opens.py``): once a second each
worker writes its batch in one UPDATE joined to ``unnest`` of the batch's ids and times
(``survey_links.write_opened``). This creates ``--invitations`` sent invitations in a fresh
``afterword_bench`` database, then writes batches of ``--batch`` marks in alternating rounds:
the statement as the planner chooses to run it, and as ``write_opened`` runs it (after
``OPENED_BATCH_PLAN``, which leaves only primary-key probes). Each batch is planned with its own
values, as each pooled connection's first batches are; later ones run psycopg's prepared statement,
whose generic plan PostgreSQL settles on, and that plan is already the primary-key join. It reports the server CPU per mark
(the backend's utime + stime from /proc), the wall time per mark, and each plan's join. Writes
``bench/results/opened-marks.json``. Needs PostgreSQL on 127.0.0.1 (as ``bench/load.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import load  # noqa: E402  (bench/load.py: the database and its invitations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invitations", type=int, default=125_000, help="sent invitations in the table")
    parser.add_argument("--batch", type=int, default=1500, help="marks per batch (about a second of page views)")
    parser.add_argument("--rounds", type=int, default=10, help="batches per way of running it")
    args = parser.parse_args()
    if args.batch < 1 or args.rounds < 1:
        parser.error("--batch and --rounds must be at least 1")
    if args.invitations < 2 * args.batch * args.rounds:
        parser.error(f"--invitations must be at least 2 x batch x rounds = {2 * args.batch * args.rounds}")

    from sqlalchemy import create_engine, select, text

    from feedback_app.models import Invitation
    from feedback_app.services.survey_links import _OPENED_BATCH_STATEMENT, OPENED_BATCH_PLAN, write_opened_batch

    url = load.database_url("postgresql")
    print(f"== preparing {args.invitations:,} invitations", flush=True)
    load.prepare(url, args.invitations)
    # Every batch planned with its own values, as each pooled connection's first batches are: from
    # the sixth run psycopg prepares the statement, and PostgreSQL then settles on a generic plan.
    engine = create_engine(url, connect_args={"prepare_threshold": None})
    with engine.connect() as connection:
        connection.execute(text("ANALYZE invitation"))
        connection.commit()
        ids = connection.scalars(select(Invitation.id).order_by(Invitation.id)).all()
        backend = connection.scalar(text("SELECT pg_backend_pid()"))
        ticks = os.sysconf("SC_CLK_TCK")

        def backend_cpu() -> float:
            fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        ways = {"planner's choice": None, "write_opened (primary-key probes)": OPENED_BATCH_PLAN}
        totals = {way: {"cpu": 0.0, "wall": 0.0, "marks": 0, "joins": Counter()} for way in ways}
        compiled = _OPENED_BATCH_STATEMENT.compile(dialect=connection.dialect)
        start = 0
        for round_number in range(args.rounds):
            # Alternate which goes first, so a slow spell of the machine falls on both.
            order = list(ways.items()) if round_number % 2 == 0 else list(reversed(ways.items()))
            for way, settings in order:
                batch = ids[start:start + args.batch]
                start += args.batch
                values = {"ids": batch, "opened": [datetime.now(timezone.utc)] * len(batch)}
                if settings:
                    connection.exec_driver_sql(settings)
                plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}",
                                                  compiled.construct_params(values)).scalar_one()
                totals[way]["joins"][_join(plan[0]["Plan"])] += 1
                cpu, wall = backend_cpu(), time.perf_counter()
                if settings:  # the app's own code path
                    write_opened_batch(connection, dict(zip(values["ids"], values["opened"])))
                else:
                    connection.execute(_OPENED_BATCH_STATEMENT, values)
                connection.commit()
                totals[way]["cpu"] += backend_cpu() - cpu
                totals[way]["wall"] += time.perf_counter() - wall
                totals[way]["marks"] += len(batch)
    engine.dispose()

    rows = [{"way": way, "server_cpu_us_per_mark": round(1e6 * t["cpu"] / t["marks"], 1),
             "wall_us_per_mark": round(1e6 * t["wall"] / t["marks"], 1), "marks": t["marks"],
             "plans": dict(t["joins"])} for way, t in totals.items()]
    print(f"\n{args.invitations:,} invitations, {args.rounds} batches of {args.batch:,} marks each way\n")
    print("| statement | server CPU µs per mark | wall µs per mark | plans |\n| --- | --- | --- | --- |")
    for row in rows:
        plans = ", ".join(f"{join} x{count}" for join, count in row["plans"].items())
        print(f"| {row['way']} | {row['server_cpu_us_per_mark']} | {row['wall_us_per_mark']} | {plans} |")
    result = {"invitations": args.invitations, "batch": args.batch, "rounds": args.rounds, "rows": rows}
    (HERE / "results" / "opened-marks.json").write_text(json.dumps(result, indent=2) + "\n")


def _join(plan: dict) -> str:
    """The plan's join and how it reaches the invitation table, e.g. "Nested Loop + Index Scan"."""
    nodes: list[dict] = []
    stack = [plan]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    join = next((n["Node Type"] for n in nodes if n["Node Type"] in ("Nested Loop", "Hash Join", "Merge Join")), "?")
    scan = next((n["Node Type"] for n in nodes if n.get("Relation Name") == "invitation" and "Scan" in n["Node Type"]),
                "?")
    return f"{join} + {scan}"


if __name__ == "__main__":
    main()
