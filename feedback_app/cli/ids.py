"""The click type of a database id argument: a number past the ids is a usage error naming the
argument, not an overflow traceback from the database driver."""

from __future__ import annotations

import click

from feedback_app.services.validation.row_ids import MAX_ROW_ID

ROW_ID = click.IntRange(1, MAX_ROW_ID)
