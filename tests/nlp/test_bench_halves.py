"""The blind list of issue 17's nineteenth round (``bench/data/secondary_dev8.csv``) holds both
halves: the tuning split ``mine8`` must read only its ``tune`` rows and ``mine8-check`` only its
``check`` rows (scored once), in both second-cause benches, or tuning would see the check half."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def benches() -> tuple[ModuleType, ModuleType]:
    return _bench("secondary_causes"), _bench("theme_secondaries")


@pytest.mark.parametrize(("split", "half", "seconds"), [("mine8", "tune", 45), ("mine8-check", "check", 42)])
def test_each_split_reads_one_half_of_the_blind_list(benches, split, half, seconds):
    causes, themes = benches
    for rows in (causes.split_rows(split), themes.load(*themes.SPLITS[split])):
        assert len(rows) == 200
        assert {r["half"] for r in rows} == {half}
        assert sum(1 for r in rows if r["secondary_category"]) == seconds


def test_the_tuning_split_never_reads_a_check_row(benches):
    causes, _ = benches
    tune = {r["id"] for r in causes.split_rows("mine8")}
    check = {r["id"] for r in causes.split_rows("mine8-check")}
    assert not tune & check
    assert len(tune | check) == 400
