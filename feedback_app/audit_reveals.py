"""Audit the staff pages that reveal personal data or secrets, without touching their views.

Changes are audited by the services that make them; reading is audited here, by endpoint, after
a successful response: the written emails (they hold names and live survey links) and report
downloads (quotes leave the system). Only the page and its path arguments are recorded, never
query strings, which may hold search terms such as an email address.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from feedback_app.extensions import db
from feedback_app.services.accounts import audit

#: endpoint -> audit action
REVEALING_ENDPOINTS = {
    "dashboard.outbox_file": "email.view",
    "dashboard.summary_export": "report.download",
}


def _record_reveal(response: Response) -> Response:
    action = REVEALING_ENDPOINTS.get(request.endpoint or "")
    if action and response.status_code == 200 and current_user.is_authenticated:
        target = ",".join(str(v) for v in (request.view_args or {}).values())[:64] or None
        audit.record(
            action,
            actor=current_user.email,
            actor_user_id=current_user.id,
            target_type="page",
            target_id=target,
            endpoint=request.endpoint,
        )
        db.session.commit()
    return response


def init_reveal_audit(app: Flask) -> None:
    app.after_request(_record_reveal)
