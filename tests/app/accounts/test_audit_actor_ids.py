"""What a signed-in person does from the dashboard is audited under their account, not only their
email: the audit page and a person's export find their events by ``actor_user_id``."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from sqlalchemy import select

from feedback_app.models import ApiKey, AuditEvent, OutboxEmail, utcnow
from tests.app.customers.import_helpers import upload
from tests.helpers import csrf_token

CUSTOMERS = (
    "external_id,email,name,company,plan,segment,monthly_revenue,lifetime_value,tenure_months,"
    "left_at,churn_type,contact_consent\n"
    "c-1,ann@example.com,Ann Lee,Acme,team,smb,79.00,948.50,12,2026-10-01,voluntary,yes\n"
)


def _last_actor_id(db, action: str) -> int | None:
    return db.session.scalar(
        select(AuditEvent.actor_user_id).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
    )


def test_dashboard_actions_name_the_account_that_acted(client, login, make, db):
    admin = login("admin")
    token = csrf_token(client.get("/dashboard/admin/users"))
    client.post(
        "/dashboard/admin/users", data={"email": "new@staff.example", "role": "cx", "csrf_token": token}
    )
    client.post("/dashboard/admin/api-keys", data={"label": "bi", "can_read": "y", "csrf_token": token})
    key = db.session.scalar(select(ApiKey))
    client.post(f"/dashboard/admin/api-keys/{key.id}/revoke", data={"csrf_token": token})
    client.post(
        "/dashboard/churn/counts",
        data={"csrf_token": token, "file": (BytesIO(b"month,active_customers\n2026-09,100\n"), "c.csv")},
        content_type="multipart/form-data",
    )
    upload(client, CUSTOMERS.encode())
    make.survey(key="exit")
    client.post(
        "/dashboard/invitations/new", data={"csrf_token": token, "survey": "exit", "create": "Create"}
    )
    email = db.session.scalar(select(OutboxEmail))
    email.status = "failed"
    db.session.commit()
    client.post(f"/dashboard/outbox/{email.id}/retry", data={"csrf_token": token})
    db.session.expire_all()
    email = db.session.get(OutboxEmail, email.id)
    email.status, email.claimed_at = "sending", utcnow() - timedelta(days=1)
    db.session.commit()
    client.post("/dashboard/outbox/requeue", data={"csrf_token": token})
    for action in (
        "user.create",
        "apikey.create",
        "apikey.revoke",
        "churn.counts_saved",
        "customers.import",
        "invitations.created",
        "email.retry",
        "email.requeued",
    ):
        assert _last_actor_id(db, action) == admin.id, action
