"""One `flask demo load` for the tests of tests/app/demo that read the demo company.

Loading it is the same in each of them: on SQLite the first such test loads it and each later one
starts from a copy of the database and folders it left, in its own app (tests/saved_state.py). That
load includes the analysis (themes, action plan, a shipped item) when a collected test reads it
(``analysed_demo``), so one load serves every demo test of the run. On PostgreSQL each test loads it
itself, with the analysis only where the test reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.saved_state import SavedState

#: Whether a collected test reads the demo's analysis (then the one shared load makes it).
ANALYSIS_READ = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config, items):
    """Notes whether a test reads the demo's analysis; a test that may make the load (with the
    analysis) ignores third-party import noise (umap warns that TensorFlow is absent), as the
    analysis tests do."""
    read = False
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        read = read or "analysed_demo" in fixtures
        if {"demo", "analysed_demo"} & fixtures:
            item.add_marker(pytest.mark.filterwarnings("ignore::ImportWarning"))
    config.stash[ANALYSIS_READ] = config.stash.get(ANALYSIS_READ, False) or read


@dataclass
class LoadedDemo:
    """What the load said and did beside what it stored."""

    output: str  #: what `flask demo load` printed (the staff's passwords among it)
    today: date  #: the day the demo was loaded as ("today" to its dates)
    #: each text the demo sent through the conversations' redaction while it loaded, and what came out
    redacted: list[tuple[str, str]] = field(default_factory=list)


def _load(app, runner, *, analysis: bool) -> LoadedDemo:
    """`flask demo load`, watching what the demo company's load sends through the redaction."""
    from feedback_app.services.conversations import redaction
    from feedback_app.services.demo import company

    loaded = LoadedDemo(output="", today=date.today())
    real_redact, real_load = redaction.redact_all, company.load_demo
    loading = False

    def watched_redact(texts: list[str]) -> list[str]:
        out = real_redact(texts)
        if loading:  # not the analysis's redaction of the survey answers
            loaded.redacted.extend(zip(texts, out, strict=True))
        return out

    def watched_load(base_url: str, **options: Any) -> company.DemoSummary:
        nonlocal loading
        options.setdefault("today", loaded.today)  # what load_demo takes when given none
        loading = True
        try:
            return real_load(base_url, **options)
        finally:
            loading = False

    app.config["DEMO_ANALYSIS"] = analysis
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redaction, "redact_all", watched_redact)
        patch.setattr(company, "load_demo", watched_load)
        result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    loaded.output = result.output
    return loaded


@pytest.fixture(scope="session")
def loaded_demo_copy(tmp_path_factory) -> SavedState:
    """Where, on SQLite, the first test to load the demo keeps what the load left."""
    return SavedState(tmp_path_factory.mktemp("demo"))


def _demo(app, runner, saved: SavedState, *, analysis: bool, analysis_read: bool) -> LoadedDemo:
    """The load, copied from ``saved`` where it has what the test reads; else made here (and kept in
    ``saved`` on SQLite, with the analysis when any test of the run reads it)."""
    if (saved.notes.get("analysed") or not analysis) and saved.restore(app):
        return saved.notes["demo"]
    sqlite = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite"
    analysis = analysis or (sqlite and analysis_read)
    loaded = _load(app, runner, analysis=analysis)
    if not saved.kept:
        saved.keep(app, demo=loaded, analysed=analysis)
    return loaded


@pytest.fixture
def demo(app, runner, loaded_demo_copy, pytestconfig) -> LoadedDemo:
    """The demo company loaded by `flask demo load` into this test's database (on SQLite with its
    analysis too when another test of the run reads it: one load for all)."""
    read = pytestconfig.stash.get(ANALYSIS_READ, False)
    return _demo(app, runner, loaded_demo_copy, analysis=False, analysis_read=read)


@pytest.fixture
def analysed_demo(app, runner, loaded_demo_copy) -> LoadedDemo:
    """The demo company loaded by `flask demo load` with its analysis (``DEMO_ANALYSIS``)."""
    return _demo(app, runner, loaded_demo_copy, analysis=True, analysis_read=True)
