"""The classify stage's work split over two processes gives what one process gives."""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from nlp import parallel
from nlp.parallel import in_halves

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or parallel.usable_cores() < 2, reason="needs fork and two cores"
)


def test_the_halves_joined_are_the_whole_and_the_second_is_done_in_a_child():
    parent = os.getpid()
    pids = in_halves(lambda rows: [os.getpid() for _ in rows], list(range(10)), min_items=2)
    assert pids[:5] == [parent] * 5
    assert parent not in pids[5:]
    rows = np.arange(30, dtype=np.float32).reshape(10, 3)
    assert np.array_equal(in_halves(lambda r: np.asarray(r) * 2, list(rows), min_items=2), rows * 2)
    assert in_halves(lambda r: [x + 1 for x in r], [1, 2, 3], min_items=2) == [2, 3, 4]


def test_short_lists_stay_in_this_process():
    parent = os.getpid()
    assert in_halves(lambda rows: [os.getpid() for _ in rows], list(range(10))) == [parent] * 10


def test_a_failed_child_is_redone_here_and_an_error_here_is_raised(monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="nlp.parallel")
    parent = os.getpid()
    forks = _count_forks(monkeypatch)

    def fails_in_child(rows: list[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("child")
        return [r * 3 for r in rows]

    assert in_halves(fails_in_child, list(range(8)), min_items=2) == [r * 3 for r in range(8)]
    assert "failed (exit code 1)" in caplog.text  # said in the log, not redone in silence
    with pytest.raises(ZeroDivisionError):
        in_halves(lambda rows: [1 / r for r in rows], [0, 1, 2, 3], min_items=2)
    assert len(forks) == 2
    for pid in forks:  # each child was waited for: none is left as a zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_child_reaped_elsewhere_still_gives_its_half():
    """A SIGCHLD handler of the app (``waitpid(-1)``) may reap the child before ``in_halves``
    does: its half, already sent, is still used and the call does not fail."""
    parent = os.getpid()

    def reaps_any_child(rows: list[int]) -> list[int]:
        if os.getpid() == parent:
            os.wait()  # the child's end, as a SIGCHLD handler would reap it
        return [os.getpid() for _ in rows]

    pids = in_halves(reaps_any_child, list(range(6)), min_items=2)
    assert pids[:3] == [parent] * 3
    assert parent not in pids[3:]  # the child's half, not redone here


def _squares_in_halves(n: int) -> list[int]:
    """In a pool's worker: ``in_halves`` of squares."""
    return in_halves(lambda rows: [r * r for r in rows], list(range(n)), min_items=2)


def test_a_daemonic_worker_gets_the_whole_result():
    """multiprocessing refuses a daemonic process children (its pools' workers, and Celery's
    prefork workers, which billiard marks daemonic to multiprocessing too): the call there runs
    both halves itself instead of failing."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_squares_in_halves, (10,)) == [r * r for r in range(10)]


def _stuck_in_the_child(monkeypatch, hold_s: float = 1.0):
    """A split function that deadlocks in the child, as code does that takes a lock another
    thread held at the fork: the lock is held here for ``hold_s`` seconds, so this process's half
    waits and goes on, while in the child no thread is left to release it. A tiny timeout."""
    monkeypatch.setattr(parallel, "WAIT_FLOOR_S", 0.5)
    monkeypatch.setattr(parallel, "WAIT_FACTOR", 1.0)
    lock = threading.Lock()
    held = threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            time.sleep(hold_s)

    def squares(rows: list[int]) -> list[int]:
        with lock:
            return [r * r for r in rows]

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    return squares, holder


@pytest.mark.timeout(60)
def test_a_child_that_hangs_is_killed_after_the_timeout_and_its_half_done_here(monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="nlp.parallel")
    forks = _count_forks(monkeypatch)
    squares, holder = _stuck_in_the_child(monkeypatch)
    began = time.perf_counter()
    assert in_halves(squares, list(range(10)), min_items=2) == [r * r for r in range(10)]
    took = time.perf_counter() - began
    holder.join()
    assert took < 10  # about 1 s (the lock) + 1 s (the wait), not forever
    # the wait is this process's half (about the 1 s the lock is held), printed to 0.1 s
    waited = re.search(r"sent nothing in (\d+\.\d) s", caplog.text)
    assert waited is not None and 0.5 <= float(waited.group(1)) <= 3.0, caplog.text
    assert "was killed" in caplog.text
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):  # killed and waited for: no zombie, its CPU counted
        os.waitpid(forks[0], os.WNOHANG)


@pytest.mark.timeout(60)
def test_a_call_from_a_job_thread_splits_and_survives_a_stuck_child(monkeypatch):
    """The app runs analyses in a thread pool's job thread: the split works there, and a child
    stuck on a lock another thread held at the fork does not stall the job."""
    parent = os.getpid()
    forks = _count_forks(monkeypatch)
    jobs = ThreadPoolExecutor(max_workers=1, thread_name_prefix="afterword-job")
    try:
        pids = jobs.submit(in_halves, lambda rows: [os.getpid() for _ in rows], list(range(10)), 2)
        assert pids.result(timeout=30)[:5] == [parent] * 5
        assert parent not in pids.result()[5:]
        squares, holder = _stuck_in_the_child(monkeypatch)
        done = jobs.submit(in_halves, squares, list(range(10)), 2)
        assert done.result(timeout=30) == [r * r for r in range(10)]
        holder.join()
    finally:  # not waiting for a job thread that is still stuck: the test fails instead of hanging
        jobs.shutdown(wait=False)
    assert len(forks) == 2
    for pid in forks:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


LETTERS = [
    "Please cancel my membership, I'm moving abroad for work next month. Thank you for everything.",
    "Please cancel my membership, account [ACCOUNT], from next month. Thank you for everything.",
    "Hi team. The coaches were brilliant and the classes were lovely. Please close my account.",
    "Dear team, kindly close the account. Honestly the staff were great, thanks again.",
    "Sorry to bother you, the app keeps crashing when I pay. Help me out please.",
    "Hello. Please stop the renewal, thanks. Kind regards.",
]
ANSWERS = [
    "Is this mandatory?",
    "Moved to Three, half the price for the same network",
    "Hope you all have a lovely Christmas!",
    "crashes all the time, too expensive, and the courier lost my parcel",
    "wasn't for me",
    "The price was fair but the app kept crashing",
]


def test_the_letters_rules_and_the_cue_words_split_give_the_serial_calls(monkeypatch):
    from nlp import PipelineConfig
    from nlp.causes import classify_answers
    from nlp.letter_reasons import reasons_in_letters

    from .test_causes import CLASSES, TAXONOMY, probs

    config = PipelineConfig()
    texts = LETTERS + ANSWERS
    head = [probs(non_answer=0.9)] * len(LETTERS) + [
        probs(competitor=0.3, price=0.2, bugs_reliability=0.1),
        probs(competitor=0.8, price=0.1),
        probs(support=0.2),
        probs(bugs_reliability=0.6, price=0.2, delivery=0.15),
        probs(ease_of_use=0.25),
        probs(bugs_reliability=0.5, price=0.3),
    ]
    doc = np.vstack(head)

    def predict(clauses: list[str]) -> np.ndarray:
        return np.vstack([probs(no_longer_needed=0.8, non_answer=0.05) for _ in clauses])

    def calls() -> list:
        found = reasons_in_letters(doc, texts, CLASSES, config, predict)
        none = np.zeros((0, len(CLASSES)))
        return classify_answers(
            doc, none, np.zeros(0, dtype=int), CLASSES, config, "emerging", texts, TAXONOMY, found
        )

    serial = calls()
    monkeypatch.setattr(parallel, "MIN_SPLIT", 2)
    assert calls() == serial
    assert {c.non_answer for c in serial} == {True, False}  # both kinds are judged


def test_a_run_split_over_two_processes_equals_the_serial_run(first_run, small_corpus, config, monkeypatch):
    """Every list the classify stage splits is split here (the corpus is far below MIN_SPLIT,
    so ``first_run`` ran in one process); the result is the same but for the timings."""
    from nlp import analyze

    forks = _count_forks(monkeypatch)
    monkeypatch.setattr(parallel, "MIN_SPLIT", 2)
    texts, ids, _ = small_corpus
    split = analyze(texts, ids, config=config).to_dict()
    assert len(forks) >= 3  # the n-gram head on answers and on clauses, the cue words at least
    assert _untimed(split) == _untimed(first_run.to_dict())


def _count_forks(monkeypatch) -> list[int]:
    """The pids of the children forked from now on (``os.fork`` counted for this test)."""
    forks: list[int] = []
    fork = os.fork

    def counting_fork() -> int:
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    return forks


def _untimed(result: dict) -> dict:
    """A result without what differs between any two runs (timings, memory, the test's notes)."""
    varying = ("timings", "cpu_timings", "peak_memory_mb", "_stages_seen")
    return {**result, "run": {k: v for k, v in result["run"].items() if k not in varying}}
