"""Entry module for Celery: ``celery -A feedback_app.celery_worker worker`` (``make worker``, ``make beat``).

Builds the Flask app from the environment (``config.py``) and exposes its Celery app, so every
task runs inside an app context with the same settings as the web processes.
"""

from __future__ import annotations

from feedback_app.startup import exit_on_config_error

with exit_on_config_error():  # a bad setting: its one-line message, not a traceback (startup.py)
    from feedback_app import create_app
    from feedback_app.jobs.celery_runner import celery_init_app

    flask_app = create_app()
    celery_app = celery_init_app(flask_app)
app = celery_app  # ``celery -A feedback_app.celery_worker`` looks for ``app`` or ``celery``
