"""The in-process counters behind ``memory://`` rate limits: exact counts, windows that end, bounded memory."""

from __future__ import annotations

import threading
import time

from limits import parse
from limits.strategies import FixedWindowRateLimiter

from feedback_app import local_counters
from feedback_app.local_counters import LocalCounters


def test_counts_add_up_within_a_window_and_restart_after_it():
    counters = LocalCounters()
    assert [counters.incr("k", 0.2) for _ in range(3)] == [1, 2, 3]
    assert counters.get("k") == 3
    assert time.time() < counters.get_expiry("k") <= time.time() + 0.2
    time.sleep(0.25)
    assert counters.get("k") == 0
    assert counters.incr("k", 0.2) == 1


def test_clear_and_reset_forget_keys():
    counters = LocalCounters()
    counters.incr("a", 60)
    counters.incr("b", 60, amount=5)
    counters.clear("a")
    assert counters.get("a") == 0 and counters.get("b") == 5
    assert counters.reset() == 1 and counters.get("b") == 0


def test_fixed_window_limit_refuses_the_request_over_the_rate():
    limiter = FixedWindowRateLimiter(LocalCounters())
    limit = parse("3/minute")
    assert [limiter.hit(limit, "survey", "10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "survey", "10.0.0.2")  # another client has its own count
    reset_at, remaining = limiter.get_window_stats(limit, "survey", "10.0.0.1")
    assert remaining == 0 and 0 < reset_at - time.time() <= 60


def test_expired_keys_are_swept_so_memory_follows_active_clients(monkeypatch):
    monkeypatch.setattr(local_counters, "SWEEP_SECONDS", 0.3)
    counters = LocalCounters()
    for client in range(1000):
        counters.incr(f"client-{client}", 0.05)
    assert len(counters) == 1000  # no sweep yet
    time.sleep(0.35)
    counters.incr("still-here", 60)
    assert len(counters) == 1


def test_threads_share_counts_exactly_and_no_timer_thread_is_started():
    counters = LocalCounters()
    threads_before = threading.active_count()
    seen_during: list[int] = []

    def hammer() -> None:
        for _ in range(2000):
            counters.incr("shared", 60)
        seen_during.append(threading.active_count())

    workers = [threading.Thread(target=hammer) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert counters.get("shared") == 16000
    assert max(seen_during) <= threads_before + 8  # only our own threads: nothing spawned per call
