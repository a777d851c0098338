"""Email throughput to a local SMTP server (aiosmtpd on 127.0.0.1, in its own process): one reused connection
versus one connection per message, in the same run; plus the whole outbox path (claim ->
send -> mark sent, on a SQLite file database) with connection reuse.

    .venv/bin/python bench/email_throughput.py [--messages 500] [--repeat 3]

Prints messages per second (the best of ``--repeat`` runs) for each mode.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from feedback_app.services.mail import SmtpTransport
from feedback_app.services.mail.message import build_message, new_message_id

SENDER = "Brightloop <feedback@brightloop.example>"
BODY = "Hi Pat,\n\nCould you tell us why you left?\n\nhttp://127.0.0.1:5000/s/" + "x" * 43 + "\n" * 3
HTML = '<p>Hi Pat,</p><p>Could you tell us why you left? <a href="http://127.0.0.1:5000/s/x">Survey</a></p>'


def start_server() -> tuple[subprocess.Popen, int]:
    """aiosmtpd's Sink handler (accepts and discards) in a separate process, so it has its own GIL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"]
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("aiosmtpd did not start")


def messages(n: int) -> list:
    return [
        build_message(
            sender=SENDER,
            recipient=f"person{i}@example.com",
            recipient_name=f"Pat {i}",
            subject="Pat, could you tell us why you left Brightloop?",
            body_text=BODY,
            body_html=HTML,
            message_id=new_message_id(SENDER),
            headers={
                "List-Unsubscribe": "<http://127.0.0.1:5000/s/x/unsubscribe>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        for i in range(n)
    ]


def transport_rate(port: int, batch: list, *, reuse: bool) -> tuple[float, int]:
    transport = SmtpTransport("127.0.0.1", port, reuse=reuse, timeout=10)
    start = time.perf_counter()
    with transport:
        for message in batch:
            transport.send(message)
    return len(batch) / (time.perf_counter() - start), transport.connections_opened


def outbox_rate(port: int, n: int, folder: Path) -> float:
    from config import TestingConfig
    from feedback_app import create_app
    from feedback_app.extensions import db
    from feedback_app.services.outreach import outbox

    app = create_app(
        TestingConfig,
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "MAIL_TRANSPORT": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_OUTBOX_DIR": str(folder / "mail"),
        },
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        for i in range(n):
            outbox.queue_email(
                kind="invitation",
                idempotency_key=f"bench:{i}",
                recipient=f"person{i}@example.com",
                subject="Why did you leave?",
                body_text=BODY,
                body_html=HTML,
            )
        db.session.commit()
        start = time.perf_counter()
        report = outbox.deliver()
        elapsed = time.perf_counter() - start
        assert report.sent == n, report
        db.session.remove()
        db.engine.dispose()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    server, port = start_server()
    try:
        batch = messages(args.messages)
        results: dict[str, list[float]] = {"reuse": [], "per_message": [], "outbox": []}
        connections = {}
        for _ in range(args.repeat):
            rate, connections["reuse"] = transport_rate(port, batch, reuse=True)
            results["reuse"].append(rate)
            rate, connections["per_message"] = transport_rate(port, batch, reuse=False)
            results["per_message"].append(rate)
            with tempfile.TemporaryDirectory() as folder:
                results["outbox"].append(outbox_rate(port, args.messages, Path(folder)))
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"{args.messages} messages to aiosmtpd on 127.0.0.1 (separate process), best of {args.repeat} runs, "
        f"{os.cpu_count()} CPUs:"
    )
    print(
        f"  transport, one reused connection:   {max(results['reuse']):8.1f} msg/s "
        f"({connections['reuse']} connection)"
    )
    print(
        f"  transport, one connection per msg:  {max(results['per_message']):8.1f} msg/s "
        f"({connections['per_message']} connections)"
    )
    print(
        f"  outbox deliver (claim, send, mark; SQLite file; reused connection): "
        f"{max(results['outbox']):8.1f} msg/s"
    )
    print(f"  reuse speed-up: {max(results['reuse']) / max(results['per_message']):.1f}x")


if __name__ == "__main__":
    main()
