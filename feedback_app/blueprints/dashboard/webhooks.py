"""Admin pages for outgoing webhooks: subscribe a URL to events, turn it off and on, read the delivery log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, URLField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from feedback_app.blueprints.auth.decorators import ADMIN_ONLY, roles_required
from feedback_app.blueprints.dashboard.admin_forms import ConfirmForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, page_number
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.models import WEBHOOK_EVENTS, WebhookEndpoint
from feedback_app.services.integrations import webhook_delivery, webhooks


class WebhookForm(FlaskForm):
    url = URLField(
        lazy_gettext("URL"),
        description=lazy_gettext("Where to POST the events, e.g. https://hooks.example.com/afterword."),
        validators=[DataRequired(message=lazy_gettext("Enter the URL to send to.")), Length(max=2000)],
    )
    description = StringField(
        lazy_gettext("Description"),
        description=lazy_gettext("Optional: who receives it."),
        validators=[Length(max=200)],
    )
    events = SelectMultipleField(
        lazy_gettext("Events"),
        choices=[(key, lazy_gettext(name)) for key, name in WEBHOOK_EVENTS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(lazy_gettext("Subscribe"))


def _page(form: WebhookForm, secret: str | None = None, status: int = 200) -> ResponseReturnValue:
    log = webhook_delivery.recent(page=page_number())
    return render_template(
        "admin/webhooks.html",
        endpoints=webhooks.endpoints_page(page_number("endpoints_page")),
        form=form,
        secret=secret,
        log=log,
        event_names=translated_names(WEBHOOK_EVENTS),
        confirm=ConfirmForm(),
    ), status


@bp.get("/admin/webhooks")
@roles_required(*ADMIN_ONLY)
def admin_webhooks() -> ResponseReturnValue:
    return _page(WebhookForm())


@bp.post("/admin/webhooks")
@roles_required(*ADMIN_ONLY)
def admin_webhooks_create() -> ResponseReturnValue:
    """Subscribe a URL and show its signing secret."""
    form = WebhookForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        endpoint = webhooks.subscribe(
            form.url.data,
            form.events.data or [],
            description=form.description.data or "",
            **actor(),
        )
    except webhooks.WebhookError as error:
        (form.url if str(error).startswith("URL") else form.events).errors.append(str(error))
        return _page(form, status=400)
    flash(
        gettext("Subscribed. Give the signing secret below to the receiver so it can check each request."),
        "success",
    )
    return _page(WebhookForm(formdata=None), secret=endpoint.secret)


@bp.post("/admin/webhooks/<int:endpoint_id>/toggle")
@roles_required(*ADMIN_ONLY)
def admin_webhook_toggle(endpoint_id: int) -> ResponseReturnValue:
    """Turn an endpoint off, or back on after fixing the receiver."""
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    webhooks.set_active(endpoint, not endpoint.active, **actor())
    flash(
        gettext("%(url)s is on.", url=endpoint.url)
        if endpoint.active
        else gettext("%(url)s is off.", url=endpoint.url),
        "success",
    )
    return redirect(url_for("dashboard.admin_webhooks"))
