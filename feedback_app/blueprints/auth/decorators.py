"""Access checks for staff routes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required


def roles_required(*roles: str) -> Callable:
    """Allow only logged-in staff whose role is one of ``roles`` (anonymous: to login; others: 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


ALL_STAFF = ("admin", "cx", "product")
CX_AND_ADMIN = ("admin", "cx")
ADMIN_ONLY = ("admin",)
