"""Small helpers for tests that drive pages like a browser would."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(response) -> str:
    """The CSRF token from a rendered form (tests submit forms the way a browser does)."""
    html = response.get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def without_tags(html: str) -> str:
    """The page's text with its tags taken out, as a reader sees it: a heading's hyphenated word is
    wrapped in a span (feedback_app/headings.py), so "Win-back rate" is not in the raw HTML."""
    return re.sub(r"<[^>]+>", "", html)


@contextmanager
def counted(db) -> Iterator[list[str]]:
    """The SQL statements run inside the block (a list filled as they run): a page whose count
    grows with its rows loads something per row."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


#: ``page`` values a person or a crawler may put in a list's URL: each must show a page, never a 500.
JUNK_PAGES = ("0", "-3", "abc", "2.5", "1e9", "99999999999999999999999", "")


def showing(first: int, last: int, total: int) -> str:
    """The count line above a paged list (the ``page_counts`` macro), as the page's text has it."""
    return f"Showing {first}\u2013{last} of {total}"


def run_twice_at_once(app, job: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """``job`` run by two threads released together, each in its own app context, as two workers
    would: what each returned, and what any raised (for the test to assert empty)."""
    start = threading.Barrier(2)
    results: list[Any] = []
    failures: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            try:
                start.wait()
                results.append(job())
            except BaseException as exc:  # surfaced to the test
                failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, failures
