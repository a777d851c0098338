"""Each survey's versions by number and by row id, held in the process for the survey link lookup.

A survey page view needs the row id and fingerprint of two versions: the survey's current one and
the one an existing answer was given on. Joining ``survey_version`` twice into the link lookup
made PostgreSQL set up and run two more index scans on every view, and in its generic plan the
current version was found by scanning every version of the survey. Versions never change once
stored (``services.surveys.versions`` only adds new ones), so the lookup reads the survey's
``current_version`` number and the answer's version row id, and this index turns them into
(number, row id, fingerprint).

Entries are keyed by the survey's id, ``created_at`` and ``updated_at``. A database recreated
under a running process can reuse a survey id, never with the same creation instant. A backup
restored under it can bring back a survey whose later versions are gone, so a version published
after that can take a number, even a row id, that the index holds for other content: publishing
changes the survey row, and with it ``updated_at``. A number or id the index does not hold yet
(a version published since, by this or any other process) reloads that survey's versions too:
one small query, once per new version.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, ContextManager

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from feedback_app.models import SurveyVersion


@dataclass(frozen=True, slots=True)
class VersionFacts:
    """What the survey pages need about one version: its number, row id and content fingerprint."""

    number: int
    version_id: int
    definition_hash: str


@dataclass(frozen=True, slots=True)
class _SurveyVersions:
    by_number: dict[int, VersionFacts]
    by_id: dict[int, VersionFacts]


_VERSIONS_QUERY = (select(SurveyVersion.version, SurveyVersion.id, SurveyVersion.definition_hash)
                   .where(SurveyVersion.survey_id == bindparam("survey_id", type_=SurveyVersion.survey_id.type)))
#: Surveys held; past this the index starts again (a deployment has a handful of surveys).
MAX_SURVEYS = 1024
_index: dict[tuple[int, datetime, datetime], _SurveyVersions] = {}
_lock = threading.Lock()
#: Opens the connection a reload reads on, as a context manager.
ConnectionOpener = Callable[[], ContextManager[Connection]]


def current_and_answered(survey_id: int, survey_created_at: datetime, survey_updated_at: datetime,
                         current_number: int, answered_version_id: int | None,
                         connection: ConnectionOpener) -> tuple[VersionFacts | None, VersionFacts | None]:
    """The survey's current version and, when there is an answer, the version it answered.

    ``connection`` gives a context manager for the connection a reload runs on (only called on a
    miss). Either is None when the database has no such version even after a reload."""
    key = (survey_id, survey_created_at, survey_updated_at)
    versions = _index.get(key)
    if versions is None or current_number not in versions.by_number or (
            answered_version_id is not None and answered_version_id not in versions.by_id):
        versions = _reload(key, connection)
    current = versions.by_number.get(current_number)
    answered = versions.by_id.get(answered_version_id) if answered_version_id is not None else None
    return current, answered


def _reload(key: tuple[int, datetime, datetime], connection: ConnectionOpener) -> _SurveyVersions:
    with connection() as open_connection:
        rows = open_connection.execute(_VERSIONS_QUERY, {"survey_id": key[0]}).all()
    facts = [VersionFacts(number, version_id, digest) for number, version_id, digest in rows]
    versions = _SurveyVersions({f.number: f for f in facts}, {f.version_id: f for f in facts})
    with _lock:
        if len(_index) >= MAX_SURVEYS:
            _index.clear()
        _index[key] = versions
    return versions
