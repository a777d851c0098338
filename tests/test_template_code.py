"""The test session's shared compiled templates (tests/template_code.py) never change what a page says."""

from __future__ import annotations

import pytest
from flask import Flask, current_app
from jinja2 import DictLoader, Environment

from tests.template_code import SharedTemplateCode


def _money(cents: int) -> str:
    return f"{current_app.config['CURRENCY_SYMBOL']}{cents // 100}"


def _environment(cache: SharedTemplateCode, templates: dict[str, str]) -> Environment:
    env = Environment(loader=DictLoader(templates), bytecode_cache=cache, autoescape=True)
    env.filters["money"] = _money
    return env


def _render(app: Flask, env: Environment, name: str = "page.html") -> str:
    with app.app_context():
        return env.get_template(name).render()


def _app(**settings: object) -> Flask:
    app = Flask(__name__)
    app.config.update(settings)
    return app


def test_apps_with_equal_settings_compile_a_template_once(monkeypatch, tmp_path):
    cache = SharedTemplateCode()
    templates = {"page.html": "{{ 1250|money }}"}
    first = _app(CURRENCY_SYMBOL="$", MAIL_OUTBOX_DIR=str(tmp_path / "a"))
    assert _render(first, _environment(cache, templates)) == "$12"
    second_env = _environment(cache, templates)
    monkeypatch.setattr(second_env, "compile", lambda *args, **kwargs: pytest.fail("compiled again"))
    # Another test's folders, same settings otherwise: the compiled code is reused.
    assert _render(_app(CURRENCY_SYMBOL="$", MAIL_OUTBOX_DIR=str(tmp_path / "b")), second_env) == "$12"
    assert len(cache) == 1


def test_a_filter_folded_into_the_code_follows_each_apps_settings():
    """Jinja computes ``{{ 1250|money }}`` when it compiles, so other settings compile their own."""
    cache = SharedTemplateCode()
    templates = {"page.html": "{{ 1250|money }}"}
    assert _render(_app(CURRENCY_SYMBOL="$"), _environment(cache, templates)) == "$12"
    assert _render(_app(CURRENCY_SYMBOL="€"), _environment(cache, templates)) == "€12"
    assert _render(_app(CURRENCY_SYMBOL="$"), _environment(cache, templates)) == "$12"
    assert len(cache) == 2


def test_an_edited_template_is_compiled_again():
    cache = SharedTemplateCode()
    app = _app(CURRENCY_SYMBOL="$")
    assert _render(app, _environment(cache, {"page.html": "before"})) == "before"
    assert _render(app, _environment(cache, {"page.html": "after"})) == "after"


def test_outside_an_app_nothing_is_kept():
    cache = SharedTemplateCode()
    env = Environment(loader=DictLoader({"p.html": "plain"}), bytecode_cache=cache)
    assert env.get_template("p.html").render() == "plain"
    assert len(cache) == 0
