"""Pages anyone can reach without signing in: the landing page, health, and survey links."""

from feedback_app.blueprints.public import (
    close_loop_links,  # noqa: F401  (the opt-out link of a "we fixed it" email)
    survey,  # noqa: F401  (survey pages on the same blueprint)
    winback_links,  # noqa: F401  (tracked win-back links)
)
