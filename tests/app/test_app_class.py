"""``AfterwordFlask``: Flask with its per-request ``ensure_sync`` answers remembered."""

from __future__ import annotations

from config import TestingConfig
from feedback_app import create_app


class _SlottedHook:
    """A callable that cannot be weakly referenced (no ``__weakref__`` slot)."""

    __slots__ = ("calls",)

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def test_hooks_that_cannot_be_weakly_referenced_still_run_on_every_request():
    app = create_app(TestingConfig)
    hook = _SlottedHook()
    app.before_request(hook)
    client = app.test_client()
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]
    assert hook.calls == 3


def test_a_plain_view_is_asked_about_once_and_remembered():
    app = create_app(TestingConfig)
    view = app.view_functions["public.healthz"]
    assert view not in app._plain_callables
    assert app.test_client().get("/healthz").status_code == 200
    assert view in app._plain_callables
