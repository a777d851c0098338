"""Loading survey definitions from ``surveys/`` into versioned rows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Survey, SurveyVersion


@dataclass
class LoadOutcome:
    key: str
    version: int
    created: bool  # False when the stored current version already matches the file


def definition_hash(definition: dict[str, Any]) -> str:
    """A stable fingerprint of a definition: same content, same hash, whatever the key order."""
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_definition(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a survey definition must be a mapping at the top level")
    return data


def store_definition(definition: dict[str, Any]) -> LoadOutcome:
    """Store a definition; a changed definition becomes the survey's next version."""
    key = definition["key"]
    digest = definition_hash(definition)
    survey = db.session.scalar(select(Survey).where(Survey.key == key))
    if survey is None:
        survey = Survey(key=key, title=definition["title"], current_version=0)
        db.session.add(survey)
        db.session.flush()
    current = survey.versions[-1] if survey.versions else None
    if current is not None and current.definition_hash == digest:
        return LoadOutcome(key, current.version, created=False)
    version = (current.version if current else 0) + 1
    survey.versions.append(
        SurveyVersion(version=version, title=definition["title"], definition=definition, definition_hash=digest)
    )
    survey.title = definition["title"]
    survey.current_version = version
    db.session.commit()
    return LoadOutcome(key, version, created=True)


def current_version(survey: Survey) -> SurveyVersion:
    return next(v for v in survey.versions if v.version == survey.current_version)
