"""``make audit``'s reading of pip-audit's report: a skipped or partial audit is never called clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = "flask==3.1.3\nWerkzeug==3.1.9\ntyping_extensions==4.15.0\n"


def _check(tmp_path: Path, dependencies: list[dict] | None) -> tuple[int, str]:
    lock = tmp_path / "requirements.lock"
    lock.write_text(LOCK)
    report = tmp_path / "report.json"
    if dependencies is not None:
        report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_audit.py"), str(report), str(lock)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout


def _audited(name: str, version: str, vulns: list | None = None) -> dict:
    return {"name": name, "version": version, "vulns": vulns or []}


def test_every_package_audited_and_none_vulnerable_is_clean(tmp_path):
    rc, out = _check(
        tmp_path,
        [_audited("flask", "3.1.3"), _audited("werkzeug", "3.1.9"), _audited("typing-extensions", "4.15.0")],
    )
    assert rc == 0 and "Audit clean: all 3 packages" in out


def test_no_report_at_all_is_incomplete(tmp_path):
    rc, out = _check(tmp_path, None)  # pip-audit stopped (--strict) when the service could not be reached
    assert rc == 2 and "AUDIT INCOMPLETE" in out and "Nothing was proven" in out


def test_skipped_packages_make_the_audit_incomplete_not_clean(tmp_path):
    skip = "Dependency not found on PyPI and could not be audited: flask (3.1.3)"
    rc, out = _check(
        tmp_path,
        [
            {"name": "flask", "skip_reason": skip},
            _audited("werkzeug", "3.1.9"),
            _audited("typing-extensions", "4.15.0"),
        ],
    )
    assert rc == 2 and "2 of 3 pinned packages were audited" in out and "not a clean result" in out
    assert "skipped flask" in out


def test_a_package_missing_from_the_report_makes_it_incomplete(tmp_path):
    rc, out = _check(tmp_path, [_audited("flask", "3.1.3")])
    assert rc == 2 and "not in the report: typing-extensions, werkzeug" in out


def test_vulnerabilities_fail_and_are_listed(tmp_path):
    vuln = {"id": "GHSA-xxxx", "aliases": ["CVE-2099-0001"], "fix_versions": ["3.1.10"], "description": "..."}
    rc, out = _check(
        tmp_path,
        [
            _audited("flask", "3.1.3"),
            _audited("werkzeug", "3.1.9", [vuln]),
            _audited("typing-extensions", "4.15.0"),
        ],
    )
    assert rc == 1 and "VULNERABLE werkzeug 3.1.9: GHSA-xxxx (CVE-2099-0001) fixed in: 3.1.10" in out
    assert "AUDIT FAILED" in out
