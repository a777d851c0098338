"""Spans of personal data, ``(start, end, tag)``, and how they become ``[TAG]`` placeholders."""

from __future__ import annotations

Span = tuple[int, int, str]

PLACEHOLDERS = (
    "[PERSON]",
    "[EMAIL]",
    "[PHONE]",
    "[ACCOUNT]",
    "[CARD]",
    "[ADDRESS]",
    "[URL]",
    "[DATE]",
    "[IP]",
)


def merge_spans(spans: list[Span]) -> list[Span]:
    """Merge overlapping spans; the longer (then the earlier-found) tag wins."""
    if not spans:
        return []
    ordered = sorted(spans, key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[list] = []
    for start, end, tag in ordered:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[1] - last[0]:
                last[2] = tag
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, tag])
    return [(s, e, t) for s, e, t in merged]


def apply_spans(text: str, spans: list[Span]) -> str:
    """Replace each span with its ``[TAG]`` placeholder."""
    out, pos = [], 0
    for start, end, tag in merge_spans(spans):
        out.append(text[pos:start])
        out.append(f"[{tag}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)
