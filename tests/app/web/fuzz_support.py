"""What the fuzz tests share: Hypothesis settings, any text, and the rate limiter turned off."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from feedback_app.ratelimit import limiter

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Any unicode text, including control characters, surrogates-free astral planes and NULs.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)


def no_limits(app) -> None:
    """Hypothesis sends many requests from one address: no rate limit in these tests."""
    limiter().enabled = False
