"""One compiled URL map for the test session's apps whose routes are the same.

Building an app spent nine tenths of its 50-65 ms in werkzeug compiling each of its 110 URL rules
(a builder function per rule, made from Python source): some 3 minutes of CPU in a ``make test``
that builds an app per test. The routes do not depend on the test, so the ``app`` fixture builds
its app with a map that only records the rules Flask adds (``Flask.url_map_class``, a public
setting), then gives the app the session's compiled map for exactly those rules (same paths,
endpoints, methods, defaults and converters), compiled from the first app that had them. Each app
keeps its own view functions, blueprints, hooks and settings; only the map is shared, and a test
that adds a route to its app leaves the map to itself (the next app gets a fresh one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from werkzeug.routing import Map, Rule, RuleFactory


class RecordingMap(Map):
    """A map that keeps the rules added to it without compiling them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.recorded: list[Rule] = []
        super().__init__(*args, **kwargs)

    def add(self, rulefactory: RuleFactory) -> None:
        self.recorded.extend(rulefactory.get_rules(self))


def _rule_key(rule: Rule) -> tuple[Any, ...]:
    return (
        rule.rule,
        rule.endpoint,
        tuple(sorted(rule.methods or ())),
        tuple(sorted((rule.defaults or {}).items(), key=repr)),
        rule.subdomain,
        rule.host,
        rule.strict_slashes,
        rule.merge_slashes,
        rule.build_only,
        rule.redirect_to if isinstance(rule.redirect_to, str) else id(rule.redirect_to),
        rule.alias,
        rule.websocket,
    )


def _map_key(recording: RecordingMap) -> tuple[Any, ...]:
    return (
        tuple(_rule_key(rule) for rule in recording.recorded),
        tuple(sorted((name, id(cls)) for name, cls in recording.converters.items())),
        recording.default_subdomain,
        recording.strict_slashes,
        recording.merge_slashes,
        recording.redirect_defaults,
        recording.host_matching,
        recording.sort_parameters,
        id(recording.sort_key),
    )


def _rule_count(url_map: Map) -> int:
    return sum(1 for _ in url_map.iter_rules())


class SharedRoutes:
    """The session's compiled maps, by the rules and settings they were built from."""

    def __init__(self) -> None:
        self._maps: dict[tuple[Any, ...], tuple[Map, int]] = {}

    def create(self, build: Callable[[], Flask]) -> Flask:
        """Build an app with ``build`` (which calls ``create_app``) and give it a compiled map."""
        with _recording_maps():
            app = build()
        recording = app.url_map
        assert isinstance(recording, RecordingMap)
        key = _map_key(recording)
        shared = self._maps.get(key)
        if shared is None or _rule_count(shared[0]) != shared[1]:  # a test added a route to it
            compiled = Map(
                recording.recorded,
                default_subdomain=recording.default_subdomain,
                strict_slashes=recording.strict_slashes,
                merge_slashes=recording.merge_slashes,
                redirect_defaults=recording.redirect_defaults,
                converters=recording.converters,
                sort_parameters=recording.sort_parameters,
                sort_key=recording.sort_key,
                host_matching=recording.host_matching,
            )
            shared = self._maps[key] = (compiled, len(recording.recorded))
        app.url_map = shared[0]
        return app


@contextmanager
def _recording_maps() -> Iterator[None]:
    """Apps built inside get a ``RecordingMap`` (only the fixture's; the class setting is restored)."""
    before = Flask.url_map_class
    Flask.url_map_class = RecordingMap
    try:
        yield
    finally:
        Flask.url_map_class = before
