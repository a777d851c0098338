"""Benchmark: import 100,000 departed customers from CSV, against a naive row-by-row ORM upsert.

    .venv/bin/python bench/import_csv.py [--rows 100000] [--baseline-rows 5000] [--database-url URL]

Generates a CSV (about 5% bad rows, like a real export), imports it into a fresh database with
the real service (``feedback_app.services.customers.csv_import``), imports it again (every row unchanged),
then times a naive ORM loop (one SELECT and one flush per row) on a smaller sample, and prints
rows per second for each. Uses a throwaway SQLite file unless ``--database-url`` is given (a
PostgreSQL database given there is emptied first).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from config import TestingConfig
from feedback_app import create_app
from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer
from feedback_app.services.customers.csv_import import import_csv
from feedback_app.services.customers.records import FIELDS, parse_record

COLUMNS = [name for name in FIELDS if name != "returned_at"]


def generate(rows: int, seed: int = 42) -> bytes:
    """A realistic export: varied plans and figures, about 5% of rows with a mistake."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    plans = [("starter", 19), ("team", 79), ("business", 249), ("enterprise", 1200)]
    for i in range(rows):
        plan, price = rng.choice(plans)
        tenure = rng.randint(1, 60)
        row = [
            f"cust-{i:07d}",
            f"person{i}@example.com",
            f"Person {i}",
            f"Company {i % 5000}",
            plan,
            rng.choice(["smb", "mid_market", "enterprise"]),
            f"{price}.00",
            f"{price * tenure}.00",
            tenure,
            (date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))).isoformat(),
            rng.choice(["voluntary", "involuntary"]),
            rng.choice(["yes", "no"]),
        ]
        if rng.random() < 0.05:
            row[rng.choice([1, 6, 9, 10])] = rng.choice(["not-an-email", "-5", "31/12/2026", "maybe"])
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def naive_upsert(data: bytes, source: str) -> int:
    """What one would write first: parse each row, look it up, add or update it through the ORM."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    stored = 0
    for raw in reader:
        record, errors = parse_record(raw, source=source)
        if record is None:
            continue
        customer = db.session.scalar(
            select(DepartedCustomer).where(
                DepartedCustomer.source == source, DepartedCustomer.external_id == record.external_id
            )
        )
        if customer is None:
            customer = DepartedCustomer(source=source, external_id=record.external_id)
            db.session.add(customer)
        for column, value in record.column_values().items():
            setattr(customer, column, value)
        db.session.flush()
        stored += 1
    db.session.commit()
    return stored


def timed(label: str, rows: int, work) -> float:
    """Wall time and this process's CPU time (SQLite runs in-process; CPU time ignores a busy machine)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        f"{label:<44} {rows:>7,} rows: wall {seconds:6.2f} s = {rows / seconds:>7,.0f} rows/s; "
        f"CPU {cpu:6.2f} s = {rows / cpu:>7,.0f} rows/s | {result}"
    )
    return rows / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    parser.add_argument("--database-url", help="default: a throwaway SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app(TestingConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.drop_all()
            db.create_all()
            print(f"database: {db.engine.dialect.name}")
            data = generate(args.rows)
            print(f"generated {args.rows:,} rows ({len(data) / 1e6:.1f} MB)")
            fast = timed(
                "import_csv, fresh database", args.rows, lambda: import_csv(data, source="bench").summary()
            )
            timed(
                "import_csv, same file again (all unchanged)",
                args.rows,
                lambda: import_csv(data, source="bench").summary(),
            )
            sample = generate(args.baseline_rows, seed=7)
            timed(
                "import_csv, baseline sample",
                args.baseline_rows,
                lambda: import_csv(sample, source="bench-sample").summary(),
            )
            slow = timed(
                "naive row-by-row ORM upsert, same sample",
                args.baseline_rows,
                lambda: f"{naive_upsert(sample, 'bench-naive')} stored",
            )
            print(f"speed-up of the bulk import over the naive loop (CPU time): {fast / slow:.1f}x")
            print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
