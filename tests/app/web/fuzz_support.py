"""What the fuzz tests share: Hypothesis settings, any text, and the rate limiter turned off."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from feedback_app.ratelimit import limiter

FUZZ = settings(
    max_examples=25,
    deadline=None,
    # Locally every run tries new inputs (and has found real bugs); in CI the same inputs each time,
    # so a red build means a change broke something, not that the dice found an old bug.
    derandomize=os.environ.get("CI", "").lower() in ("1", "true", "yes"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Any unicode text, including control characters, surrogates-free astral planes and NULs.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)


def no_limits(app) -> None:
    """Hypothesis sends many requests from one address: no rate limit in these tests."""
    limiter().enabled = False
