"""A setting that cannot work stops startup with one clear message, not a traceback.

:class:`ConfigError` is what every startup check of a setting raises (``config.py`` while reading
the environment and in ``validate()``, the app factory's Slack, digest, quiet-hours, mail transport
and job runner checks): its message names the setting, says what is wrong and shows a right
value. :func:`exit_on_config_error` wraps the entry points (``wsgi.py`` for the ``flask`` CLI,
``make run`` and gunicorn workers; ``gunicorn.conf.py`` for gunicorn's master) and turns only that
error into the message on stderr and a non-zero exit; any other exception keeps its traceback.

This module imports nothing from the app at import time, so ``config.py`` can use it before the\napp exists.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

#: gunicorn's "App failed to load" status: its master stops instead of restarting workers forever.
APP_LOAD_ERROR = 4


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which, why, and gives an example."""


@contextmanager
def exit_on_config_error(status: int = APP_LOAD_ERROR) -> Iterator[None]:
    """Print a :class:`ConfigError` as one line on stderr and exit with ``status``."""
    try:
        yield
    except ConfigError as exc:
        print(f"Afterword cannot start: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(status) from None


def check_config(config: Mapping[str, Any]) -> None:
    """The checks of settings that ``config.py`` does not make itself: Slack, digest and quiet-hours
    settings, the mail transport, the job runner. The app factory runs them on its config, and
    gunicorn's master on the config class (``gunicorn.conf.py``) before it starts any worker."""
    from feedback_app.jobs import RUNNERS
    from feedback_app.services.integrations.alerts import check_settings
    from feedback_app.services.mail import transport_factory

    check_settings(config)  # a bad SLACK_WEBHOOK_URL or DIGEST_RECIPIENTS stops startup, named
    transport_factory(config)  # so does an unknown MAIL_TRANSPORT (not each delivery run later)
    runner = config.get("JOB_RUNNER", "thread")
    if runner not in RUNNERS:
        raise ConfigError(f"JOB_RUNNER must be one of {', '.join(RUNNERS)}, got {runner!r}")
    currency = (config.get("BILLING_CURRENCY") or "").strip()
    if currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise ConfigError(
            f"BILLING_CURRENCY must be a three-letter currency code such as USD or EUR, got {currency!r}"
        )


def settings_of(config_class: type) -> dict[str, Any]:
    """A config class's settings (its upper-case attributes), as ``app.config`` would hold them."""
    return {name: getattr(config_class, name) for name in dir(config_class) if name.isupper()}
