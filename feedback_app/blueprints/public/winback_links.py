"""The tracked links of a win-back email: ``/w/<token>`` (a click), its open pixel and its opt-out.

The token is the capability, as on survey links: the opt-out works without a session (an email
client's one-click POST has none), and unknown tokens get the plain 404.
"""

from __future__ import annotations

import base64

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from feedback_app.blueprints.public.routes import bp, speak_as_the_email_did
from feedback_app.extensions import csrf
from feedback_app.services.actions import campaign_links

#: A transparent 1x1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@bp.get("/w/<token>")
def winback_click(token: str) -> ResponseReturnValue:
    target = campaign_links.record_click(token)
    if target is None:
        abort(404)
    return redirect(target, code=302)


@bp.get("/w/<token>/open.gif")
def winback_open(token: str) -> ResponseReturnValue:
    campaign_links.record_open(token)
    response = Response(PIXEL, mimetype="image/gif")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/w/<token>/opt-out", methods=["GET", "POST"])
@csrf.exempt  # the unguessable token is the credential; opting out is idempotent
def winback_opt_out(token: str) -> ResponseReturnValue:
    company = current_app.config["COMPANY_NAME"]
    member = campaign_links.member_for(token)
    if member is None:
        abort(404)
    speak_as_the_email_did(member.customer)
    if request.method == "POST":
        campaign_links.opt_out(token)
        return render_template("public/winback_opted_out.html", company=company)
    action = url_for("public.winback_opt_out", token=token)
    return render_template("public/winback_opt_out.html", company=company, action=action)
