"""Request bodies sent without a ``Content-Length`` (``Transfer-Encoding: chunked``) get the same
``MAX_CONTENT_LENGTH`` check as the others: over the limit, 413.

Werkzeug refuses a declared ``Content-Length`` over ``MAX_CONTENT_LENGTH`` before reading a byte.
A chunked body declares nothing: werkzeug can only stop reading it at the limit, and a reader
that asks for "everything" (the form parser of ``application/x-www-form-urlencoded``) then
receives the first ``MAX_CONTENT_LENGTH`` bytes as if they were the whole body and parses
them. This middleware reads such a body first, at most one byte past the limit, into a spooled
temporary file (memory up to ``SPOOL_BYTES``, then disk), and hands the app a body with a
``Content-Length``: the size it had, or, past the limit, a size over it and nothing to read, so
werkzeug's own check answers 413 (through the app's error pages) and nothing is parsed.
``refuse_oversized_body`` then refuses every request whose declared size is over the limit
before its view runs, not only those whose view reads the body.

Only requests whose server ends the input stream itself (``wsgi.input_terminated``, which
gunicorn and werkzeug's server set) are read here: werkzeug gives the app an empty body for the
others, which is safe already.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from flask import Flask, abort, request
from werkzeug.wsgi import ClosingIterator

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: Bytes of a chunked body kept in memory; the rest goes to a temporary file.
SPOOL_BYTES = 1024 * 1024
_READ_BYTES = 64 * 1024


def _is_chunked_without_length(environ: dict) -> bool:
    return (
        not environ.get("CONTENT_LENGTH")
        and bool(environ.get("wsgi.input_terminated"))
        and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    )


class ChunkedBodyLimit:
    """WSGI middleware giving chunked request bodies a ``Content-Length`` (see the module docstring)."""

    def __init__(self, wsgi_app: WSGIApplication, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if limit is None or not _is_chunked_without_length(environ):
            return self.wsgi_app(environ, start_response)
        body: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        size = _copy_at_most(environ["wsgi.input"], body, limit + 1)
        if size > limit:  # refused: keep none of it
            body.close()
            body = io.BytesIO()
        body.seek(0)
        environ["wsgi.input"] = body
        environ["CONTENT_LENGTH"] = str(size)
        del environ[
            "HTTP_TRANSFER_ENCODING"
        ]  # the body is no longer chunked (and werkzeug ignores a length beside it)
        return ClosingIterator(self.wsgi_app(environ, start_response), body.close)


def _copy_at_most(source: IO[bytes], target: IO[bytes], most: int) -> int:
    """Copy up to ``most`` bytes from ``source`` to ``target``; the number copied."""
    size = 0
    while size < most:
        chunk = source.read(min(_READ_BYTES, most - size))
        if not chunk:
            break
        target.write(chunk)
        size += len(chunk)
    return size


def refuse_oversized_body() -> None:
    """Before any view: 413 for a body over ``MAX_CONTENT_LENGTH`` (declared, or counted above)."""
    size, limit = request.content_length, request.max_content_length
    if size is not None and limit is not None and size > limit:
        abort(413, description=f"The request body is larger than {limit} bytes.")


def init_body_limits(app: Flask) -> None:
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app)  # type: ignore[method-assign]
    app.before_request(refuse_oversized_body)
