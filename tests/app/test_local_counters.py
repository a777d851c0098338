"""The in-process counters behind ``memory://`` rate limits: exact counts, windows that end, bounded memory."""

from __future__ import annotations

import threading

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from feedback_app import local_counters
from feedback_app.local_counters import LocalCounters


class Clock:
    """A fake ``time.time`` for the module, so windows end exactly when the test says."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(local_counters.time, "time", fake)
    return fake


def test_counts_add_up_within_a_window_and_restart_after_it(clock):
    counters = LocalCounters()
    assert [counters.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    clock.now += 59
    assert counters.get("k") == 3 and counters.get_expiry("k") == clock.now + 1
    clock.now += 1
    assert counters.get("k") == 0 and counters.get_expiry("k") == clock.now
    assert counters.incr("k", 60) == 1


def test_clear_and_reset_forget_keys(clock):
    counters = LocalCounters()
    counters.incr("a", 60)
    counters.incr("b", 60, amount=5)
    counters.clear("a")
    assert counters.get("a") == 0 and counters.get("b") == 5
    assert counters.reset() == 1 and counters.get("b") == 0


def test_fixed_window_limit_refuses_the_request_over_the_rate(clock):
    limiter = FixedWindowRateLimiter(LocalCounters())
    limit = parse("3/minute")
    assert [limiter.hit(limit, "survey", "10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "survey", "10.0.0.2")  # another client has its own count
    reset_at, remaining = limiter.get_window_stats(limit, "survey", "10.0.0.1")
    assert remaining == 0 and reset_at == clock.now + 60
    clock.now += 60
    assert limiter.hit(limit, "survey", "10.0.0.1")  # a new minute


def test_expired_keys_are_swept_so_memory_follows_active_clients(clock):
    counters = LocalCounters()
    for client in range(1000):
        counters.incr(f"client-{client}", 5)
    clock.now += 6
    counters.incr("early", 60)
    assert len(counters) == 1001  # expired, but not swept before SWEEP_SECONDS
    clock.now += local_counters.SWEEP_SECONDS
    counters.incr("still-here", 60)
    assert len(counters) == 2


def test_no_thread_is_started_per_call(monkeypatch):
    """``limits``' MemoryStorage starts a timer thread every 10 ms under traffic; this must not."""
    started = []
    real_start = threading.Thread.start

    def counting_start(thread: threading.Thread) -> None:
        started.append(thread)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    counters = LocalCounters()
    for i in range(5000):
        counters.incr(f"client-{i % 50}", 60)
    assert started == []


def test_threads_share_counts_exactly():
    counters = LocalCounters()

    def hammer() -> None:
        for _ in range(2000):
            counters.incr("shared", 60)

    workers = [threading.Thread(target=hammer) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert counters.get("shared") == 16000
