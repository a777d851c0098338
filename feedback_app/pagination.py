"""Paged lists: ``db.paginate`` with the page number kept in range, so every staff list pages alike."""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from feedback_app.extensions import db

#: Page numbers beyond this are read as this one, so a huge number in a URL never reaches the SQL.
MAX_PAGE = 100_000
#: Rows per page of the admin lists and other lists that grow without bound.
PER_PAGE = 25


def paginate(query: Select[Any], page: int, per_page: int) -> Pagination:
    """One page of ``query``'s rows (a ``select`` of one model); a page past the last shows the last."""
    page = min(max(1, page), MAX_PAGE)
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    if result.pages and page > result.pages:
        result = db.paginate(query, page=result.pages, per_page=per_page, error_out=False, count=True)
    return result
