"""Loading survey definitions from ``surveys/`` into versioned rows.

Definitions are checked against the schema (``survey_definitions``) before anything is stored;
a changed definition becomes the survey's next version, an unchanged one stores nothing, and
every response keeps the version it answered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Survey, SurveyVersion
from feedback_app.services.surveys.definitions import (
    SurveyDefinition,
    SurveyDefinitionError,
    check_every_language,
    definition_files,
    load_file,
    parse_definition,
    read_yaml,
)
from feedback_app.services.surveys.question_types import Problem


@dataclass
class LoadOutcome:
    key: str
    version: int
    created: bool  # False when the stored current version already matches the file


def definition_hash(definition: dict[str, Any]) -> str:
    """A stable fingerprint of a definition: same content, same hash, whatever the key order."""
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_definition(path: Path) -> dict[str, Any]:
    """Read one survey file and check it; raises ``SurveyDefinitionError`` naming file, path and problem."""
    raw, _ = load_file(path)
    return raw


def store_definition(definition: dict[str, Any], source: str = "<definition>") -> LoadOutcome:
    """Check and store a definition; a changed definition becomes the survey's next version."""
    checked = check_every_language(definition, source)
    key, title = checked.key, checked.title  # the title in the default language, for staff pages
    digest = definition_hash(definition)
    survey = db.session.scalar(select(Survey).where(Survey.key == key))
    if survey is None:
        survey = Survey(key=key, title=title, current_version=0)
        db.session.add(survey)
        db.session.flush()
    current = survey.versions[-1] if survey.versions else None
    if current is not None and current.definition_hash == digest:
        return LoadOutcome(key, current.version, created=False)
    version = (current.version if current else 0) + 1
    survey.versions.append(
        SurveyVersion(version=version, title=title, definition=definition, definition_hash=digest)
    )
    survey.title = title
    survey.current_version = version
    db.session.commit()
    return LoadOutcome(key, version, created=True)


def stored_surveys() -> dict[str, Survey]:
    """Every survey in the database by its key, to set beside the files in ``surveys/``."""
    return {survey.key: survey for survey in db.session.scalars(select(Survey))}


def current_version(survey: Survey) -> SurveyVersion:
    return next(v for v in survey.versions if v.version == survey.current_version)


def version_or_current(survey: Survey, number: str | None) -> SurveyVersion:
    """The survey's version numbered ``number`` (a page's posted ``version`` field), else its current
    one: an edited or unknown number answers on the current questions instead of failing."""
    for version in survey.versions:
        if str(version.version) == (number or ""):
            return version
    return current_version(survey)


def checked_definition(version: SurveyVersion, language: str | None = None) -> SurveyDefinition:
    """The stored definition of a version in ``language`` (else its default language), checked and
    normalised for rendering and validation: stored rows are checked again, as a file is, so a row
    edited by hand fails with its survey and version named instead of rendering a broken page."""
    label = f"survey {version.survey.key!r} version {version.version}"
    return parse_definition(version.definition, label, language)


def validate_directory(directory: Path) -> dict[Path, SurveyDefinitionError | SurveyDefinition]:
    """Check every survey file in a folder; each file maps to its definition or its error.

    Two files with the same key are an error too (the key names the survey).
    """
    results: dict[Path, SurveyDefinitionError | SurveyDefinition] = {}
    owners: dict[str, Path] = {}
    for path in definition_files(directory):
        try:
            _, checked = load_file(path)
        except SurveyDefinitionError as exc:
            results[path] = exc
            continue
        if checked.key in owners:
            results[path] = SurveyDefinitionError(
                str(path), [Problem("key", f"{checked.key!r} is already the key of {owners[checked.key]}")]
            )
            continue
        owners[checked.key] = path
        results[path] = checked
    return results


def load_directory(directory: Path) -> list[LoadOutcome]:
    """Store every survey file in a folder, all or nothing: one bad file stores none.

    Raises ``SurveyDefinitionError`` (the first bad file's) when any file is invalid.
    """
    results = validate_directory(directory)
    errors = [r for r in results.values() if isinstance(r, SurveyDefinitionError)]
    if errors:
        raise errors[0]
    return [store_definition(read_yaml(path), str(path)) for path in results]
