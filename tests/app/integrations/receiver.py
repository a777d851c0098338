"""A real HTTP receiver on 127.0.0.1 for outgoing webhooks and Slack: records each POST and
answers with the statuses it is told to (then 200); a 3xx points elsewhere on it, where a GET is
recorded and answered 200. ``NotHttpServer`` answers every connection with a line that is not HTTP."""

from __future__ import annotations

import hmac
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from feedback_app.services.integrations.webhooks import sign


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)

    def start(self) -> Receiver:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = owner.statuses.pop(0) if owner.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                if 300 <= status < 400:
                    self.send_header("Location", "/moved")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"no")

            def do_GET(self) -> None:
                owner.gets.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class NotHttpServer:
    """Reads each request and answers one line that is not an HTTP status line, then hangs up."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:  # closed by stop()
                return
            with connection:
                self.connections += 1
                connection.recv(65536)
                connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    def stop(self) -> None:
        self.sock.close()


def verify(secret: str, headers: dict[str, str], body: bytes, *, tolerance_seconds: int = 300) -> bool:
    """A receiver's Standard Webhooks check: a recent timestamp and a v1 signature of this body with
    ``secret`` (``sign`` itself is checked against the specification's test vector)."""
    event_id, timestamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
    if not event_id or not timestamp or not timestamp.isdigit():
        return False
    if abs(int(time.time()) - int(timestamp)) > tolerance_seconds:
        return False
    expected = sign(secret, event_id, int(timestamp), body).split(",", 1)[1]
    given = [
        part.split(",", 1)[1]
        for part in (headers.get("webhook-signature") or "").split()
        if part.startswith("v1,")
    ]
    return any(hmac.compare_digest(expected, candidate) for candidate in given)
