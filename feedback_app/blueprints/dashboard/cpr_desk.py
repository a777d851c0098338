"""Dashboard pages for the CPR desk: high-value former customers, one page each, the calculator, the offer."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext

from feedback_app.blueprints.auth.decorators import CX_AND_ADMIN, roles_required
from feedback_app.blueprints.dashboard.insights_forms import ConfirmForm
from feedback_app.blueprints.dashboard.routes import bp
from feedback_app.blueprints.dashboard.view_helpers import actor, form_errors, page_number
from feedback_app.blueprints.dashboard.winback_forms import CprOfferForm, CprOutcomeForm
from feedback_app.extensions import db
from feedback_app.models import DepartedCustomer
from feedback_app.services.actions import cpr
from feedback_app.services.actions.campaigns import CampaignError, parse_money

STATUS_WORDS = {
    "open": lazy_gettext("Open"),
    "offered": lazy_gettext("Offer sent"),
    "accepted": lazy_gettext("Accepted"),
    "declined": lazy_gettext("Declined"),
    "expired": lazy_gettext("Expired"),
}
#: Why no email may go to a customer (``answers.contact_refusal``), as the desk says it.
NO_CONTACT_WORDS = {
    "erased": lazy_gettext("their data was erased"),
    "no_address": lazy_gettext("we have no email address for them"),
    "opted_out": lazy_gettext("they opted out of our emails"),
    "bounced": lazy_gettext("their email address bounced"),
    "said_no": lazy_gettext("they said no to being contacted in the survey"),
    "no_consent": lazy_gettext("they never allowed contact"),
}


@bp.get("/cpr")
@roles_required(*CX_AND_ADMIN)
def cpr_list() -> ResponseReturnValue:
    page = cpr.candidates(page=page_number())
    cases = cpr.cases_by_customer([c.id for c in page.items])
    return render_template(
        "winback/cpr_list.html",
        page=page,
        cases=cases,
        words=STATUS_WORDS,
        refusals=cpr.contact_refusals(page.items),
        no_contact=NO_CONTACT_WORDS,
    )


def _amount(text: str | None, name: str, problems: list[str]) -> int | None:
    try:
        return parse_money(text, name)
    except CampaignError as exc:
        problems.extend(f"{label}: {message}" for label, message in exc.problems)
        return None


def _page(
    customer: DepartedCustomer, offer_form: CprOfferForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    case = cpr.case_for(customer.id)
    problems = list(problems or [])
    offer_text = request.values.get("offer_value") or offer_form.offer_value.data
    cost_text = request.values.get("cost_to_serve") or offer_form.cost_to_serve.data
    if case is not None and case.status != "open" and not offer_text and not cost_text:
        offer, cost = case.offer_value_cents or 0, case.cost_to_serve_cents  # the offer as sent
    else:
        offer = _amount(offer_text, gettext("Offer value"), problems) or 0
        cost = _amount(cost_text, gettext("Cost to serve"), problems)
    return render_template(
        "winback/cpr_case.html",
        customer=customer,
        case=case,
        profile=cpr.profile(customer),
        proposal=cpr.proposal(customer, offer_cents=offer, cost_to_serve_monthly_cents=cost),
        refusal=cpr.contact_refusals([customer])[customer.id],
        no_contact=NO_CONTACT_WORDS,
        letter_language=cpr.letter_language(customer),
        offer_form=offer_form,
        outcome_form=CprOutcomeForm(),
        form=ConfirmForm(),
        problems=problems,
        words=STATUS_WORDS,
    ), status


@bp.get("/cpr/<int:customer_id>")
@roles_required(*CX_AND_ADMIN)
def cpr_case(customer_id: int) -> ResponseReturnValue:
    customer = db.get_or_404(DepartedCustomer, customer_id)
    form = CprOfferForm(formdata=None)
    form.subject.data, form.body.data = cpr.default_letter(customer)
    form.offer_value.data = request.args.get("offer_value", "")
    form.cost_to_serve.data = request.args.get("cost_to_serve", "")
    return _page(customer, form)


@bp.post("/cpr/<int:customer_id>/open")
@roles_required(*CX_AND_ADMIN)
def cpr_open(customer_id: int) -> ResponseReturnValue:
    customer = db.get_or_404(DepartedCustomer, customer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        cpr.open_case(customer, **actor())
    except cpr.CprError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dashboard.cpr_case", customer_id=customer.id))


@bp.post("/cpr/<int:customer_id>/offer")
@roles_required(*CX_AND_ADMIN)
def cpr_offer(customer_id: int) -> ResponseReturnValue:
    customer = db.get_or_404(DepartedCustomer, customer_id)
    case = cpr.case_for(customer.id) or abort(404)
    form = CprOfferForm()
    if not form.validate_on_submit():
        return _page(customer, form, 422, [e for errs in form.errors.values() for e in errs])
    problems: list[str] = []
    offer = _amount(form.offer_value.data, gettext("Offer value"), problems) or 0
    cost = _amount(form.cost_to_serve.data, gettext("Cost to serve"), problems)
    if problems:
        return _page(customer, form, 422, problems)
    try:
        cpr.send_offer(
            case,
            subject=form.subject.data or "",
            body=form.body.data or "",
            offer_cents=offer,
            deadline=form.offer_deadline.data,
            cost_to_serve_monthly_cents=cost,
            **actor(),
        )
    except cpr.CprError as exc:
        return _page(customer, form, 422, [str(exc)])
    flash(gettext("Offer queued; the outbox sends it. Record the answer here when it comes."), "success")
    return redirect(url_for("dashboard.cpr_case", customer_id=customer.id))


@bp.post("/cpr/<int:customer_id>/outcome")
@roles_required(*CX_AND_ADMIN)
def cpr_outcome(customer_id: int) -> ResponseReturnValue:
    case = cpr.case_for(customer_id) or abort(404)
    form = CprOutcomeForm()
    if not form.validate_on_submit():
        flash(
            gettext("Outcome: %(errors)s", errors=form_errors(form)),
            "error",
        )
    else:
        try:
            cpr.record_outcome(case, form.outcome.data, note=form.note.data, **actor())
        except cpr.CprError as exc:
            flash(str(exc), "error")
        else:
            flash(gettext("Recorded: %(status)s.", status=str(STATUS_WORDS[case.status]).lower()), "success")
    return redirect(url_for("dashboard.cpr_case", customer_id=customer_id))
