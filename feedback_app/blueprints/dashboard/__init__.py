"""The staff dashboard blueprint; each area's views live in their own module imported below."""
from feedback_app.blueprints.dashboard import (
    admin,  # noqa: F401
    customers,  # noqa: F401
    insights,  # noqa: F401
    outbox,  # noqa: F401
)
