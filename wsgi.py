"""The app for the ``flask`` CLI (``flask --app wsgi``, ``make run``) and gunicorn (``wsgi:app``).

A setting that cannot work stops here with its one-line message and exit status 4 (gunicorn's
"App failed to load", so its master stops), not a traceback; see ``feedback_app/startup.py``."""

from feedback_app.startup import exit_on_config_error

with exit_on_config_error():
    from feedback_app import create_app

    app = create_app()
