"""Pure-Python work of the classify stage split over two processes: this one and a forked child.

The classify stage's own work is Python that holds the GIL (the n-gram head's analyzers, the
non-answer and cue-word rules), so threads cannot share it, while the embedding before it keeps
both cores busy through ONNX Runtime's threads. :func:`in_halves` runs a function on the first
half of a list here and on the second half in a child process at the same time. It is used only
where each item's result depends on that item alone (a row of the n-gram head's probabilities,
the rules on one clause or answer), so the result is the same as one call on the whole list.

The child is a ``multiprocessing`` process of the ``fork`` context: it inherits the loaded models
and the function (a lambda or closure too) without pickling them; only its half's result comes
back, pickled, through a ``multiprocessing`` pipe. It must not touch anything that other threads
or native thread pools own (the encoder's ONNX Runtime session, the cache's database); the
callers pass only the rules and the n-gram head.

What a fork-context process does in the child (CPython 3.11, which this project runs:
``multiprocessing/process.py`` and ``popen_fork.py``; other versions differ in detail), and why
the child ends itself with :func:`os._exit` (documented public API despite its name) as soon as
its half is sent. Before the target it clears multiprocessing's finalizers inherited from the
parent, runs the after-fork hooks registered with multiprocessing and closes its copy of
``sys.stdin``. After the target it would run the finalizers registered in the child, then
``threading``'s shutdown, which calls the exit callbacks ``concurrent.futures`` registers at
import (for the parent's pools, such as the app's job threads: mark them shut down, wake their
manager threads through the parent's pipes, join threads that in the child are gone), then
flush ``sys.stdout`` and ``sys.stderr`` (copies of the parent's buffers: output written twice,
or a wait forever on a lock another thread held at the fork), then leave by ``os._exit``, so
``atexit`` handlers never run. Ending in the target skips all of the "after": no exit handler and
no flush of the parent's streams runs in the child. What the "before" can still hang on
(``sys.stdin`` being read by another thread at the fork) and anything ``fn`` itself waits on (a
lock another thread held at the fork) is ended by the timeout: the parent waits for the child's
half at most :data:`WAIT_FACTOR` times what its own half took, and no less than
:data:`WAIT_FLOOR_S`, then kills the child (SIGKILL, which runs nothing in it: a SIGTERM handler
inherited from the app, a web server's or a task worker's, would run that app's shutdown in the
child) and computes that half itself, with a warning in the log. Where fork is unavailable, in a
daemonic process (multiprocessing forbids it children; Celery's prefork workers are daemonic to
it), on one core, for short lists, or if the child fails, the work runs here as one call; the
results are the same in every case.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import resource
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

import numpy as np

log = logging.getLogger(__name__)

T = TypeVar("T")
#: What a split function gives: one row or item per input, so two halves join in order.
R = TypeVar("R", list[Any], np.ndarray)

#: Shortest list worth a second process: forking the analysis process (page tables of 1-2 GiB)
#: and the copy-on-write faults after it cost tens of milliseconds, about as much as the
#: n-gram head spends on 1,000 answers.
MIN_SPLIT = 2000

#: How long the parent waits for the child's half once its own is done, as a multiple of the
#: time its own half took (the two halves are the same size). The child's half costs about 1.1
#: times this process's CPU (its copy-on-write faults, bench/README.md, h-par40); ten times
#: leaves room for a child that gets little of a busy machine's CPU.
WAIT_FACTOR = 10.0
#: The least wait, in seconds: a fork of the 2 GiB analysis process and its first copy-on-write
#: faults, on a busy machine, take well under a second, so a short list still has room.
WAIT_FLOOR_S = 10.0
#: How long a child that has sent its half (or failed) is given to end before it is killed.
EXIT_WAIT_S = 5.0


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and of its children that have ended, so the
    classify stage's CPU figure counts the forked halves too (each is waited for, even a
    killed one)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def in_halves(fn: Callable[[list[T]], R], items: list[T], min_items: int | None = None) -> R:
    """``fn(items)``, computed as ``fn`` of each half, the second in a forked child at the same
    time; the halves' results (lists or arrays, by rows) are joined in order.

    ``fn`` must give, for each item, a result that depends on that item alone, and must not use
    the encoder or the cache (see the module docstring). ``min_items``: the shortest list that is
    split (default :data:`MIN_SPLIT`). Safe to call from any thread."""
    if (
        len(items) < max(MIN_SPLIT if min_items is None else min_items, 2)
        or usable_cores() < 2
        or not _can_fork()
    ):
        return fn(items)
    half = len(items) // 2
    started = _start(fn, items[half:])
    if started is None:
        return fn(items)
    child, answers = started
    pid = child.pid
    second: R | None = None
    answered = False  # the child sent its half or ended
    try:
        began = time.perf_counter()
        first = fn(items[:half])
        wait = max(WAIT_FLOOR_S, WAIT_FACTOR * (time.perf_counter() - began))
        answered = answers.poll(wait)
        if answered:
            second = _receive(answers)
    finally:  # on an error here too: no one will read the child's half
        answers.close()
        exitcode = _end(child, at_once=not answered)
    if not answered:
        log.warning(
            "in_halves: the child process (pid %s) sent nothing in %.1f s after this process's "
            "half; it was killed and its %s items are computed in this process",
            pid,
            wait,
            len(items) - half,
        )
    elif second is None:
        log.warning(
            "in_halves: the child process (pid %s) failed (exit code %s); its %s items are "
            "computed in this process",
            pid,
            exitcode,
            len(items) - half,
        )
    if second is None:  # done here: an error of fn shows here, in context
        second = fn(items[half:])
    return _join(first, second)


def _can_fork() -> bool:
    """The ``fork`` start method exists here, and this process may have children (a daemonic
    multiprocessing process may not)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def _start(fn: Callable[[list[T]], R], part: list[T]) -> tuple[BaseProcess, Connection] | None:
    """Start the child computing ``fn(part)``; return it and the end of the pipe it answers on
    (None if it could not be started)."""
    context = multiprocessing.get_context("fork")
    answers, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(fn, part, sender), name="in_halves", daemon=True)
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns on fork in a process with threads (ONNX Runtime's): the child
            # touches nothing they own and a stuck child is killed (see the module docstring).
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            child.start()
    except OSError:  # no memory or process slots for a second process
        answers.close()
        return None
    finally:  # the child's copy is then the only one: its end (or death) reads as end of file
        sender.close()
    return child, answers


def _child(fn: Callable[[list[T]], R], part: list[T], sender: Connection) -> None:
    """In the child: send ``fn(part)``, then leave at once with :func:`os._exit` (exit code 0 if
    it was sent), so multiprocessing's exit steps never run (see the module docstring). An
    error sends nothing: the parent computes the half again and shows the error there."""
    code = 1
    try:
        # pickled here at the highest protocol (numpy arrays without a copy), not by send()'s
        # default: about half the child's cost of sending a 2 MB array
        sender.send_bytes(pickle.dumps(fn(part), protocol=pickle.HIGHEST_PROTOCOL))
        code = 0
    finally:
        os._exit(code)


def _receive(answers: Connection) -> Any:
    """The child's half, or None when it ended without sending it (it failed, or its result
    could not be pickled). The result is pickled whole before the first byte is sent, so an
    answer that has begun arrives whole or ends in end of file."""
    try:
        return pickle.loads(answers.recv_bytes())
    except (EOFError, OSError, pickle.UnpicklingError):
        return None


def _end(child: BaseProcess, at_once: bool) -> int | None:
    """Wait for the child to end, so it leaves no zombie and its CPU time is counted, and
    return its exit code; kill it first if ``at_once`` (it has not answered and will not be
    read) or if it does not end in :data:`EXIT_WAIT_S`. The end is read from the child's
    sentinel, not its exit status: a SIGCHLD handler elsewhere in the process (``waitpid(-1)``)
    may have reaped it, and then its exit code is unknown (None) and the process object is left
    to the garbage collector (multiprocessing will not close one it could not reap)."""
    if at_once:
        child.kill()
    if not wait([child.sentinel], None if at_once else EXIT_WAIT_S):
        child.kill()
        wait([child.sentinel])
    child.join()  # it has ended: this reaps it at once
    exitcode = child.exitcode
    if exitcode is not None:
        child.close()
    return exitcode


def _join(first: R, second: R) -> R:
    """Two halves' results in order: arrays stacked by rows, lists concatenated."""
    if isinstance(first, np.ndarray):
        return np.concatenate([first, second])
    return list(first) + list(second)
