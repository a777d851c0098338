"""A real local HTTP receiver for the integration tests."""

from __future__ import annotations

import pytest

from tests.app.integrations.receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def quick_retries(app):
    app.config.update(WEBHOOK_RETRY_BASE_SECONDS=0, WEBHOOK_TIMEOUT_SECONDS=5)
