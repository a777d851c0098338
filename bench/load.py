"""Load benchmark: the survey pages under gunicorn beside a bare Flask "hello world", on SQLite and PostgreSQL.

    .venv/bin/python bench/load.py [--db sqlite,postgresql] [--duration 30] [--rounds 5] [--connections 32]

For each database: a fresh database with the surveys and ``--tokens`` invitations (each a
distinct raw token), two gunicorn servers on 127.0.0.1 started with the same ``gunicorn.conf.py``
settings (the app, and ``bench/load_hello.py``), then wrk (``apt-get install wrk``) with
``bench/load_mix.lua``: first ``GET /`` on hello world, then the survey mix (page view, and for two
tokens in three a submission and the thank-you page), then page views alone (``GET /s/<token>``,
the request every invitee who clicks makes), in ``--rounds`` alternating turns of
``--duration / rounds`` seconds each, every survey turn on its own fresh tokens. Each run waits
for the machine to settle (load average under 1) first. Besides requests/s and latency, the CPU time the server processes
(and PostgreSQL) used per request is reported: it is far steadier than requests/s on a shared
machine. Afterwards the database is checked: every submission answered ``303`` is stored, none
twice, and every link viewed is recorded as opened. Traffic stays on 127.0.0.1, bounded in time.
Results: a table on stdout and ``bench/results/load-<db>.json``.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
WORK = RESULTS / "load.tmp"
PG_ADMIN_URL = "postgresql+psycopg://{user}@127.0.0.1:5432/postgres"
PG_BENCH_DB = "afterword_bench"
SURVEY_KEY = "saas_cancellation"


# -- data -------------------------------------------------------------------------------------


def database_url(kind: str) -> str:
    """A fresh, empty bench database: SQLite in ``WORK``, or PostgreSQL's ``afterword_bench`` dropped and
    created again (so two benches must not run at once)."""
    WORK.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = WORK / "load.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine

    user = os.environ.get("USER") or "root"
    admin = create_engine(PG_ADMIN_URL.format(user=user), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{PG_BENCH_DB}"')
    admin.dispose()
    return f"postgresql+psycopg://{user}@127.0.0.1:5432/{PG_BENCH_DB}"


def prepare(url: str, count: int) -> list[str]:
    """Migrate, load the surveys, and create ``count`` sent invitations; returns their raw tokens."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from config import DevelopmentConfig
    from feedback_app import MIGRATIONS_DIR, create_app
    from feedback_app.extensions import db
    from feedback_app.models import DepartedCustomer, Invitation, Survey
    from feedback_app.services.outreach.tokens import hash_token, new_token
    from feedback_app.services.surveys.versions import load_directory

    app = create_app(DevelopmentConfig, overrides={"SQLALCHEMY_DATABASE_URI": url, "JOB_RUNNER": "inline"})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        load_directory(Path(app.config["SURVEYS_DIR"]))
        survey_id = db.session.scalar(select(Survey.id).where(Survey.key == SURVEY_KEY))
        tokens = [new_token() for _ in range(count)]
        left = date.today() - timedelta(days=3)
        db.session.execute(
            insert(DepartedCustomer),
            [
                dict(
                    source="bench",
                    external_id=f"B{i}",
                    email=f"b{i}@example.com",
                    name=f"Bench Person{i}",
                    left_at=left,
                    plan="team",
                    monthly_revenue_cents=4900,
                    contact_consent=True,
                )
                for i in range(count)
            ],
        )
        ids = db.session.scalars(select(DepartedCustomer.id).order_by(DepartedCustomer.id)).all()
        db.session.execute(
            insert(Invitation),
            [
                dict(customer_id=cid, survey_id=survey_id, token_hash=hash_token(tok), status="sent")
                for cid, tok in zip(ids, tokens, strict=True)
            ],
        )
        db.session.commit()
        db.engine.dispose()
    return tokens


def verify(url: str, posted_tokens: list[str]) -> dict:
    """Count what was stored: responses, invitations with more than one, responses for tokens never posted."""
    from sqlalchemy import create_engine, func, select

    from feedback_app.models import Invitation, Response
    from feedback_app.services.outreach.tokens import hash_token

    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.scalar(select(func.count()).select_from(Response))
        doubled = conn.scalar(
            select(func.count()).select_from(
                select(Response.invitation_id)
                .group_by(Response.invitation_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        posted_hashes = {hash_token(t) for t in posted_tokens}
        answered = set(conn.scalars(select(Invitation.token_hash).join(Response)).all())
        completed = conn.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.status == "completed")
        )
        opened = conn.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.opened_at.is_not(None))
        )
    engine.dispose()
    return {
        "stored": stored,
        "invitations_with_two": doubled,
        "stored_not_posted": len(answered - posted_hashes),
        "invitations_completed": completed,
        "invitations_opened": opened,
    }


# -- servers ------------------------------------------------------------------------------------


def server_env(url: str, secret_key: str) -> dict:
    """The environment both servers run with: production config, the bench database, no access log."""
    return dict(
        os.environ,
        AFTERWORD_ENV="production",
        SECRET_KEY=secret_key,
        DATABASE_URL=url,
        AFTERWORD_INSTANCE_DIR=str(WORK / "instance"),
        MAIL_OUTBOX_DIR=str(WORK / "mail"),
        PROXY_FIX_X_FOR="1",
        GUNICORN_ACCESS_LOG="false",
        SESSION_COOKIE_SECURE="false",
        JOB_RUNNER="thread",
        PUBLIC_BASE_URL="http://127.0.0.1:8811",
    )


def start_gunicorn(app_path: str, port: int, env: dict, log: Path, checkout: Path = ROOT) -> subprocess.Popen:
    """gunicorn with ``checkout``'s ``gunicorn.conf.py``, serving ``app_path`` from that checkout."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-c",
        str(checkout / "gunicorn.conf.py"),
        "-b",
        f"127.0.0.1:{port}",
        "--control-socket",
        str(WORK / f"gunicorn-{port}.ctl"),
        app_path,
    ]
    process = subprocess.Popen(
        command, cwd=checkout, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except urllib.error.HTTPError:
            return process  # answering, even if 404
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn for {app_path} did not answer on port {port}; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class _FormFields(html.parser.HTMLParser):
    """Field names of the survey form, with a valid value for each (first option, some text)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.fields.setdefault(name, a.get("value", "on"))
            elif kind == "hidden":
                self.fields[name] = a.get("value", "")
            elif kind not in ("submit", "button"):
                self.fields.setdefault(name, "More seats for the same money" if kind == "text" else "9")
        elif tag == "textarea" and name:
            self.fields.setdefault(name, "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            self.fields.setdefault(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_bodies(port: int, token: str, variants: int = 40) -> tuple[str, list[str]]:
    """One live page view: any cookie it sets (survey pages set none), and request bodies with real
    answers; the signed form field is ``__SIGNATURE__``, which load_mix.lua replaces per token."""
    from feedback_app.services.demo.company import load_answers

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{token}", timeout=10) as page:
        cookie = "; ".join(c.split(";", 1)[0] for c in page.headers.get_all("Set-Cookie") or [])
        parser = _FormFields()
        parser.feed(page.read().decode())
    fields = parser.fields
    fields["csrf_token"] = "__SIGNATURE__"
    texts = [entry.get("what_happened") or "" for entry in load_answers()]
    texts = [t for t in texts if isinstance(t, str) and t.strip()] or [
        "The price went up and support was slow."
    ]
    long_text = [name for name, value in fields.items() if value == "" and name not in ("edit_of",)]
    bodies = []
    for i in range(variants):
        answer = dict(fields)
        for name in long_text:
            answer[name] = texts[i % len(texts)]
        bodies.append(urllib.parse.urlencode(answer))
    return cookie, bodies


_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> dict[int, tuple[int, str, float]]:
    """Every process: (parent pid, name, CPU seconds used so far), from /proc."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        # utime + stime, plus cutime + cstime: workers gunicorn recycled (max_requests) and reaped
        # count in their parent's figure.
        stats[int(entry.name)] = (int(fields[1]), name, sum(int(f) for f in fields[11:15]) / _TICKS)
    return stats


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn server (master and workers) and by PostgreSQL.

    CPU time per request is far steadier than requests per second on a shared machine whose
    speed drifts from minute to minute: the bench reports both."""
    stats = _proc_stats()
    tree, frontier = set(), {server_pid}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, (ppid, _, _) in stats.items() if ppid in frontier and pid not in tree}
    return {
        "app": sum(stats[pid][2] for pid in tree if pid in stats),
        "database": sum(cpu for _, name, cpu in stats.values() if name == "postgres"),
    }


def write_view_links(path: Path, tokens: list[str]) -> Path:
    """A links file for wrk's page-views mode (``load_mix.lua``): one token per line, no signature."""
    path.write_text("".join(f"{token} -\n" for token in tokens))
    return path


def wrk_command(port: int, mode: str, seconds: int, connections: int) -> list[str]:
    return [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "load_mix.lua"),
        f"http://127.0.0.1:{port}",
    ]


def wrk_result(output: str) -> dict:
    """The figures ``load_mix.lua`` prints, with requests/s and errors (socket errors and 4xx/5xx)."""
    line = next((ln for ln in output.splitlines() if ln.startswith("LOADJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result:\n{output}")
    result = json.loads(line[len("LOADJSON ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    codes = {int(k): v for k, v in result["statuses"].items()}
    # 302 is expected: a thank-you page asked for before its submission finished redirects to the form.
    result["errors"] = result["socket_errors"] + sum(v for k, v in codes.items() if k >= 400)
    return result


def run_wrk(
    port: int,
    mode: str,
    seconds: int,
    connections: int,
    env_extra: dict,
    server: subprocess.Popen | None = None,
) -> dict:
    env = dict(os.environ, LOAD_MODE=mode, **env_extra)
    before = cpu_seconds(server.pid) if server else None
    out = subprocess.run(
        wrk_command(port, mode, seconds, connections),
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        stdin=subprocess.DEVNULL,
    )
    after = cpu_seconds(server.pid) if server else None
    result = wrk_result(out.stdout + out.stderr)
    if before and after:
        result["cpu_ms_per_request"] = {
            part: 1000 * (after[part] - before[part]) / max(1, result["requests"])
            for part in ("app", "database")
        }
    return result


# -- the run ------------------------------------------------------------------------------------


def settle(limit: float = 1.0, longest: float = 90.0) -> None:
    """Wait (at most ``longest`` seconds) for the 1-minute load average to fall under ``limit``, so
    a run does not start in the wake of the previous one (PostgreSQL's autovacuum and checkpoint of
    the invitations just written, the last server's shutdown)."""
    deadline = time.monotonic() + longest
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(2)


def bench_one(kind: str, args: argparse.Namespace) -> dict:
    print(f"== {kind}: preparing {args.tokens} invitations", flush=True)
    url = database_url(kind)
    tokens = prepare(url, args.tokens + 1)
    settle()
    spare, tokens = tokens[0], tokens[1:]
    secret_key = secrets.token_urlsafe(48)
    # Each POST carries its own link's signed field, as a browser posts the field of the page it
    # viewed. wrk cannot wait for a page view before sending its POST on another connection, so
    # the field is computed here (HMAC with the server's key, exactly what the page shows).
    from feedback_app.services.responses.signatures import ANSWER, link_signature

    rounds = max(1, args.rounds)
    per_round = len(tokens) // rounds
    # Each round's tokens: a third for the survey mix (a token serves 2.3 requests there), two
    # thirds for page views only (one request each).
    slices, view_slices = [], []
    for r in range(rounds):
        part = tokens[r * per_round : (r + 1) * per_round]
        slices.append(part[: len(part) // 3])
        view_slices.append(part[len(part) // 3 :])
    token_files, view_files = [], []
    for r, (part, view_part) in enumerate(zip(slices, view_slices, strict=True)):
        token_files.append(WORK / f"tokens-{r}.txt")
        token_files[-1].write_text("".join(f"{t} {link_signature(secret_key, t, ANSWER)}\n" for t in part))
        view_files.append(WORK / f"view-tokens-{r}.txt")
        write_view_links(view_files[-1], view_part)
    env = server_env(url, secret_key)
    load_before = os.getloadavg()
    hello = start_gunicorn("bench.load_hello:app", 8812, env, WORK / f"hello-{kind}.log")
    app = start_gunicorn("wsgi:app", 8811, env, WORK / f"app-{kind}.log")
    seconds = max(3, args.duration // rounds)
    per_app: dict[str, list[dict]] = {"hello": [], "survey": [], "views": []}
    try:
        cookie, bodies = form_bodies(8811, spare)
        body_file = WORK / "bodies.txt"
        body_file.write_text("\n".join(bodies) + "\n")
        run_wrk(8812, "hello", 3, args.connections, {})  # warm-up
        # Rounds alternate the apps, so a slow spell of the shared machine (they last tens of
        # seconds here) falls on all of them instead of on whichever ran at the time.
        for token_file, view_file in zip(token_files, view_files, strict=True):
            per_app["hello"].append(run_wrk(8812, "hello", seconds, args.connections, {}, hello))
            per_app["survey"].append(
                run_wrk(
                    8811,
                    "survey",
                    seconds,
                    args.connections,
                    {"LOAD_TOKENS": str(token_file), "LOAD_BODIES": str(body_file), "LOAD_COOKIE": cookie},
                    app,
                )
            )
            per_app["views"].append(
                run_wrk(8811, "views", seconds, args.connections, {"LOAD_TOKENS": str(view_file)}, app)
            )
    finally:
        stop(app)
        stop(hello)
    results = {name: combine(runs) for name, runs in per_app.items()}
    posted = [
        t
        for part, run in zip(slices, per_app["survey"], strict=True)
        for t in posted_tokens(part, run["posts"])
    ]
    survey = results["survey"]
    check = verify(url, posted)
    accepted = survey["statuses"].get("303", 0)
    check.update(
        accepted=accepted,
        posts_sent=survey["posts"],
        views_sent=survey.get("views", 0) + results["views"].get("views", 0),
        tokens_reused=survey.get("reused", 0) + results["views"].get("reused", 0),
        unanswered_at_cutoff=sum(
            max(0, results[name].get("sent", 0) - results[name]["requests"]) for name in ("survey", "views")
        ),
        lost=max(0, accepted - check["stored"]),
        stored_after_cutoff=check["stored"] - accepted,
    )
    return {
        "database": kind,
        "connections": args.connections,
        "duration_s": args.duration,
        "rounds": rounds,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "cpus": os.cpu_count(),
        "gunicorn": {
            "workers": os.environ.get("GUNICORN_WORKERS", "2 (default)"),
            "threads": os.environ.get("GUNICORN_THREADS", "2 (default)"),
        },
        "results": results,
        "check": check,
    }


def posted_tokens(tokens: list[str], posts: int) -> list[str]:
    """The tokens whose submissions wrk sent: steps go token by token, two posts per three tokens."""
    issued = (posts * 3 + 1) // 2 + 2
    return [t for i, t in enumerate(tokens[:issued], start=1) if i % 3 != 0][:posts]


def combine(runs: list[dict]) -> dict:
    """One result from the rounds: totals, requests/s over the time they ran, the median round's
    latency percentiles and the worst round's p99, CPU per request over all of them."""
    total = {
        key: sum(run.get(key) or 0 for run in runs)
        for key in ("requests", "duration_us", "socket_errors", "posts", "views", "reused", "sent", "errors")
    }
    statuses: dict[str, int] = {}
    for run in runs:
        for code, count in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    total["statuses"] = statuses
    total["rps"] = total["requests"] / (total["duration_us"] / 1e6)
    for key in ("p50_us", "p95_us", "p99_us"):
        total[key] = sorted(run[key] for run in runs)[len(runs) // 2]
    total["worst_round_p99_us"] = max(run["p99_us"] for run in runs)
    total["cpu_ms_per_request"] = {
        part: sum(run["cpu_ms_per_request"][part] * run["requests"] for run in runs)
        / max(1, total["requests"])
        for part in ("app", "database")
    }
    total["rounds"] = [
        {key: run[key] for key in ("requests", "rps", "p50_us", "p99_us", "cpu_ms_per_request")}
        for run in runs
    ]
    return total


def _cpu(result: dict) -> float:
    return sum(result["cpu_ms_per_request"].values())


def table(report: dict) -> str:
    rows = []
    names = {"hello": "hello", "survey": "survey mix", "views": "page views"}
    for name in ("hello", "survey", "views"):
        r = report["results"][name]
        rows.append(
            f"| {report['database']} | {names[name]} | {r['rps']:.0f} | {r['p50_us'] / 1000:.1f} | "
            f"{r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} ({r['worst_round_p99_us'] / 1000:.0f}) | "
            f"{r['errors']} | "
            f"{', '.join(f'{k}: {v}' for k, v in sorted(r['statuses'].items()))} | "
            f"{r['cpu_ms_per_request']['app']:.2f} + {r['cpu_ms_per_request']['database']:.2f} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="sqlite,postgresql", help="databases to run on, comma-separated")
    parser.add_argument("--duration", type=int, default=30, help="seconds per app, split over the rounds")
    parser.add_argument("--connections", type=int, default=32, help="concurrent wrk connections (clients)")
    parser.add_argument(
        "--tokens",
        type=int,
        default=120000,
        help="invitations to create; each is viewed at most once (split over the rounds: a "
        "third for the survey mix, two thirds for page views)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="alternate hello world, the survey mix and page views this many times (duration is split)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    reports = []
    for kind in args.db.split(","):
        report = bench_one(kind.strip(), args)
        reports.append(report)
        (RESULTS / f"load-{report['database']}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        "\n| database | app | requests/s | p50 ms | p95 ms | p99 ms (worst round) | errors | statuses "
        "| CPU ms/request (app + database) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for report in reports:
        print(table(report))
    for report in reports:
        r = report["results"]
        c = report["check"]
        print(
            f"{report['database']}: load average {report['load_average_before'][0]:.1f} before the run, "
            f"{report['load_average_after'][0]:.1f} after "
            f"on {report['cpus']} CPUs; throughput of hello world: survey mix "
            f"{r['survey']['rps'] / r['hello']['rps']:.0%}, page views {r['views']['rps'] / r['hello']['rps']:.0%}; "
            f"hello/survey CPU per request: mix {_cpu(r['hello']) / _cpu(r['survey']):.0%}, "
            f"page views {_cpu(r['hello']) / _cpu(r['views']):.0%}; "
            f"submissions accepted (303) {c['accepted']}, stored {c['stored']} "
            f"(+{c['stored_after_cutoff']} in flight at the cut-off), lost {c['lost']}, "
            f"stored twice {c['invitations_with_two']}, stored for a token never posted {c['stored_not_posted']}; "
            f"links recorded as opened {c['invitations_opened']} for {c['views_sent']} page views sent, "
            f"{c['unanswered_at_cutoff']} requests of them all still unanswered when a turn's wrk stopped "
            "(opened marks are written behind the view and on shutdown)"
            + (
                f"; WARNING: {c['tokens_reused']} requests re-used a token (raise --tokens)"
                if c["tokens_reused"]
                else ""
            )
        )


if __name__ == "__main__":
    main()
