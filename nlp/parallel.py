"""Pure-Python work of the classify stage split over two processes: this one and a forked child.

The classify stage's own work is Python that holds the GIL (the n-gram head's analyzers, the
non-answer and cue-word rules), so threads cannot share it, while the embedding before it keeps
both cores busy through ONNX Runtime's threads. :func:`in_halves` runs a function on the first
half of a list here and on the second half in a forked child at the same time. It is used only
where each item's result depends on that item alone (a row of the n-gram head's probabilities,
the rules on one clause or answer), so the result is the same as one call on the whole list.

The child is made with :func:`os.fork` and leaves with :func:`os._exit`: it inherits the loaded
models and the function's data without pickling them, sends its result back through a pipe and
runs no exit handlers and flushes none of the parent's streams (another thread of the app may
hold their locks). It must not touch anything that other threads or native thread pools own
(the encoder's ONNX Runtime session, the cache's database); the callers pass only the rules and
the n-gram head. Where fork is unavailable, on one core, for short lists, or if the child
fails, the work runs here as one call.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import time
import warnings
from collections.abc import Callable
from typing import IO, Any, TypeVar

import numpy as np

T = TypeVar("T")
#: What a split function gives: one row or item per input, so two halves join in order.
R = TypeVar("R", list[Any], np.ndarray)

#: Shortest list worth a second process: forking the analysis process (page tables of 1-2 GiB)
#: and the copy-on-write faults after it cost tens of milliseconds, about as much as the
#: n-gram head spends on 1,000 answers.
MIN_SPLIT = 2000


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and of its children that have ended, so the
    classify stage's CPU figure counts the forked halves too."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def in_halves(fn: Callable[[list[T]], R], items: list[T], min_items: int | None = None) -> R:
    """``fn(items)``, computed as ``fn`` of each half, the second in a forked child at the same
    time; the halves' results (lists or arrays, by rows) are joined in order.

    ``fn`` must give, for each item, a result that depends on that item alone, and must not use
    the encoder or the cache (see the module docstring). ``min_items``: the shortest list that is
    split (default :data:`MIN_SPLIT`)."""
    if (
        len(items) < max(MIN_SPLIT if min_items is None else min_items, 2)
        or usable_cores() < 2
        or not hasattr(os, "fork")
    ):
        return fn(items)
    half = len(items) // 2
    pid, pipe = _fork(fn, items[half:])
    if pid is None or pipe is None:
        return fn(items)
    with pipe:
        try:
            first = fn(items[:half])
            second = _receive(pipe)
        except BaseException:
            os.kill(pid, signal.SIGKILL)  # no one will read its half
            raise
        finally:
            _reap(pid)
    if second is None:  # the child failed: its half is done here (an error shows here, in context)
        second = fn(items[half:])
    return _join(first, second)


def _fork(fn: Callable[[list[T]], R], part: list[T]) -> tuple[int | None, IO[bytes] | None]:
    """Start the child computing ``fn(part)``; return its pid and the pipe it answers on (None
    and None if fork failed)."""
    reader, writer = os.pipe()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns on fork in a process with threads (ONNX Runtime's): the child
            # touches nothing they own and leaves with os._exit (see the module docstring).
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None, None
    if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
        code = 1
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as pipe:
                pickle.dump(fn(part), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, os.fdopen(reader, "rb")


def _reap(pid: int) -> None:
    """Wait for the child to end (so it leaves no zombie and its CPU time is counted)."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # already reaped by someone else's SIGCHLD handler
        pass


def _receive(pipe: IO[bytes]) -> Any:
    """The child's result, or None when it sent none (it failed or was killed)."""
    try:
        return pickle.load(pipe)
    except (EOFError, pickle.UnpicklingError):
        return None


def _join(first: R, second: R) -> R:
    """Two halves' results in order: arrays stacked by rows, lists concatenated."""
    if isinstance(first, np.ndarray):
        return np.concatenate([first, second])
    return list(first) + list(second)
