"""``make help``: what a newcomer reads first."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_shows_the_address_not_make_variables():
    out = subprocess.run(
        ["make", "--no-print-directory", "help", "PORT=5722"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "$(" not in out and "http://127.0.0.1:5722" in out
