"""Admin pages: staff accounts, the audit log, and data-protection requests (admin only)."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_wtf import FlaskForm

from feedback_app.blueprints.auth.decorators import ADMIN_ONLY, roles_required
from feedback_app.blueprints.dashboard.admin_forms import (
    ApiKeyForm,
    ConfirmForm,
    InviteForm,
    PersonForm,
    RoleForm,
)
from feedback_app.blueprints.dashboard.display import role_name
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, page_number
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.models import API_SCOPES, StaffUser
from feedback_app.services.accounts import api_keys, audit, password_links
from feedback_app.services.accounts import users as user_service
from feedback_app.services.insights import cause_catalogue
from feedback_app.services.privacy import erasure, export, people


def _user_or_404(user_id: int) -> StaffUser:
    return db.get_or_404(StaffUser, user_id)


def _users_page(form: InviteForm, link: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "admin/users.html",
        users=user_service.users_page(page_number()),
        form=form,
        link=link,
        role_form=RoleForm,
        confirm=ConfirmForm(),
    ), status


@bp.get("/admin/users")
@roles_required(*ADMIN_ONLY)
def admin_users() -> ResponseReturnValue:
    return _users_page(InviteForm())


@bp.post("/admin/users")
@roles_required(*ADMIN_ONLY)
def admin_users_invite() -> ResponseReturnValue:
    """Create an account without a password and show its one-time link on this page (never emailed or logged)."""
    form = InviteForm()
    if not form.validate_on_submit():
        return _users_page(form, status=400)
    try:
        user = user_service.create_user(form.email.data, form.role.data, None, **actor())
    except user_service.UserError as error:
        form.email.errors.append(str(error))
        return _users_page(form, status=400)
    flash(
        gettext(
            "Created %(email)s (%(role)s). Give them the link below; it works once.",
            email=user.email,
            role=role_name(user.role),
        ),
        "success",
    )
    return _users_page(InviteForm(formdata=None), link=password_links.make_link(user))


def _change_user(
    user_id: int, form: FlaskForm, change: Callable[[StaffUser], object], done: LazyString
) -> ResponseReturnValue:
    """Validate the form, apply ``change(user)`` and say what happened (or why not) on the users page."""
    user = _user_or_404(user_id)
    if not form.validate_on_submit():
        abort(400)
    try:
        change(user)
    except user_service.UserError as error:
        flash(str(error), "error")
    else:
        flash(str(done) % {"email": user.email, "role": role_name(user.role)}, "success")
    return redirect(url_for("dashboard.admin_users"))


@bp.post("/admin/users/<int:user_id>/role")
@roles_required(*ADMIN_ONLY)
def admin_user_role(user_id: int) -> ResponseReturnValue:
    form = RoleForm()
    return _change_user(
        user_id,
        form,
        lambda user: user_service.set_role(user, form.role.data, **actor()),
        lazy_gettext("%(email)s is now %(role)s."),
    )


@bp.post("/admin/users/<int:user_id>/deactivate")
@roles_required(*ADMIN_ONLY)
def admin_user_deactivate(user_id: int) -> ResponseReturnValue:
    return _change_user(
        user_id,
        ConfirmForm(),
        lambda user: user_service.deactivate(user, **actor()),
        lazy_gettext("%(email)s is deactivated and signed out."),
    )


@bp.post("/admin/users/<int:user_id>/reactivate")
@roles_required(*ADMIN_ONLY)
def admin_user_reactivate(user_id: int) -> ResponseReturnValue:
    """Undo a deactivation (someone switched off by mistake, or back from leave): without it the
    account could only be replaced, under a new address."""
    return _change_user(
        user_id,
        ConfirmForm(),
        lambda user: user_service.reactivate(user, **actor()),
        lazy_gettext("%(email)s can sign in again."),
    )


@bp.post("/admin/users/<int:user_id>/reset-link")
@roles_required(*ADMIN_ONLY)
def admin_user_reset_link(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit() or not user.active:
        abort(400)
    link = user_service.reset_link(user, **actor())
    flash(gettext("A one-time set-password link for %(email)s is below.", email=user.email), "success")
    return _users_page(InviteForm(formdata=None), link=link)


@bp.get("/admin/audit")
@roles_required(*ADMIN_ONLY)
def admin_audit() -> ResponseReturnValue:
    action = request.args.get("action", "").strip() or None
    page = page_number()
    listing = audit.list_events(action=action, page=page)
    return render_template(
        "admin/audit.html",
        listing=listing,
        lines=audit.describe(listing.items),
        action_names=audit.action_name,
        actions=audit.actions(),
        action=action or "",
    )


@bp.get("/admin/root-causes")
@roles_required(*ADMIN_ONLY)
def admin_causes() -> ResponseReturnValue:
    return render_template("admin/causes.html", catalogue=cause_catalogue.catalogue())


@bp.route("/admin/privacy", methods=["GET", "POST"])
@roles_required(*ADMIN_ONLY)
def admin_privacy() -> ResponseReturnValue:
    """Answer a person's data request: download what we hold, or erase it."""
    form = PersonForm()
    if not form.validate_on_submit():
        return render_template("admin/privacy.html", form=form), 400 if form.errors else 200
    try:
        if form.erase.data:
            if not form.confirm.data:
                form.confirm.errors = [gettext("Tick this box to confirm: erasure cannot be undone.")]
                return render_template("admin/privacy.html", form=form), 400
            report = erasure.erase_person(form.email.data, **actor())
            flash(
                gettext(
                    "Erased %(customers)s customer record(s), %(responses)s response(s), "
                    "%(emails)s email(s) and %(quotes)s quote(s). Anonymous counts remain.",
                    customers=report.customers,
                    responses=report.responses,
                    emails=report.outbox_emails,
                    quotes=report.quotes,
                ),
                "success",
            )
            return redirect(url_for("dashboard.admin_privacy"))
        data = export.export_person(form.email.data, **actor())
    except people.PrivacyError as error:
        form.email.errors.append(str(error))
        return render_template("admin/privacy.html", form=form), 404
    body = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="personal-data.json"'},
    )


def _keys_page(form: ApiKeyForm, raw_key: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "admin/api_keys.html",
        keys=api_keys.keys_page(page_number()),
        form=form,
        raw_key=raw_key,
        confirm=ConfirmForm(),
        scope_names=translated_names(API_SCOPES),
    ), status


@bp.get("/admin/api-keys")
@roles_required(*ADMIN_ONLY)
def admin_api_keys() -> ResponseReturnValue:
    return _keys_page(ApiKeyForm())


@bp.post("/admin/api-keys")
@roles_required(*ADMIN_ONLY)
def admin_api_keys_create() -> ResponseReturnValue:
    """Create a key and show it once on this page; only its hash is kept."""
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _keys_page(form, status=400)
    try:
        _key, raw = api_keys.create_key(
            form.label.data, actor=current_user.email, created_by_id=current_user.id, scopes=form.scopes()
        )
    except api_keys.ApiKeyError as error:
        (form.can_write if "scope" in str(error) else form.label).errors.append(str(error))
        return _keys_page(form, status=400)
    flash(gettext("Key created. Copy it now: it is shown only once."), "success")
    return _keys_page(ApiKeyForm(formdata=None), raw_key=raw)


@bp.post("/admin/api-keys/<int:key_id>/revoke")
@roles_required(*ADMIN_ONLY)
def admin_api_key_revoke(key_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        key = api_keys.revoke_key(str(key_id), **actor())
    except api_keys.ApiKeyError:
        abort(404)
    flash(
        gettext(
            "Key %(prefix)s… (%(label)s) is revoked; requests with it now get 401.",
            prefix=key.prefix,
            label=key.label,
        ),
        "success",
    )
    return redirect(url_for("dashboard.admin_api_keys"))
