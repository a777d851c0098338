"""The default words former customers read in the "we changed it" and win-back emails.

Written in English and marked for the catalogues, so each customer gets them in their language
(``feedback_app/translations``, every shipped language translates them). Staff edit copies of
the subjects and bodies on the dashboard; an edited text is sent as written, never translated.
The placeholders in braces stay as they are in every language.
"""

from __future__ import annotations

from feedback_app.i18n import N_

CLOSE_LOOP_SUBJECT = N_("You told us, and we changed it")
CLOSE_LOOP_BODY = N_("""Hello {first_name},

When you left {company}, you told us what was not working for you. Thank you: it helped us decide what to fix first.

Here is what we changed:

{change}

If you would like to give {company} another try, just reply to this email and a person on our team will help you get started again.

The {company} team""")
CLOSE_LOOP_FOOTER = N_(
    "You get this one email because you allowed us to contact you about your survey answers."
)
#: Where the link goes in a preview or a test, which belong to no customer.
SAMPLE_OPT_OUT = N_("(each customer's own opt-out link)")

WIN_BACK_SUBJECT = N_("{first_name}, come back to {company}: {offer}")
WIN_BACK_BODY = N_("""Hello {first_name},

When you left {company}, you told us why, and we listened.

{offer}

The offer is yours until {deadline}. Take it here: {link}

The {company} team""")

#: The offer in a body that never shows ``{code}``, when the campaign has a code: without it the
#: customer would read about an offer whose code they never get.
OFFER_WITH_CODE = N_("%(offer)s (code: %(code)s)")

#: Added under the offer staff write on the CPR desk, in the customer's language.
CPR_DEADLINE = N_("This offer stands until %(day)s.")
