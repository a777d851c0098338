"""The JSON API package; each area's views live in their own module, imported below to register them."""

from feedback_app.blueprints.api import departures, stripe  # noqa: F401
