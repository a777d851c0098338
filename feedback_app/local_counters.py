"""Expiring counters in this process's memory: the ``memory://`` storage of rate limits and sign-in throttling.

``limits``' own ``MemoryStorage`` expires keys with a ``threading.Timer`` that it restarts every
10 ms while requests arrive, and each run scans every key it holds. Under load that is up to a
hundred new threads a second per worker and a scan that grows with the number of distinct client
addresses: in the load benchmark it cost about a sixth of the survey workers' samples. Fixed
windows need much less: a count and an expiry time per key, checked when the key is read, and
a sweep of expired keys at most once every ``SWEEP_SECONDS``, done by whichever request comes by.

Only what the fixed-window strategy and ``services.accounts.login_throttle`` use is implemented: ``incr``,
``get``, ``get_expiry``, ``clear`` (and ``check``/``reset`` for the ``Storage`` interface).
``redis://`` URIs keep using ``limits``' shared storage.
"""

from __future__ import annotations

import threading
import time

from limits.storage import Storage

#: Expired keys are removed at most this often (they are already ignored when read).
SWEEP_SECONDS = 10.0


class LocalCounters(Storage):
    """Fixed-window counters for one process, safe to share between its threads."""

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        self._counts: dict[str, list[float]] = {}  # key -> [count, expires at (epoch seconds)]
        self._lock = threading.Lock()
        self._next_sweep = time.time() + SWEEP_SECONDS
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add ``amount``; a key that is new or has expired starts a window of ``expiry`` seconds."""
        now = time.time()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            entry = self._counts.get(key)
            if entry is None or entry[1] <= now:
                self._counts[key] = [amount, now + expiry]
                return amount
            entry[0] += amount
            return int(entry[0])

    def get(self, key: str) -> int:
        entry = self._counts.get(key)
        if entry is None or entry[1] <= time.time():
            return 0
        return int(entry[0])

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (now, for a key that is not counting)."""
        now = time.time()
        entry = self._counts.get(key)
        return entry[1] if entry is not None and entry[1] > now else now

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)

    def check(self) -> bool:
        return True

    def reset(self) -> int:
        with self._lock:
            cleared = len(self._counts)
            self._counts.clear()
        return cleared

    def __len__(self) -> int:
        """Keys held, expired ones not yet swept included."""
        return len(self._counts)

    def _sweep(self, now: float) -> None:
        """Drop expired keys (the caller holds the lock), so memory follows active clients only."""
        self._counts = {key: entry for key, entry in self._counts.items() if entry[1] > now}
        self._next_sweep = now + SWEEP_SECONDS
