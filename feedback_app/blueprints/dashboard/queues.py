"""Dashboard pages for the work queues: the follow-up queue and win-back candidates."""

from __future__ import annotations

import math

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.insights_forms import BulkHandledForm, ConfirmForm, HandledForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import PER_PAGE, actor, form_errors, page_number
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.models import FollowUp
from feedback_app.services.actions import winback
from feedback_app.services.insights import follow_ups
from feedback_app.services.insights.filters import Filters
from feedback_app.services.insights.overview import overview


@bp.get("/follow-ups")
@roles_required(*CX_AND_ADMIN)
def follow_up_queue() -> ResponseReturnValue:
    handled = request.args.get("show") == "handled"
    reason = request.args.get("reason") if request.args.get("reason") in follow_ups.REASONS else None
    order = request.args.get("order", "newest")
    if order not in follow_ups.ORDERS:
        order = "newest"
    page = page_number()
    entries, total = follow_ups.queue(
        handled=handled, page=page, per_page=PER_PAGE, reason=reason, order=order
    )
    keep = {
        k: v
        for k, v in (
            ("show", "handled" if handled else None),
            ("reason", reason),
            ("order", None if order == "newest" else order),
        )
        if v
    }
    pages = max(1, math.ceil(total / PER_PAGE))
    return render_template(
        "insights/follow_ups.html",
        entries=entries,
        total=total,
        page=min(page, pages),  # the service shows the last page for one past it
        pages=pages,
        handled=handled,
        reason=reason,
        order=order,
        reasons=follow_ups.REASONS,
        orders=translated_names(follow_ups.ORDERS),
        keep=keep,
        form=HandledForm(),
        bulk_form=BulkHandledForm(),
    )


@bp.post("/follow-ups/<int:follow_up_id>/handled")
@roles_required(*CX_AND_ADMIN)
def follow_up_handled(follow_up_id: int) -> ResponseReturnValue:
    """Mark one entry handled: with htmx (``HX-Request``) the entry's card is swapped for the
    outcome in place; as a plain form post, back to the queue with a message."""
    entry = db.get_or_404(FollowUp, follow_up_id)
    form = HandledForm()
    error = None
    if not form.validate_on_submit():
        error = gettext("Note: %(errors)s", errors=form_errors(form))
    else:
        try:
            follow_ups.mark_handled(entry, **actor(), note=form.note.data)
        except ValueError as exc:
            error = str(exc)
    if request.headers.get("HX-Request"):
        return render_template("insights/_follow_up_done.html", entry=entry, error=error)
    flash(error or gettext("Follow-up %(id)s marked handled.", id=entry.id), "error" if error else "success")
    return redirect(url_for("dashboard.follow_up_queue"))


@bp.post("/follow-ups/<int:follow_up_id>/contact")
@roles_required(*CX_AND_ADMIN)
def follow_up_contact(follow_up_id: int) -> ResponseReturnValue:
    """Show the customer's own stored email and phone for one entry (a POST: it is audited). With
    htmx the details replace the button in place; as a plain form post, a page of its own."""
    entry = db.get_or_404(FollowUp, follow_up_id)
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form had expired; press “Show contact details” again."), "error")
        return redirect(url_for("dashboard.follow_up_queue"))
    details = follow_ups.contact_details(entry, **actor())
    if request.headers.get("HX-Request"):
        return render_template("insights/_follow_up_contact.html", details=details)
    return render_template("insights/follow_up_contact.html", details=details, entry=entry)


@bp.post("/follow-ups/handled")
@roles_required(*CX_AND_ADMIN)
def follow_ups_handled_bulk() -> ResponseReturnValue:
    """Mark the selected entries handled in one POST (CSRF-checked like every form)."""
    form = BulkHandledForm()
    if not form.validate_on_submit():
        flash(
            gettext(
                "Mark handled: %(errors)s.",
                errors="; ".join(str(e) for errs in form.errors.values() for e in errs),
            ),
            "error",
        )
    else:
        marked = follow_ups.mark_many_handled(form.follow_up.data, **actor())
        flash(
            ngettext("%(num)s follow-up marked handled.", "%(num)s follow-ups marked handled.", marked),
            "success",
        )
    return redirect(url_for("dashboard.follow_up_queue"))


@bp.get("/win-back")
@roles_required(*CX_AND_ADMIN)
def win_back() -> ResponseReturnValue:
    page = page_number()
    rows, listing = winback.candidates(page=page, per_page=PER_PAGE)
    o = overview(Filters())
    all_themes = request.args.get("themes") == "all"
    themes, theme_count = winback.theme_rates(show_all=all_themes)
    return render_template(
        "insights/winback.html",
        rows=rows,
        total=listing.total,
        page=listing.page,
        pages=listing.pages,
        o=o,
        themes=themes,
        theme_count=theme_count,
        all_themes=all_themes,
        top_themes=winback.TOP_THEMES,
    )
