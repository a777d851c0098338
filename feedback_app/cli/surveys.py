"""``flask surveys``: check, list and load the survey definitions in ``surveys/``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from feedback_app.cli.args import checked_group, examples
from feedback_app.services.surveys import versions as survey_service
from feedback_app.services.surveys.definitions import SurveyDefinitionError

DIRECTORY_OPTION = click.option(
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of survey files (default: SURVEYS_DIR, i.e. surveys/).",
)


@checked_group("surveys", help="Survey definitions (YAML files in surveys/): validate, list, load.")
def surveys_cli() -> None:
    pass


def _directory(directory: Path | None) -> Path:
    return directory or Path(current_app.config["SURVEYS_DIR"])


def _checked(directory: Path) -> dict:
    results = survey_service.validate_directory(directory)
    if not results:
        raise click.ClickException(f"No survey files (*.yaml) in {directory}.")
    return results


def _report_errors(results: dict) -> int:
    errors = [r for r in results.values() if isinstance(r, SurveyDefinitionError)]
    for error in errors:
        click.echo(str(error), err=True)
    return len(errors)


@surveys_cli.command(
    "validate",
    epilog=examples("surveys validate", "surveys validate --dir my-surveys"),
)
@DIRECTORY_OPTION
@with_appcontext
def validate_command(directory: Path | None) -> None:
    """Check every survey file against the schema; exit 1 listing each problem."""
    results = _checked(_directory(directory))
    for path, result in results.items():
        if not isinstance(result, SurveyDefinitionError):
            click.echo(f"ok       {path.name}: {result.key} ({len(result.questions)} questions)")
    bad = _report_errors(results)
    if bad:
        raise click.ClickException(f"{bad} of {len(results)} survey file(s) are invalid.")
    click.echo(f"All {len(results)} survey file(s) are valid.")


@surveys_cli.command(
    "list",
    epilog=examples("surveys list"),
)
@DIRECTORY_OPTION
@with_appcontext
def list_command(directory: Path | None) -> None:
    """List the survey files and the version of each stored in the database."""
    results = _checked(_directory(directory))
    stored = survey_service.stored_surveys()
    click.echo(f"{'key':24} {'questions':>9} {'stored':>8}  file / title")
    for path, result in results.items():
        if isinstance(result, SurveyDefinitionError):
            click.echo(f"{'(invalid)':24} {'-':>9} {'-':>8}  {path.name}: run `flask surveys validate`")
            continue
        survey = stored.get(result.key)
        version = f"v{survey.current_version}" if survey else "not yet"
        title = result.title.replace("{company}", current_app.config["COMPANY_NAME"])
        click.echo(f"{result.key:24} {len(result.questions):>9} {version:>8}  {path.name}: {title}")


@surveys_cli.command(
    "load",
    epilog=examples("surveys load"),
)
@DIRECTORY_OPTION
@with_appcontext
def load_command(directory: Path | None) -> None:
    """Store every survey file; a changed file becomes a new version. Nothing is stored if one is invalid."""
    results = _checked(_directory(directory))
    if _report_errors(results):
        raise click.ClickException("Nothing was loaded: fix the survey file(s) above first.")
    for outcome in survey_service.load_directory(_directory(directory)):
        if outcome.created:
            click.echo(f"stored   {outcome.key}: version {outcome.version}")
        else:
            click.echo(f"same     {outcome.key}: version {outcome.version} is already current")
