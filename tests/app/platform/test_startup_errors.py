"""A setting that cannot work stops the ``flask`` CLI (so ``make run``) and gunicorn with its one
clear message (the setting, what is wrong, a right value) and a non-zero status; it printed a
32-line traceback first. Any other error keeps its traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from feedback_app.startup import ConfigError, exit_on_config_error

ROOT = Path(__file__).resolve().parents[3]

BAD_SETTINGS = [
    pytest.param(
        {"SLACK_WEBHOOK_URL": "foo"}, "SLACK_WEBHOOK_URL: 'foo' is not an http(s) address", id="app-factory"
    ),
    pytest.param(
        {"GUNICORN_WORKERS": "two"}, "GUNICORN_WORKERS must be a whole number", id="reading-environment"
    ),
    pytest.param({"BRAND_COLOUR": "blue"}, "BRAND_COLOUR must be a colour", id="config-validate"),
    pytest.param({"MAIL_TRANSPORT": "smpt"}, "MAIL_TRANSPORT must be one of smtp, file", id="mail-transport"),
]


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": "2",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
        "AFTERWORD_INSTANCE_DIR": str(tmp_path / "instance"),
        "AFTERWORD_ENV": "development",
    }
    env.pop("TEST_DATABASE_URL", None)
    return env | settings


def _assert_one_clear_line(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if "Afterword cannot start" in line]
    assert len(lines) == 1 and words in lines[0], result.stderr


@pytest.mark.parametrize(("settings", "words"), BAD_SETTINGS)
def test_the_flask_cli_prints_only_the_message_and_fails(tmp_path, settings, words):
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=_env(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    _assert_one_clear_line(result, words)
    assert result.stdout == ""


@pytest.mark.parametrize(("settings", "words"), BAD_SETTINGS)
def test_gunicorn_stops_in_its_master_with_only_the_message(tmp_path, settings, words):
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=_env(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    _assert_one_clear_line(result, words)
    assert "Booting worker" not in result.stderr  # refused before any worker started


def test_only_a_setting_error_is_turned_into_a_message():
    with pytest.raises(SystemExit) as stopped, exit_on_config_error():
        raise ConfigError("X: 'y' is wrong, e.g. z")
    assert stopped.value.code == 4
    with pytest.raises(ZeroDivisionError), exit_on_config_error():  # a real bug keeps its traceback
        print(1 / 0)


def test_the_celery_worker_prints_only_the_message_and_fails(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "feedback_app.celery_worker", "worker"],
        cwd=ROOT,
        env=_env(tmp_path, SLACK_WEBHOOK_URL="foo", JOB_RUNNER="celery"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    _assert_one_clear_line(result, "SLACK_WEBHOOK_URL: 'foo' is not an http(s) address")
