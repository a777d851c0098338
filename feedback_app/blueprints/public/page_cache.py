"""Survey pages rendered once per (survey version, state), with the personal bits filled in per request.

Rendering the survey form through Jinja and WTForms cost about 4 ms of a 7-10 ms page view, yet
for a given survey version and page state only a few strings differ between two people: their
first name, their link token and the form's signed field. So the page is rendered once with
*slots* (unique sentinel strings) in place of those values, split at the slots, and each later
view joins the pieces with that person's values, escaped as the template would have escaped them.

Safety of the shortcut is checked, not assumed: each page is rendered twice with two different
sets of sentinels, and the pieces between the slots must be identical. If a template ever
transforms a personal value (a filter, a length, a condition on its content), the two renders
differ and that page is never cached: it is rendered in full every time. Conditions on whether a
value is present (``{% if first_name %}``) belong in the cache key, which the caller builds.
``tests/app/test_survey_page_cache.py`` compares the cached output with a full render for every
survey in ``surveys/`` in every state.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from typing import Callable, Hashable, Mapping

from flask import Flask, current_app

EXTENSION_KEY = "afterword_page_cache"
MAX_ENTRIES = 512
#: Slot values are inserted verbatim, so they must be made of characters no template escapes.
_SLOT_SAFE = re.compile(r"^[A-Za-z0-9]+$")


@dataclass(frozen=True, slots=True)
class SplitPage:
    """A rendered page cut at its slots: ``pieces[0] slot[0] pieces[1] slot[1] ... pieces[-1]``.

    The pieces are kept encoded (UTF-8, what the response sends), so a request encodes only its
    few personal values. Encoding the whole page per request was 7% of a page view's instructions:
    one non-Latin-1 character (a curly quote in a survey) puts a str on CPython's slow encoder.
    """

    pieces: tuple[bytes, ...]
    slots: tuple[str, ...]

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The page for one request, as UTF-8; ``values`` are already escaped for HTML (and URLs where used)."""
        pieces = self.pieces
        out = [pieces[0]]
        for index, name in enumerate(self.slots, 1):
            out.append(values[name].encode())
            out.append(pieces[index])
        return b"".join(out)


def _sentinels(names: tuple[str, ...]) -> dict[str, str]:
    """One unique, escape-proof marker per slot name (random, so no survey text can contain it)."""
    nonce = secrets.token_hex(8)
    return {name: f"AfterwordSlot{nonce}{index}X" for index, name in enumerate(names)}


def split_render(render: Callable[[Mapping[str, str]], str], names: tuple[str, ...]) -> SplitPage | None:
    """Render twice with different sentinels and split; None when the page cannot be cached safely."""
    renders = []
    for _ in range(2):
        sentinels = _sentinels(names)
        html = render(sentinels)
        by_marker = {marker: name for name, marker in sentinels.items()}
        parts = re.split("(" + "|".join(re.escape(m) for m in by_marker) + ")", html)
        pieces = tuple(part.encode() for part in parts[0::2])
        slots = tuple(by_marker[m] for m in parts[1::2])
        renders.append(SplitPage(pieces, slots))
    first, second = renders
    return first if first == second else None


class PageCache:
    """The split pages of one app, by key; keys must name everything the page depends on besides the slots."""

    def __init__(self) -> None:
        self._pages: dict[Hashable, SplitPage | None] = {}
        self._lock = threading.Lock()

    def page(self, key: Hashable, render: Callable[[Mapping[str, str]], str], names: tuple[str, ...]
             ) -> SplitPage | None:
        """The split page for ``key``, rendering it on first use; None when it is not cacheable."""
        try:
            return self._pages[key]
        except KeyError:
            pass
        split = split_render(render, names)
        with self._lock:
            if len(self._pages) >= MAX_ENTRIES:
                self._pages.clear()
            self._pages[key] = split
        return split

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def slot_safe(value: str) -> bool:
    """True when ``value`` reads the same escaped for HTML and quoted for a URL path (e.g. a real token)."""
    return bool(_SLOT_SAFE.match(value.replace("-", "").replace("_", "")))


def page_cache(app: Flask | None = None) -> PageCache | None:
    """This app's page cache; None while templates auto-reload (development), so edits show at once."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  (one proxy lookup)
    if app.jinja_env.auto_reload:
        return None
    cache = app.extensions.get(EXTENSION_KEY)
    if cache is None:
        cache = app.extensions.setdefault(EXTENSION_KEY, PageCache())
    return cache
