"""Read pip-audit's JSON report for ``make audit`` and say plainly whether the audit proves anything.

pip-audit reports a package it could not look up (no network, an advisory service that is down,
a name PyPI does not know) as *skipped*, and without ``--strict`` still exits 0: an audit that
checked nothing would read as clean. ``make audit`` runs it with ``--strict``; this check is the
second guard: every package pinned in the lock file must appear in the report, audited, or the
audit fails. Exit status: 0 clean, 1 vulnerabilities found, 2 audit incomplete (nothing proven).

Usage: python scripts/check_audit.py REPORT.json requirements.lock
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#\\]+)")


def _canonical(name: str) -> str:
    """PEP 503 normalised name: pip-audit reports ``typing-extensions`` for ``typing_extensions``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lock: Path) -> dict[str, str]:
    """Name -> version of every ``name==version`` line of the lock file."""
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line.strip())
        if match:
            found[_canonical(match.group(1))] = match.group(2)
    return found


def main(report_path: str, lock_path: str) -> int:
    expected = pinned(Path(lock_path))
    report_file = Path(report_path)
    if not report_file.is_file():
        print(
            "AUDIT INCOMPLETE: pip-audit wrote no report (see its error above). Nothing was proven; "
            "run `make audit` on a machine that can reach pypi.org and its vulnerability data."
        )
        return 2
    report = json.loads(report_file.read_text(encoding="utf-8"))
    dependencies = report.get("dependencies", [])
    audited = {_canonical(d["name"]): d for d in dependencies if "skip_reason" not in d}
    skipped = [f"{d['name']}: {d['skip_reason']}" for d in dependencies if "skip_reason" in d]
    missing = sorted(set(expected) - set(audited))
    vulnerable = [(d["name"], d.get("version"), v) for d in audited.values() for v in d.get("vulns", [])]
    for name, version, vuln in vulnerable:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        print(
            f"VULNERABLE {name} {version}: {vuln.get('id')} ({', '.join(vuln.get('aliases') or [])}) fixed in: {fixes}"
        )
    if skipped or missing:
        print(
            f"AUDIT INCOMPLETE: {len(audited)} of {len(expected)} pinned packages were audited; "
            "this is not a clean result."
        )
        for line in skipped[:20]:
            print(f"  skipped {line}")
        if missing and not skipped:
            print(f"  not in the report: {', '.join(missing[:20])}")
        return 2
    if vulnerable:
        print(
            f"AUDIT FAILED: {len(vulnerable)} known vulnerabilities in {len({v[0] for v in vulnerable})} of "
            f"{len(expected)} pinned packages."
        )
        return 1
    print(
        f"Audit clean: all {len(expected)} packages pinned in {lock_path} were checked; no known vulnerabilities."
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    sys.exit(main(sys.argv[1], sys.argv[2]))
