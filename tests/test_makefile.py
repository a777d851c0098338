"""The Makefile and how ``make test`` runs the suite: what a newcomer reads and runs first."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


#: Runs each pytest call given (a JSON list of argument lists) with ``pytest.main`` in this one
#: process, each call's output followed by an END line with its exit code: the suite's modules and
#: their libraries are imported once for all the calls, not once per call (seconds of CPU each).
PYTEST_CALLS = """
import json, sys
import pytest
for args in json.loads(sys.argv[1]):
    code = pytest.main(["-p", "no:cacheprovider", *args])
    print(f"\\n{sys.argv[2]} {int(code)}", flush=True)
"""
END = "== END OF PYTEST CALL, EXIT CODE"


def _pytest_calls(*calls: tuple[str, ...]) -> list[str]:
    """The output of each pytest call, made in one new process; each must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", PYTEST_CALLS, json.dumps(calls), END],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    outputs: list[str] = []
    codes: list[str] = []
    lines: list[str] = []
    for line in done.stdout.splitlines():
        if line.startswith(END):
            outputs.append("\n".join(lines))
            codes.append(line.removeprefix(END).strip())
            lines = []
        else:
            lines.append(line)
    assert codes == ["0"] * len(calls), done.stdout[-3000:] + done.stderr
    return outputs


def _collected(output: str) -> list[str]:
    return [line for line in output.splitlines() if "::" in line]


@needs_make
def test_make_help_shows_the_address_not_make_variables():
    out = subprocess.run(
        ["make", "--no-print-directory", "help", "PORT=5722"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "$(" not in out and "http://127.0.0.1:5722" in out


@cache
def _make_test_runs() -> list[list[str]]:
    """The arguments of ``make test``'s pytest runs on SQLite (the PostgreSQL run sets TEST_DATABASE_URL)."""
    recipe = subprocess.run(
        ["make", "--no-print-directory", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    runs = [
        shlex.split(match.group(2))
        for match in re.finditer(r"(TEST_DATABASE_URL=\S+ )?\S+ -m pytest([^;>&\\\n]*)", recipe)
        if not match.group(1)
    ]
    assert runs, recipe
    return runs


BROWSER_PLAN = ("--setup-plan", "-m", "browser", "tests/app")


@cache
def _suite_outputs() -> tuple[str, list[str], str]:
    """The whole suite's collection, each of ``make test``'s SQLite runs' collections (where make
    is installed) and the browser tests' setup plan: every one made by pytest itself, all in one
    process, the whole suite first (it imports every module the others read)."""
    runs = _make_test_runs() if shutil.which("make") else []
    whole, *shares, plan = _pytest_calls(
        ("--collect-only", "-q"), *(("--collect-only", "-q", *args) for args in runs), BROWSER_PLAN
    )
    return whole, shares, plan


@needs_make
@pytest.mark.slow
def test_make_test_runs_every_test_exactly_once_on_sqlite():
    whole, shares, _ = _suite_outputs()
    assert len(shares) == len(_make_test_runs())
    counts = Counter(test for share in shares for test in _collected(share))
    assert [test for test, n in counts.items() if n > 1] == []
    assert set(counts) == set(_collected(whole))  # the whole suite


#: A stand-in for the virtualenv's python: says which of ``make test``'s pytest runs it is and fails
#: the one named in FAIL_RUN (the SQLite run skips the tests run beside PostgreSQL with --ignore).
FAKE_PYTHON = """#!/bin/sh
if [ -n "$TEST_DATABASE_URL" ]; then run=postgresql
else case " $* " in *" --ignore="*) run=sqlite ;; *) run=beside ;; esac; fi
echo "the $run run: $*"
[ "$run" != "$FAIL_RUN" ]
"""


@needs_make
@pytest.mark.parametrize("failing", ["none", "sqlite", "beside", "postgresql"])
def test_make_test_runs_its_three_pytest_runs_and_fails_when_any_of_them_fails(tmp_path, failing):
    """`make test` splits the SQLite tests between the SQLite run and one after the PostgreSQL run
    (to keep both cores busy): a failure in any of the three fails it. The recipe runs in a copy
    with a fake python, so its test-output/ is not the one a real `make test` is writing."""
    shutil.copyfile(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("requirements.lock", "pyproject.toml", "venv/.installed-fake"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).touch()
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir()
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "MAKEFLAGS", "MAKELEVEL")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-o", "browser-deps", "test", "VENV=venv", "LOCK_HASH=fake"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "FAIL_RUN": failing},
    )
    ran = re.findall(r"^the (\w+) run: ", done.stdout, re.MULTILINE)
    assert sorted(ran) == ["beside", "postgresql", "sqlite"], done.stdout + done.stderr
    assert (done.returncode == 0) == (failing == "none"), done.stdout + done.stderr


def test_every_browser_test_shares_the_one_chromium_of_the_session():
    """Two Playwright instances in one pytest run collide ('Sync API inside the asyncio loop'),
    so the dashboard's and the survey page's browser tests must share one session ``browser``."""
    *_, plan = _suite_outputs()
    setups = re.findall(r"SETUP +([SPMCF]) browser\b", plan)
    assert "tests/app/web/" in plan and "tests/app/responses/" in plan
    assert setups == ["S"]


@needs_make
def test_setup_installs_again_for_new_pins_but_not_for_a_checkout_that_only_touched_dates():
    """`make run` reinstalled everything (minutes) after a checkout rewrote requirements.lock with
    the same content (another branch and back, a fresh worktree): its date was newer than the
    stamp. The stamp's name holds the files' hash, so only new content installs again."""
    if not list((ROOT / ".venv").glob(".installed-*")):
        pytest.skip("no installed .venv to compare against")

    def dry_run(*args: str) -> str:
        return subprocess.run(
            ["make", "--no-print-directory", "-n", *args, "setup"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    assert "pip install" not in dry_run("-W", "requirements.lock", "-W", "pyproject.toml")
    assert "pip install" in dry_run("LOCK_HASH=0123456789ab")
