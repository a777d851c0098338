"""An uploaded customer file kept on the server between the import page's steps.

A browser sends a file only when a person chooses it, and the column mapping step and a dry run
come between choosing the file and importing it: asking for it up to three times invites importing
another file than the one checked. So the upload is kept in a folder of the server
(``IMPORT_UPLOAD_DIR``, default ``instance/imports``) under a random name, readable only by the
user who uploaded it, and deleted after the import, or after a day when nobody imported it (swept
on every upload). A user keeps at most ``MAX_PER_USER`` uploads (up to 10 MB each): keeping a new
one deletes their oldest beyond that, so choosing files over and over cannot fill the disk.
Several web machines need that folder shared (or sticky sessions); a machine
that cannot find the file says to choose it again.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 24 * 3600
#: Uploads one user keeps at once; a mapping step open in a few tabs still finds its file.
MAX_PER_USER = 3
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class StashedUpload:
    token: str
    filename: str
    data: bytes


def folder() -> Path:
    """Where uploads wait: ``IMPORT_UPLOAD_DIR``, else ``imports`` in the instance folder."""
    configured = current_app.config.get("IMPORT_UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


def keep(data: bytes, *, filename: str, user_id: int) -> str:
    """Store an upload for its user; the token names it in the next step's form."""
    base = folder()
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    sweep(base)
    token = secrets.token_urlsafe(32)
    _write(base / f"{token}.csv", data)
    meta = {"filename": filename, "user_id": user_id, "kept_ns": time.time_ns()}
    _write(base / f"{token}.json", json.dumps(meta).encode())
    for older in _tokens_of(base, user_id)[MAX_PER_USER:]:
        discard(older)
    return token


def _tokens_of(base: Path, user_id: int) -> list[str]:
    """This user's upload tokens, newest first (when kept; files' times for uploads kept before
    that was recorded)."""
    found: list[tuple[int, str]] = []
    for path in base.glob("*.json"):
        if not _TOKEN.match(path.stem):
            continue
        try:
            meta = json.loads(path.read_bytes())
            if meta.get("user_id") == user_id:
                found.append((int(meta.get("kept_ns") or path.stat().st_mtime_ns), path.stem))
        except (OSError, ValueError, TypeError, AttributeError):
            continue  # discarded meanwhile, or not ours to read
    return [token for _, token in sorted(found, reverse=True)]


def load(token: str, *, user_id: int) -> StashedUpload | None:
    """The upload, or None when the token is malformed, unknown, a day old or another user's."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    base = folder()
    try:
        meta = json.loads((base / f"{token}.json").read_bytes())
        if time.time() - (base / f"{token}.json").stat().st_mtime > MAX_AGE_SECONDS:
            discard(token)
            return None
        if meta.get("user_id") != user_id:
            return None
        return StashedUpload(
            token, str(meta.get("filename") or "upload.csv"), (base / f"{token}.csv").read_bytes()
        )
    except (OSError, ValueError):
        return None


def discard(token: str) -> None:
    """Delete an upload (after its import)."""
    if isinstance(token, str) and _TOKEN.match(token):
        for suffix in (".csv", ".json"):
            (folder() / f"{token}{suffix}").unlink(missing_ok=True)


def sweep(base: Path, now: float | None = None) -> int:
    """Delete uploads older than a day; how many files went. Only this module's files: a configured
    ``IMPORT_UPLOAD_DIR`` may hold others'."""
    limit = (time.time() if now is None else now) - MAX_AGE_SECONDS
    removed = 0
    for path in base.glob("*"):
        if path.suffix not in (".csv", ".json") or not _TOKEN.match(path.stem):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue  # another worker swept it first
    return removed


def _write(path: Path, data: bytes) -> None:
    """Write a file only its owner can read: it holds customers' personal data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
