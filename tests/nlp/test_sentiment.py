"""Answer sentiment with VADER: a complaint that ends on a positive note is not "very negative"."""

from __future__ import annotations

from nlp.sentiment import sentiment


def test_a_complaint_ending_positively_is_not_very_negative():
    text = "The sync was terrible and lost my work twice, support was useless. Otherwise decent."
    assert -0.5 < sentiment(text) < 0


def test_a_plain_complaint_stays_very_negative_and_praise_positive():
    assert sentiment("Terrible, useless support and awful billing. I hated it.") <= -0.5
    assert sentiment("Great product, lovely team.") > 0.5
    assert sentiment("   ") == 0.0
