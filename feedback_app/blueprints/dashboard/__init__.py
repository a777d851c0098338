"""The staff dashboard blueprint; each area's views live in their own module imported below."""

from feedback_app.blueprints.dashboard import (
    actions,  # noqa: F401
    admin,  # noqa: F401
    churn,  # noqa: F401
    conversations,  # noqa: F401
    cpr_desk,  # noqa: F401
    customer_page,  # noqa: F401
    customers,  # noqa: F401
    display,  # noqa: F401
    insights,  # noqa: F401
    navigation,  # noqa: F401
    outbox,  # noqa: F401
    profile,  # noqa: F401
    queues,  # noqa: F401
    webhooks,  # noqa: F401
    winback_campaigns,  # noqa: F401
)
