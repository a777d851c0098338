"""Data factories: valid rows with sensible defaults, overridable per test."""

from __future__ import annotations

import itertools
import secrets
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from feedback_app.models import DepartedCustomer, Invitation, Response, StaffUser, Survey, SurveyVersion
from feedback_app.services.outreach.tokens import hash_token, new_token

_seq = itertools.count(1)

MINIMAL_DEFINITION: dict[str, Any] = {
    "key": "exit",
    "version": 1,
    "title": "Why did you leave?",
    "intro": "A few questions.",
    "questions": [
        {
            "id": "what_happened",
            "type": "long_text",
            "prompt": "What happened?",
            "required": True,
            "analyze": True,
        },
    ],
}


class Factories:
    def __init__(self, session: Session) -> None:
        self.session = session

    def customer(self, **fields: Any) -> DepartedCustomer:
        n = next(_seq)
        values: dict[str, Any] = dict(
            source="test",
            external_id=f"ext-{n}",
            email=f"person{n}@example.com",
            name=f"Pat Example{n}",
            company="Acme",
            plan="team",
            segment="smb",
            monthly_revenue_cents=7900,
            lifetime_value_cents=94800,
            tenure_months=12,
            left_at=date(2026, 10, 1),
            churn_type="voluntary",
            contact_consent=True,
        )
        values.update(fields)
        customer = DepartedCustomer(**values)
        self.session.add(customer)
        self.session.commit()
        return customer

    def survey(self, definition: dict[str, Any] | None = None, **fields: Any) -> Survey:
        definition = dict(definition or MINIMAL_DEFINITION)
        if "key" in fields:
            definition["key"] = fields["key"]
        survey = Survey(
            key=definition["key"],
            title=definition["title"],
            current_version=1,
            **{k: v for k, v in fields.items() if k != "key"},
        )
        survey.versions.append(
            SurveyVersion(
                version=1,
                title=definition["title"],
                definition=definition,
                definition_hash=secrets.token_hex(32),
            )
        )
        self.session.add(survey)
        self.session.commit()
        return survey

    def invitation(
        self,
        customer: DepartedCustomer | None = None,
        survey: Survey | None = None,
        token: str | None = None,
        **fields: Any,
    ) -> tuple[Invitation, str]:
        """An invitation and its raw token (only the hash is stored)."""
        token = token or new_token()
        invitation = Invitation(
            customer=customer or self.customer(),
            survey=survey or self.survey(key=f"s{next(_seq)}"),
            token_hash=hash_token(token),
            **fields,
        )
        self.session.add(invitation)
        self.session.commit()
        return invitation, token

    def response(
        self, invitation: Invitation | None = None, answers: dict[str, Any] | None = None, **fields: Any
    ) -> Response:
        invitation = invitation or self.invitation()[0]
        version = invitation.survey.versions[-1]
        response = Response(
            invitation=invitation,
            survey_version=version,
            answers=answers or {"what_happened": "Too expensive for us."},
            **fields,
        )
        invitation.status = "completed"
        self.session.add(response)
        self.session.commit()
        return response

    def staff_user(
        self, role: str = "cx", email: str | None = None, password: str | None = None
    ) -> tuple[StaffUser, str]:
        from feedback_app.services.accounts.users import create_user

        password = password or f"correct horse battery {secrets.token_hex(4)}"
        user = create_user(email or f"{role}{next(_seq)}@staff.example", role, password, actor="test")
        return user, password
