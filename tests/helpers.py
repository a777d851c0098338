"""Small helpers for tests that drive pages like a browser would."""

from __future__ import annotations

import re

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


#: ``page`` values a person or a crawler may put in a list's URL: each must show a page, never a 500.
JUNK_PAGES = ("0", "-3", "abc", "2.5", "1e9", "99999999999999999999999", "")


def showing(first: int, last: int, total: int) -> str:
    """The count line above a paged list (the ``page_counts`` macro), as the page's text has it."""
    return f"Showing {first}\u2013{last} of {total}"
