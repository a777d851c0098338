"""Every ``flask --app wsgi GROUP COMMAND --help`` explains its arguments and shows how to call it."""

from __future__ import annotations

import click

FLASK_OWN = {"db", "routes", "run", "shell", "limiter"}


def _commands(app):
    for group_name, group in sorted(app.cli.commands.items()):
        if group_name in FLASK_OWN or not isinstance(group, click.Group):
            continue
        for name, command in sorted(group.commands.items()):
            yield group_name, name, command


def test_every_command_help_has_an_example_calling_it(app, runner):
    missing = []
    for group_name, name, _ in _commands(app):
        result = runner.invoke(args=[group_name, name, "--help"])
        assert result.exit_code == 0, result.output
        if f"flask --app wsgi {group_name} {name}" not in result.output.split("Options:", 1)[-1]:
            missing.append(f"{group_name} {name}")
    assert missing == []


def test_every_option_and_argument_is_explained(app):
    unexplained = []
    for group_name, name, command in _commands(app):
        for param in command.params:
            if isinstance(param, click.Option) and not param.help and param.name != "help":
                unexplained.append(f"{group_name} {name} {param.opts[0]}")
            if isinstance(param, click.Argument) and param.human_readable_name not in (command.help or ""):
                unexplained.append(f"{group_name} {name} {param.human_readable_name}")
    assert unexplained == []
