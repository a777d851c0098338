"""The staff dashboard blueprint; each area's views live in their own module imported below."""
from feedback_app.blueprints.dashboard import customers  # noqa: E402,F401
from feedback_app.blueprints.dashboard import insights  # noqa: E402,F401
from feedback_app.blueprints.dashboard import actions  # noqa: E402,F401
from feedback_app.blueprints.dashboard import outbox  # noqa: E402,F401
from feedback_app.blueprints.dashboard import admin  # noqa: E402,F401
from feedback_app.blueprints.dashboard import winback_campaigns  # noqa: E402,F401
from feedback_app.blueprints.dashboard import cpr_desk  # noqa: E402,F401
from feedback_app.blueprints.dashboard import churn  # noqa: E402,F401
from feedback_app.blueprints.dashboard import conversations  # noqa: E402,F401
from feedback_app.blueprints.dashboard import webhooks  # noqa: E402,F401
from feedback_app.blueprints.dashboard import navigation  # noqa: E402,F401
from feedback_app.blueprints.dashboard import display  # noqa: E402,F401
from feedback_app.blueprints.dashboard import queues  # noqa: E402,F401
