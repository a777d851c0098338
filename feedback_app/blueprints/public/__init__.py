"""Pages anyone can reach without signing in: the landing page, health, and survey links."""

from feedback_app.blueprints.public import survey  # noqa: E402,F401  (survey pages on the same blueprint)
from feedback_app.blueprints.public import winback_links  # noqa: E402,F401  (tracked win-back links)
