"""Fixtures shared by the survey page tests: the shipped SaaS survey and a live invitation to it."""

from __future__ import annotations

import pytest

from tests.app.survey_helpers import shipped_survey


@pytest.fixture
def saas(app):
    return shipped_survey("saas_cancellation")


@pytest.fixture
def live(make, saas):
    """An invitation to the SaaS survey for Zoë at Acme, and its raw token."""
    customer = make.customer(name="Zoë Kowalski", company="Acme")
    return make.invitation(customer=customer, survey=saas, status="sent")
