"""Staff pages take HTML forms only: a POST whose body is JSON, XML or plain text is refused with
415 before a view reads it.

Flask-WTF fills a form from a JSON body (``request.get_json()``) when the request says it is JSON,
so ``{"name": {"a": 1}}`` reached a ``StringField`` as a dict and the campaign service failed on it
(a 500); a JSON array does not even make a form. No page of the app sends JSON, so the content type
is checked where the request comes in. A POST without a body (no content type) passes: its form is
empty and each form says which field is missing.
"""

from __future__ import annotations

from flask import abort, request

#: The bodies an HTML form sends (``enctype``), bar ``text/plain``, which no form here uses.
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def refuse_non_form_body() -> None:
    """Before a staff view: 415 for a POST whose body is not a form, naming what was sent."""
    if request.method != "POST" or not request.mimetype or request.mimetype in FORM_MIMETYPES:
        return
    abort(
        415,
        description=(
            f"This page takes a form (application/x-www-form-urlencoded or multipart/form-data), "
            f"not {request.mimetype[:60]}."
        ),
    )
