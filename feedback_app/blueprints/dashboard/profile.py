"""The signed-in person's own settings: for now, whether they get the weekly digest email."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from feedback_app.blueprints.auth.decorators import ALL_STAFF, roles_required
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.extensions import db
from feedback_app.models import ROLE_DESCRIPTIONS, StaffUser
from feedback_app.services.accounts import users


class ProfileForm(FlaskForm):
    digest = BooleanField(
        lazy_gettext("Email me the weekly digest"),
        description=lazy_gettext(
            "Each Monday: why customers left last week, new themes, follow-ups waiting and "
            "action items due or shipped, with links."
        ),
    )
    submit = SubmitField(lazy_gettext("Save"))


def _me() -> StaffUser:
    return db.get_or_404(StaffUser, current_user.id)  # signed in, so the row exists unless deleted


@bp.get("/profile")
@roles_required(*ALL_STAFF)
def profile() -> ResponseReturnValue:
    user = _me()
    return render_template("admin/profile.html", form=ProfileForm(digest=user.digest_opt_in), **_page(user))


def _page(user: StaffUser) -> dict[str, object]:
    """The profile's values: the person, and what their role lets them do (in words, never its key)."""
    described = ROLE_DESCRIPTIONS.get(user.role)
    return {"user": user, "role_description": gettext(described) if described else ""}


@bp.post("/profile")
@roles_required(*ALL_STAFF)
def profile_save() -> ResponseReturnValue:
    user = _me()
    form = ProfileForm()
    if not form.validate_on_submit():
        return render_template("admin/profile.html", form=form, **_page(user)), 400
    users.set_digest_opt_in(user, bool(form.digest.data))
    flash(
        gettext("Saved: you will get the weekly digest.")
        if user.digest_opt_in
        else gettext("Saved: no weekly digest."),
        "info",
    )
    return redirect(url_for("dashboard.profile"))
