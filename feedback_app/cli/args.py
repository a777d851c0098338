"""Command lines are text the app stores (labels, names, addresses, offers): an argument holding
bytes that were not UTF-8 is refused as a usage error naming it, before any command runs.

Python hands such bytes to click as lone surrogates (``surrogateescape``: ``\\xff`` becomes
``'\\udcff'``), and the database driver then failed on them mid-transaction with a traceback.
"""

from __future__ import annotations

from typing import Any

import click

from feedback_app.services.validation.text_input import has_lone_surrogate


class CheckedArgsGroup(click.Group):
    """A command group whose command lines are checked before a command parses them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for position, arg in enumerate(args, start=1):
            if has_lone_surrogate(arg):
                shown = arg.encode("utf-8", "surrogateescape")[:40]
                raise click.UsageError(
                    f"Argument {position} ({shown!r}) is not UTF-8 text; use a UTF-8 terminal or locale.", ctx
                )
        return super().parse_args(ctx, args)


def checked_group(name: str, **options: Any) -> Any:
    """``click.group`` with :class:`CheckedArgsGroup`."""
    return click.group(name, cls=CheckedArgsGroup, **options)


def examples(*lines: str) -> str:
    """A command's ``epilog``: how to call it, one command line a line, kept as written by click."""
    return "\b\nExamples:\n" + "\n".join(f"  flask --app wsgi {line}" for line in lines)
