"""Masking a log line costs time in proportion to its length, whatever it holds.

Every log record is masked as it is created, gunicorn's access-log line included, which quotes the
request line, Referer and User-Agent as the client sent them (up to 8 KB each). The email and URL
password patterns used to be tried from every character of a long run with nothing to find after
it: quadratic, so one anonymous request with an 8 KB User-Agent and Referer of letters cost its
worker a second of CPU (ten such requests held a one-worker server for ten seconds), and a 429 from
the rate limit is logged too. The patterns now look from the start of each run only.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_app import logsafety
from feedback_app.logsafety import mask

#: The patterns as they were, to show the new ones mask exactly what these did.
OLD_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
OLD_URL_CREDENTIALS = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)([^\s:/?#@\"'<>]*):[^\s/?#\"'<>]*@")

#: Runs of what an address or a URL scheme is made of, with nothing that completes one.
UNITS = ["a", "a.", "a-", "a+", "-a", ".a", "a1", "a_", "é", "例."]


@pytest.mark.parametrize("unit", UNITS)
def test_masking_a_long_run_without_an_address_is_fast(unit):
    text = unit * (40_000 // len(unit))  # the old patterns: about 10 s each
    started = time.perf_counter()
    assert "[email]" not in mask(text)
    assert time.perf_counter() - started < 1.0


def test_an_access_log_line_with_long_headers_is_masked_fast():
    """gunicorn's default line: request line, Referer and User-Agent as sent (8 KB headers)."""
    path, referer, agent = "t" * 4000, "r." * 4000, "a" * 7900 + " pat@example.org"
    line = (
        f'203.0.113.9 - - [06/Dec/2026:02:29:33 +0000] "GET /s/{path} HTTP/1.1" 404 32 "{referer}" "{agent}"'
    )
    started = time.perf_counter()
    masked = mask(line)
    assert time.perf_counter() - started < 0.25  # the old patterns: about a second
    assert "pat@example.org" not in masked and "/s/[token]" in masked


_TEXT = st.text(alphabet="ab1_.-+@:/ x\"'<>?#&", max_size=60)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_email_pattern_finds_what_it_found_before(text):
    assert [m.span() for m in logsafety.find_emails(text)] == [m.span() for m in OLD_EMAIL.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "GET /unsubscribe?to=alice@example.com&cc=bob@example.org HTTP/1.1",
        "forwarded alice@example.com/bob@example.org",
        "a@b.com_x@evil.com",
        "alice@example.com+bob@example.org",
    ],
)
def test_an_address_right_after_another_is_masked_too(text):
    """An address found ends on a character an address may start with (``&``, ``/``, ``+``): the
    next one starts there, not after a character that cannot be part of one."""
    masked = mask(text)
    assert "bob@" not in masked and "x@evil" not in masked
    assert [m.span() for m in logsafety.find_emails(text)] == [m.span() for m in OLD_EMAIL.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_url_password_pattern_finds_what_it_found_before(text):
    new = [(m.span(), m.groups()) for m in logsafety._URL_CREDENTIALS.finditer(text)]
    old = [(m.span(), m.groups()) for m in OLD_URL_CREDENTIALS.finditer(text)]
    assert new == old
