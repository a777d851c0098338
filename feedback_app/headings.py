"""Headings keep a hyphenated word on one line: "E-Mails", "Win-back", "Fix-to-revenue".

A browser may break a line after any hyphen, so on a phone a heading read "E-" / "Mails" or
"Win-" / "back". Every HTML page goes through :func:`keep_hyphenated_words` once, after it is
rendered: inside ``<h1>`` to ``<h6>`` each word with a hyphen in it is wrapped in
``<span class="keep">`` (``display: inline-block`` in app.css and dashboard.css), so the word moves
to the next line whole, and breaks inside only when it alone is wider than the screen. The
text itself is not changed (no non-breaking hyphen, no invisible joiner): copying, searching and
screen readers see the words as written, in every language and in what staff typed (a theme's
label). Emails are not pages and are not touched, nor is a download (an HTML report sent as an
attachment has no app.css to give the span its meaning).
"""

from __future__ import annotations

import re

from flask import Flask, Response

#: A heading's content stops at the next heading tag, opening or closing: with ``.*?`` an unclosed
#: ``<h3>`` made every later heading scan to the end of the page (quadratic: 3,000 unclosed ``<h3>``
#: in 4 MB took two minutes). Now each stretch of the page is scanned by the one heading before it
#: (linear), and an unclosed heading is left as it is.
_HEADING = re.compile(r"(<h[1-6]\b[^<>]*>)((?:[^<]|<(?!/?h[1-6]\b))*)(</h[1-6]>)", re.IGNORECASE)
_TAG = re.compile(r"(<[^>]*>)")
#: A word with a hyphen between letters or digits; an entity such as ``&#39;`` never contains one.
_HYPHENATED = re.compile(r"(?<![\w-])\w+(?:-\w+)+(?![\w-])")
_KEEP = r'<span class="keep">\g<0></span>'


def _keep_in_heading(match: re.Match[str]) -> str:
    opening, inner, closing = match.groups()
    # Only the text between tags: attributes (href, id) and the tags themselves stay as they are.
    pieces = _TAG.split(inner)
    pieces[::2] = [_HYPHENATED.sub(_KEEP, text) for text in pieces[::2]]
    return opening + "".join(pieces) + closing


def keep_hyphenated_words(html: str) -> str:
    """The page with each hyphenated word in a heading wrapped so a line never breaks inside it."""
    if "-" not in html:
        return html
    return _HEADING.sub(_keep_in_heading, html)


def _is_page(response: Response) -> bool:
    """An HTML page rendered in full: not a file sent as it is, a stream or a download."""
    return (
        response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.is_streamed
        and not response.headers.get("Content-Disposition", "").lower().startswith("attachment")
    )


def _after_request(response: Response) -> Response:
    if _is_page(response):
        response.set_data(keep_hyphenated_words(response.get_data(as_text=True)))
    return response


def init_headings(app: Flask) -> None:
    app.after_request(_after_request)
