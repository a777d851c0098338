"""Staff sign-in, sign-out and one-time set-password links."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user, login_required, login_user, logout_user

from feedback_app.blueprints.auth.forms import LoginForm, SetPasswordForm
from feedback_app.blueprints.form_bodies import refuse_non_form_body
from feedback_app.extensions import login_manager
from feedback_app.i18n import N_
from feedback_app.models import StaffUser
from feedback_app.ratelimit import client_address
from feedback_app.security import start_staff_session
from feedback_app.services.accounts import login_throttle, password_links, users

bp = Blueprint("auth", __name__)
bp.before_request(refuse_non_form_body)  # staff pages take HTML forms only

login_manager.login_view = "auth.login"
login_manager.login_message = N_("Please sign in to see the dashboard.")
login_manager.localize_callback = gettext  # Flask-Login flashes the message through it

LOCKED_MESSAGE = lazy_gettext("Too many failed sign-ins. Please wait %(wait)s and try again.")


@login_manager.user_loader
def _load_user(session_id: str) -> StaffUser | None:
    return users.load_user_from_session(session_id)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirects). A backslash is
    refused too: browsers read ``/\\evil.example`` as ``//evil.example`` though urlsplit finds no host
    in it (Werkzeug's redirect writes it ``%5C`` today, which keeps it a path; this does not rely on that)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("dashboard.index")


def _minutes(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email, address = form.email.data, client_address()
        locked = login_throttle.seconds_locked(email, address)
        user = None if locked else users.authenticate(email, form.password.data)
        if user is not None:
            login_throttle.record_success(email)
            session.clear()  # a fresh session at login: no fixation
            login_user(user)
            start_staff_session()
            users.record_sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        if not locked:
            locked = login_throttle.record_failure(email, address)
        if locked:
            flash(str(LOCKED_MESSAGE) % {"wait": _minutes(locked)}, "error")
            status = 429
        else:
            flash(gettext("That email and password do not match an account."), "error")
            status = 401
    elif form.errors:
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    users.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> ResponseReturnValue:
    """The page a one-time link opens: choose a password, then sign in with it."""
    user = password_links.user_for_token(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        users.set_password(user, form.password.data, actor=user.email)
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(gettext("Your password is set. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, email=user.email), 400 if form.errors else 200
