"""Compiled Jinja templates shared by the test session's apps.

Every test gets a new app and so a new Jinja environment, which used to parse and compile each
template it rendered again: a tenth of an app test's time. Jinja's bytecode cache (its public
``BytecodeCache`` interface) keeps the compiled code instead, as ``FileSystemBytecodeCache`` does
between processes; each template is still loaded, run and rendered by the test's own app.

Jinja folds a filter on a constant at compile time (``{{ 0|money }}`` writes the app's currency
symbol into the code), so the code is shared only between apps whose settings are equal, the
per-test folders aside; and Jinja's checksum of the source sends an edited template to the compiler.
"""

from __future__ import annotations

import hashlib

from flask import current_app, has_app_context
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

#: Settings that name the test's own folders (tmp_path); they do not reach any template.
PER_TEST_SETTINGS = frozenset({"SQLALCHEMY_DATABASE_URI", "MAIL_OUTBOX_DIR", "NLP_CACHE_DIR"})


def settings_key() -> str:
    """A digest of the current app's settings, the per-test folders aside."""
    settings = sorted(
        (name, repr(value)) for name, value in current_app.config.items() if name not in PER_TEST_SETTINGS
    )
    return hashlib.sha1(repr(settings).encode()).hexdigest()


class SharedTemplateCode(BytecodeCache):
    """Jinja's compiled templates in memory, by template and app settings, for one test session."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if has_app_context():
            code = self._code.get((settings_key(), bucket.key))
            if code is not None:
                bucket.bytecode_from_string(code)  # Jinja drops it if the source's checksum changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        if has_app_context():
            self._code[(settings_key(), bucket.key)] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)
