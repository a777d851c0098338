"""Instructions per survey page view, counted by valgrind: the same figure on every run, however busy the machine.

    .venv/bin/python bench/view_instructions.py [--db sqlite|postgresql] [--views 400] [CHECKOUT ...]

Timings on a shared 2-core machine move by 2x from minute to minute, which hides a 5% change.
An instruction count does not move (runs agree to 0.01%). For each checkout (default: this one;
give others to compare, e.g. an export of an older commit: ``git archive <sha> | tar -x -C DIR``)
and for the bare "hello world" of the load benchmark, this runs the app under valgrind's callgrind
with counting switched off, calls it straight through WSGI (production config, rate limits on,
each view from its own client address) for 300 warm-up views, switches counting on for
``--views`` page views of fresh links, and divides. Only the app process is counted: not
PostgreSQL, not a server, not the kernel. So it measures the code's own work, not what a request
costs under gunicorn (``bench/load.py``, ``bench/compare_views.py`` do that).

Needs valgrind (``apt-get install valgrind``). Prints a table; writes
``bench/results/view-instructions-<db>.json``. A run takes about 25 s per checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WARM_UP = 300


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--views", type=int, default=400, help="page views counted per checkout")
    parser.add_argument("checkouts", nargs="*", help="checkouts to measure (default: this one)")
    parser.add_argument("--child", nargs=3, metavar=("CHECKOUT", "URL", "TOKENS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _count_in_child(*args.child, views=args.views)
        return
    if args.views < 1:
        parser.error("--views must be at least 1")
    checkouts = [Path(c).resolve() for c in args.checkouts] or [ROOT]
    for checkout in checkouts:
        if not (checkout / "feedback_app").is_dir():
            parser.error(f"{checkout} is not a checkout of this project (no feedback_app/)")
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode != 0:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")

    sys.path[:0] = [str(ROOT), str(HERE)]
    import load

    url = load.database_url(args.db)
    per_checkout = WARM_UP + args.views
    print(f"== {args.db}: preparing {per_checkout * len(checkouts)} invitations", flush=True)
    tokens = load.prepare(url, per_checkout * len(checkouts))
    rows = []
    for number, (name, checkout) in enumerate([("hello world", ROOT), *((str(c), c) for c in checkouts)]):
        target = "hello" if name == "hello world" else str(checkout)
        # Each checkout views links of its own, never opened before (an opened link skips a write).
        own = tokens[(number - 1) * per_checkout : number * per_checkout] if number else tokens[:per_checkout]
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as handle:
            handle.write("\n".join(own))
            handle.flush()
            per_request = _run_valgrind(target, url, handle.name, args.views)
        rows.append({"app": name, "instructions_per_request": per_request})
        print(f"{name}: {per_request:,} instructions per request", flush=True)
    hello = rows[0]["instructions_per_request"]
    print("\n| app | instructions per request | x hello world |\n| --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['app']} | {row['instructions_per_request']:,} | {row['instructions_per_request'] / hello:.2f} |"
        )
    result = {"database": args.db, "views": args.views, "rows": rows}
    (HERE / "results" / f"view-instructions-{args.db}.json").write_text(json.dumps(result, indent=2) + "\n")


def _run_valgrind(target: str, url: str, token_file: str, views: int) -> int:
    with tempfile.TemporaryDirectory() as work:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={work}/callgrind.out",
            sys.executable,
            __file__,
            "--views",
            str(views),
            "--child",
            target,
            url,
            token_file,
        ]
        out = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONHASHSEED="0"),
        )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or not found:
        raise SystemExit(f"the counted run of {target} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return int(found.group(1)) // views


def _count_in_child(target: str, url: str, token_file: str, *, views: int) -> None:
    """Runs under valgrind: build the app, warm it up, count ``views`` page views."""
    checkout = ROOT if target == "hello" else Path(target)
    work = Path(tempfile.mkdtemp(prefix="view-instructions-"))
    sys.path[:0] = [str(checkout), str(HERE)]
    os.environ.update(
        AFTERWORD_ENV="production",
        SECRET_KEY="view-instructions-" + "k" * 40,
        AFTERWORD_INSTANCE_DIR=str(work / "instance"),
        MAIL_OUTBOX_DIR=str(work / "mail"),
        SESSION_COOKIE_SECURE="false",
        JOB_RUNNER="thread",
        PUBLIC_BASE_URL="http://127.0.0.1:8811",
        DATABASE_URL=url,
        PROXY_FIX_X_FOR="1",
    )
    if target == "hello":
        import load_hello

        app, paths = load_hello.app, ["/"] * (WARM_UP + views)
    else:
        import config
        from feedback_app import create_app

        app = create_app(config.ProductionConfig, overrides={"SQLALCHEMY_DATABASE_URI": url})
        paths = [f"/s/{token}" for token in Path(token_file).read_text().split()]

    def call(path: str, number: int) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8811",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8811",
            "HTTP_USER_AGENT": "bench",
            "HTTP_X_FORWARDED_FOR": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
        }
        status: list[str] = []
        body = app(environ, lambda code, headers, exc_info=None: status.append(code))
        b"".join(body)
        getattr(body, "close", lambda: None)()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}")

    for number, path in enumerate(paths[:WARM_UP]):
        call(path, number)
    switch = ["callgrind_control", "-i"]
    subprocess.run([*switch, "on", str(os.getpid())], check=True, capture_output=True)
    for number, path in enumerate(paths[WARM_UP : WARM_UP + views], WARM_UP):
        call(path, number)
    subprocess.run([*switch, "off", str(os.getpid())], check=True, capture_output=True)


if __name__ == "__main__":
    main()
