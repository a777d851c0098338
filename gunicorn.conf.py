"""gunicorn settings for ``make serve``: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Everything comes from ``config.py`` (which alone reads the environment): ``HOST``, ``PORT``,
``GUNICORN_WORKERS`` processes of ``GUNICORN_THREADS`` threads each. The real client address
behind a reverse proxy is set by the app's ProxyFix (``PROXY_FIX_X_FOR``), not here. gunicorn has
no request body limit: the app refuses bodies over ``MAX_CONTENT_LENGTH`` with 413, chunked ones
included (``feedback_app/chunked_bodies.py``; tested through gunicorn in tests/app/test_request_bodies.py).
"""

# Names here that are not settings start with "_": gunicorn reads every global as a setting
# (``check_config`` is one of its own).
from feedback_app import startup as _startup

# A bad setting: its message and exit status 4, not gunicorn's "Failed to read config file" traceback.
with _startup.exit_on_config_error():
    import config as _config

    _settings = _config.config_from_environment()
    _settings.validate()
    _startup.check_config(_startup.settings_of(_settings))  # in the master: before any worker starts

bind = f"{_settings.HOST}:{_settings.PORT}"
workers = _settings.GUNICORN_WORKERS
threads = _settings.GUNICORN_THREADS
worker_class = "gthread"
timeout = _settings.GUNICORN_TIMEOUT
graceful_timeout = 30
keepalive = 5
# Each worker builds its own app (and its own database connection pool) after the fork.
preload_app = False
# Recycle workers now and then so a slow leak cannot grow for ever. A new worker builds the app
# (about a second here) before it answers, so two recycled in the same second stall the site: at
# 20,000 +- 2,000 requests both workers of a busy 2-core server restarted together and one 6-second
# round of bench/compare_views.py had a p99 of 1.1 s. Rare, and spread over a jitter half as wide
# as the limit, that is unlikely (a second's requests are ~1% of the jitter).
max_requests = 200000
max_requests_jitter = 100000
accesslog = "-" if _settings.GUNICORN_ACCESS_LOG else None
errorlog = "-"
loglevel = "info"
proc_name = "afterword"
