"""A job for the Celery tests, imported by the test worker through ``CELERY_IMPORTS``.

It records each start in the instance folder, can be held mid-way by a gate file (so a test can
kill its worker while it runs), and its effect is idempotent: marking a customer as returned
and writing one audit event happen once, however often the job is delivered.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from flask import current_app

from feedback_app.extensions import db
from feedback_app.jobs import job
from feedback_app.models import AuditEvent, DepartedCustomer

HOLD_LIMIT_SECONDS = 8.0


def starts_log(instance_path: str) -> Path:
    return Path(instance_path) / "probe-starts.log"


def gate_file(instance_path: str, customer_id: int) -> Path:
    return Path(instance_path) / f"probe-hold-{customer_id}"


@job("probe.mark_returned")
def mark_returned(customer_id: int) -> None:
    folder = current_app.instance_path
    with starts_log(folder).open("a") as log:
        log.write(f"{customer_id} {os.getpid()}\n")
    deadline = time.monotonic() + HOLD_LIMIT_SECONDS
    while gate_file(folder, customer_id).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    customer = db.session.get(DepartedCustomer, customer_id, with_for_update=True)
    if customer is not None and customer.returned_at is None:
        customer.returned_at = date.today()
        db.session.add(
            AuditEvent(
                actor="probe",
                action="probe.marked",
                target_type="customer",
                target_id=str(customer_id),
                details={},
            )
        )
    db.session.commit()
