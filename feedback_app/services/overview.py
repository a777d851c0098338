"""Headline numbers for the dashboard's landing page."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer, Invitation, Response


def headline_counts() -> dict[str, int]:
    """How many customers left, were invited, and answered."""
    return {
        "customers": db.session.scalar(select(func.count(DepartedCustomer.id))) or 0,
        "invitations": db.session.scalar(select(func.count(Invitation.id))) or 0,
        "responses": db.session.scalar(select(func.count(Response.id))) or 0,
    }
