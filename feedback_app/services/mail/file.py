"""The ``file`` transport: each message becomes an ``.eml`` file (the embedded default).

Files are named after the Message-ID, written to a temporary name and renamed, so a message
sent twice overwrites itself instead of appearing twice, and a reader never sees half a file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from feedback_app.services.mail.errors import TransientMailError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def eml_filename(message: EmailMessage) -> str:
    """A safe file name from the Message-ID's local part (stable per outbox row)."""
    message_id = str(message.get("Message-ID", "")).strip("<>")
    local = _UNSAFE.sub("_", message_id.split("@", 1)[0])[:80] or "message"
    return f"{local}.eml"


class FileTransport:
    """Writes messages as ``.eml`` files under one folder."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FileTransport:
        return cls(config["MAIL_OUTBOX_DIR"])

    def __enter__(self) -> FileTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            target = self.directory / eml_filename(message)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(message.as_bytes())
            os.replace(temporary, target)
        except OSError as exc:  # a full disk or a read-only folder may clear up; retry later
            raise TransientMailError(f"could not write to {self.directory}: {exc}") from exc
