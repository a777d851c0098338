"""Admin pages for outgoing webhooks: subscribe a URL to events, turn it off and on, read the delivery
log, resend a failed delivery or all of an endpoint's since a date."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext, ngettext
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, SubmitField, URLField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from feedback_app.blueprints.auth.decorators import ADMIN_ONLY, roles_required
from feedback_app.blueprints.dashboard.admin_forms import ConfirmForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, form_errors, page_number
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint
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


class ResendSinceForm(FlaskForm):
    since = DateField(
        lazy_gettext("Failed since"),
        validators=[DataRequired(lazy_gettext("Give the date as YYYY-MM-DD."))],
    )


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
        resend_form=ResendSinceForm(formdata=None),
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
    if not endpoint.active:
        flash(
            gettext(
                "%(url)s is off. Events that happen while it is off are not queued for it, and turning it "
                "on again does not send them (as on Stripe and Svix); the read API has them.",
                url=endpoint.url,
            ),
            "success",
        )
        return redirect(url_for("dashboard.admin_webhooks"))
    failed = webhook_delivery.failed_deliveries(endpoint)
    if failed.total and failed.first is not None:
        flash(
            ngettext(
                "%(url)s is on. %(num)d of its deliveries failed since %(day)s and is not sent again by "
                "itself: resend it from the delivery log, or with “Resend failed deliveries since” on its row.",
                "%(url)s is on. %(num)d of its deliveries failed since %(day)s and are not sent again by "
                "themselves: resend them from the delivery log, or with “Resend failed deliveries since” on its row.",
                failed.total,
                url=endpoint.url,
                day=f"{failed.first:%Y-%m-%d}",
            ),
            "success",
        )
    else:
        flash(gettext("%(url)s is on.", url=endpoint.url), "success")
    return redirect(url_for("dashboard.admin_webhooks"))


@bp.post("/admin/webhooks/deliveries/<int:delivery_id>/resend")
@roles_required(*ADMIN_ONLY)
def admin_webhook_resend(delivery_id: int) -> ResponseReturnValue:
    """Send a failed delivery again, with the same webhook-id; one still on its way is left alone."""
    delivery = db.get_or_404(WebhookDelivery, delivery_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if webhook_delivery.resend(delivery, **actor()):
        flash(_queued_message(delivery.endpoint, 1), "success")
    elif delivery.status == "delivered":
        flash(gettext("That delivery was delivered; nothing was sent again."), "error")
    else:
        flash(gettext("That delivery is already on its way; nothing was sent twice."), "error")
    return redirect(url_for("dashboard.admin_webhooks", _anchor="log"))


@bp.post("/admin/webhooks/<int:endpoint_id>/resend-failed")
@roles_required(*ADMIN_ONLY)
def admin_webhook_resend_failed(endpoint_id: int) -> ResponseReturnValue:
    """Send again every failed delivery of an endpoint since a day (UTC), e.g. a receiver's bad deploy."""
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    form = ResendSinceForm()
    if not form.validate_on_submit() or form.since.data is None:
        if "csrf_token" in form.errors:
            abort(400)
        flash(form_errors(form), "error")
        return redirect(url_for("dashboard.admin_webhooks"))
    since = datetime.combine(form.since.data, time.min, tzinfo=UTC)
    try:
        count = webhook_delivery.resend_failed_since(endpoint, since, **actor())
    except webhooks.WebhookError as error:
        flash(str(error), "error")
        return redirect(url_for("dashboard.admin_webhooks"))
    if count:
        flash(_queued_message(endpoint, count), "success")
    else:
        flash(
            gettext(
                "No failed deliveries to %(url)s since %(day)s; nothing was sent.",
                url=endpoint.url,
                day=form.since.data.isoformat(),
            ),
            "success",
        )
    return redirect(url_for("dashboard.admin_webhooks", _anchor="log"))


def _queued_message(endpoint: WebhookEndpoint, count: int) -> str:
    if endpoint.active:
        return ngettext(
            "%(num)d delivery to %(url)s is being sent again, with its webhook-id unchanged.",
            "%(num)d deliveries to %(url)s are being sent again, each with its webhook-id unchanged.",
            count,
            url=endpoint.url,
        )
    return ngettext(
        "%(num)d delivery to %(url)s is waiting to be sent again: the address is off; turn it on to send it.",
        "%(num)d deliveries to %(url)s are waiting to be sent again: the address is off; turn it on to send them.",
        count,
        url=endpoint.url,
    )
