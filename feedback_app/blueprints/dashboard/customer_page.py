"""One departed customer's page (``/dashboard/customers/<id>``), inviting them from it, and their
contact details on request; the data comes from ``services/customers/detail.py``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.cpr_desk import NO_CONTACT_WORDS
from feedback_app.blueprints.dashboard.cpr_desk import STATUS_WORDS as CPR_STATUS_WORDS
from feedback_app.blueprints.dashboard.customer_forms import InviteCustomerForm
from feedback_app.blueprints.dashboard.insights_forms import ConfirmForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor
from feedback_app.extensions import db
from feedback_app.i18n import translated_names
from feedback_app.jobs import enqueue
from feedback_app.models import DepartedCustomer
from feedback_app.services.conversations import browse
from feedback_app.services.customers import detail as detail_service
from feedback_app.services.outreach import invitations as invitation_service

#: An invitation's status (``models.surveys.INVITATION_STATUSES``), as the customer page says it.
INVITATION_STATUS_WORDS = {
    "pending": lazy_gettext("Queued, not sent yet"),
    "sent": lazy_gettext("Sent, not opened"),
    "opened": lazy_gettext("Opened, not answered"),
    "completed": lazy_gettext("Answered"),
    "opted_out": lazy_gettext("Opted out from the survey"),
    "bounced": lazy_gettext("Email bounced"),
    "revoked": lazy_gettext("Link withdrawn"),
}
#: Why a customer cannot be invited (``invitations.SKIP_REASONS``), as the customer page says it.
SKIP_WORDS = {
    "erased": lazy_gettext("their data was erased"),
    "no email address": lazy_gettext("we have no email address for them"),
    "opted out": lazy_gettext("they opted out of our emails"),
    "email bounced": lazy_gettext("their email address bounced"),
    "came back": lazy_gettext("they came back"),
    "involuntary departure": lazy_gettext(
        "they left involuntarily (e.g. a failed payment); invite them on Invite to a survey, ticking “Include involuntary departures”"
    ),
    "not left yet": lazy_gettext("their departure date is still ahead; invite them from that day"),
    "already invited to this survey": lazy_gettext("they were already invited to this survey"),
    "gave a reason in the billing cancel form": lazy_gettext(
        "they gave their reason in the billing cancel form (SKIP_SURVEY_WHEN_BILLING_REASON is on)"
    ),
}
#: A win-back campaign member's arm (``models.winback.ARMS``).
ARM_WORDS = {
    "offer": lazy_gettext("Sent the offer"),
    "holdout": lazy_gettext("Held out (no email, to measure the lift)"),
}


@bp.get("/customers/<int:customer_id>")
@roles_required(*CX_AND_ADMIN)
def customer(customer_id: int) -> ResponseReturnValue:
    """One customer: who they are, their surveys and answers, emails, win-back and follow-ups."""
    detail = detail_service.customer_detail(customer_id)
    if detail is None:
        abort(404)
    form = InviteCustomerForm()
    form.survey.choices = [(s.key, s.title) for s in detail.invitable_surveys]
    return render_template(
        "customers/detail.html",
        d=detail,
        c=detail.customer,
        invite_form=form,
        confirm_form=ConfirmForm(),
        invitation_words=INVITATION_STATUS_WORDS,
        skip_words=SKIP_WORDS,
        no_contact=NO_CONTACT_WORDS,
        cpr_words=CPR_STATUS_WORDS,
        arm_words=ARM_WORDS,
        kinds=translated_names(browse.KIND_NAMES),
        origins=translated_names(browse.ORIGIN_NAMES),
        statuses=translated_names(browse.STATUS_NAMES),
    )


@bp.post("/customers/<int:customer_id>/invite")
@roles_required(*CX_AND_ADMIN)
def customer_invite(customer_id: int) -> ResponseReturnValue:
    """Invite this one customer to a survey, by the rules every invitation run follows."""
    customer = db.get_or_404(DepartedCustomer, customer_id)
    form = InviteCustomerForm()
    form.survey.choices = [(s.key, s.title) for s in invitation_service.active_surveys()]
    if not form.validate_on_submit():
        flash(gettext("Choose a survey, then press “Invite” again."), "error")
        return redirect(url_for("dashboard.customer", customer_id=customer_id))
    try:
        run = invitation_service.invite_customer(customer, form.survey.data, **actor())
    except invitation_service.InvitationError as exc:
        flash(str(exc), "error")
    else:
        if run.created:
            enqueue("outbox.deliver")
            flash(gettext("Invitation queued; it goes out with the next delivery."), "success")
        else:
            reason = next(iter(run.skipped), None)
            flash(
                gettext("Not invited: %(why)s.", why=SKIP_WORDS[reason])
                if reason in SKIP_WORDS
                else gettext("Not invited: they do not match any invitation rule."),
                "error",
            )
    return redirect(url_for("dashboard.customer", customer_id=customer_id))


@bp.post("/customers/<int:customer_id>/contact")
@roles_required(*CX_AND_ADMIN)
def customer_contact(customer_id: int) -> ResponseReturnValue:
    """Their stored email and phone (a POST: the showing is audited). With htmx the details replace
    the button in place; as a plain form post, a page of its own."""
    customer = db.get_or_404(DepartedCustomer, customer_id)
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form had expired; press “Show contact details” again."), "error")
        return redirect(url_for("dashboard.customer", customer_id=customer_id))
    details = detail_service.contact_details(customer, **actor())
    if request.headers.get("HX-Request"):
        return render_template("insights/_follow_up_contact.html", details=details)
    return render_template("customers/contact.html", details=details, customer=customer)
