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
