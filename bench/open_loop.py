"""A light open-loop HTTP load generator: GET requests sent at a constant rate, whatever the server does.

    .venv/bin/python bench/open_loop.py PORT PATHS_FILE --rate 100 --duration 60

Request ``i`` is due at ``start + i / rate``; its latency is measured from that *scheduled* time
(as wrk2 does), so a server that falls behind shows its queue in the figures instead of slowing
the client down (coordinated omission). Each request reuses an idle keep-alive connection or opens
a new one, so a slow server never holds back the next request. ``PATHS_FILE`` holds one path per
line; request ``i`` sends path ``i`` with ``X-Forwarded-For: 10.x.y.z`` (address ``i``), so
per-address rate limits apply as in production. One asyncio thread on plain sockets: about a
tenth of a millisecond of CPU a request, so the generator leaves the cores to the server (the
thread-per-request client it replaces used several times that). Prints one JSON line on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource

#: An idle keep-alive connection older than this is closed rather than reused: gunicorn closes
#: them after ``keepalive`` (5 s), and a request sent just then would fail through no fault of the app.
IDLE_SECONDS = 2.0
#: A request not answered this many seconds after it was due counts as an error ("no answer").
DEADLINE_SECONDS = 10.0


def address(n: int) -> str:
    """A distinct client address per request (the app's rate limits count per address)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Client:
    """Keep-alive HTTP/1.1 connections to one port: an idle one is reused, else a new one opened."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.opened = 0

    async def get(self, path: str, n: int) -> int | str:
        """Send one GET from client address ``n``: its status, or what went wrong with the connection."""
        loop = asyncio.get_running_loop()
        while self.idle and loop.time() - self.idle[0][2] > IDLE_SECONDS:
            self.idle.pop(0)[1].close()
        for attempt in range(2):  # an idle connection the server closed meanwhile is replaced once
            reused = bool(self.idle) and attempt == 0
            if reused:
                reader, writer, _ = self.idle.pop()
            else:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.opened += 1
            try:
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                    f"X-Forwarded-For: {address(n)}\r\n\r\n".encode()
                )
                head = await reader.readuntil(b"\r\n\r\n")
                status, length, close = _parse_head(head)
                await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                writer.close()
                if reused and attempt == 0:
                    continue
                return type(exc).__name__
            if close:
                writer.close()
            else:
                self.idle.append((reader, writer, loop.time()))
            return status
        return "no connection"


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    """Status, Content-Length and whether the server will close, from a response head."""
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    return status, length, close


def percentiles(latencies: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max in milliseconds."""
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


def slow_seconds(latencies: list[float], rate: float) -> str:
    """How many one-second spans of the schedule had a p99 over 100 ms ("3 of 60"): a few slow
    seconds point at the machine (another job took the cores for a moment), all of them at the app."""
    per_second = max(1, round(rate))
    spans = [latencies[i : i + per_second] for i in range(0, len(latencies), per_second)]
    slow = sum(1 for span in spans if percentiles(span)["p99_ms"] > 100)
    return f"{slow} of {len(spans)}"


async def run(port: int, paths: list[str], rate: float, duration: float, first: int) -> dict:
    count = int(rate * duration)
    if count > len(paths):
        raise SystemExit(f"{count} requests need as many paths; the file has {len(paths)}")
    client = Client(port)
    latencies: list[float] = [0.0] * count
    errors: dict[str, int] = {}
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    late_sends = 0

    async def one(i: int, due: float) -> None:
        try:
            status = await asyncio.wait_for(
                client.get(paths[i], first + i), timeout=due + DEADLINE_SECONDS - loop.time()
            )
        except TimeoutError:
            status = f"no answer within {DEADLINE_SECONDS:.0f} s"
        latencies[i] = loop.time() - due
        if status != 200:
            errors[str(status)] = errors.get(str(status), 0) + 1

    tasks = []
    sent_by = start
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    for i in range(count):
        due = start + i / rate
        wait = due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        elif wait < -0.005:
            late_sends += 1  # the generator itself fell behind by more than 5 ms
        tasks.append(asyncio.create_task(one(i, due)))
    sent_by = loop.time()
    await asyncio.gather(*tasks)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {
        "requests": count,
        "offered_per_s": rate,
        "sent_per_s": round(count / max(sent_by - start, 1e-9), 1),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "connections_opened": client.opened,
        "sent_late": late_sends,
        "generator_cpu_ms_per_request": round(1000 * cpu / max(count, 1), 3),
        "seconds_with_p99_over_100_ms": slow_seconds(latencies, rate),
        **percentiles(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("paths", help="file with one request path per line")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--first-address", type=int, default=0, help="client address of the first request")
    args = parser.parse_args()
    with open(args.paths) as handle:
        paths = [line.strip() for line in handle if line.strip()]
    result = asyncio.run(run(args.port, paths, args.rate, args.duration, args.first_address))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
