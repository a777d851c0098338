"""The lift interval against Newcombe's (1998) worked examples, and its edge cases."""

from __future__ import annotations

import pytest

from feedback_app.services.actions.lift import newcombe_difference


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),  # Newcombe 1998, table II, example (a)
        (9, 10, 3, 10, 0.1705, 0.8090),  # example (c)
        (6, 7, 2, 7, 0.0582, 0.8062),  # example (d)
        (5, 56, 0, 29, -0.0381, 0.1926),  # example (e)
    ],
)
def test_newcombe_hybrid_score_interval_matches_the_published_examples(x1, n1, x2, n2, low, high):
    d = newcombe_difference(x1, n1, x2, n2)
    assert d.difference == pytest.approx(x1 / n1 - x2 / n2)
    assert d.low == pytest.approx(low, abs=6e-4)
    assert d.high == pytest.approx(high, abs=6e-4)


def test_an_empty_arm_gives_no_lift_rather_than_a_wrong_one():
    d = newcombe_difference(3, 10, 0, 0)
    assert d.p1 == 0.3 and d.difference is None and d.low is None
    assert not d.excludes_zero


def test_an_interval_above_zero_says_so():
    assert newcombe_difference(30, 100, 5, 100).excludes_zero
    assert not newcombe_difference(12, 100, 10, 100).excludes_zero
