"""The opt-out link of a "we fixed it" email or a CPR offer (``/f/<token>/opt-out``): a page that asks, and the
one-click POST that email clients send from the List-Unsubscribe header.

The signed token is the credential, as on win-back links: no session, no CSRF token (a mail
client's one-click POST has neither), and an unknown token gets the plain 404.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.public.routes import bp, speak_as_the_email_did
from feedback_app.extensions import csrf
from feedback_app.services.actions import close_loop_links


@bp.route("/f/<token>/opt-out", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential; opting out is idempotent
def we_fixed_it_opt_out(token: str) -> ResponseReturnValue:
    company = current_app.config["COMPANY_NAME"]
    customer = close_loop_links.customer_for(token)
    if customer is None:
        abort(404)
    speak_as_the_email_did(customer)
    if request.method == "POST":
        close_loop_links.opt_out(token)
        return render_template("public/winback_opted_out.html", company=company)
    action = url_for("public.we_fixed_it_opt_out", token=token)
    return render_template("public/winback_opt_out.html", company=company, action=action)
