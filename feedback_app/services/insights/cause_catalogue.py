"""The root-cause taxonomy and the action playbook side by side, for the admin page that shows
them read-only ("Root causes and playbook"): each cause's name, description, how many example
phrases and common themes the taxonomy gives it, and the playbook's owner team, due days and
first action for it (``default`` when the playbook has no entry of its own).

Nothing here edits a file: the page says which files to edit (``nlp/taxonomy.yaml``,
``PLAYBOOK_PATH``) and when the changes apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app

from feedback_app.services.actions import plan as action_plan
from feedback_app.services.insights import root_causes

#: The app runs the pipeline with the packaged taxonomy (``pipeline_config``: no taxonomy path).
TAXONOMY_FILE = "nlp/taxonomy.yaml"


@dataclass
class CauseEntry:
    key: str
    name: str
    description: str
    examples: int
    common_themes: list[str]
    owner_team: str | None
    due_days: int | None
    actions: list[str] = field(default_factory=list)
    #: True when the playbook has no entry for this cause and its ``default`` applies.
    default_play: bool = False


@dataclass
class Catalogue:
    causes: list[CauseEntry]
    taxonomy_file: str
    playbook_file: str
    #: What stopped reading a file (the page shows it instead of failing), or None.
    taxonomy_problem: str | None = None
    playbook_problem: str | None = None


def _shown_path(path: Path) -> str:
    """``path`` relative to the project folder when it is inside it (as the docs name files)."""
    base = Path(current_app.root_path).parent
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def catalogue() -> Catalogue:
    """Every root cause of the taxonomy in its order (``emerging`` last) with its playbook entry."""
    playbook_file = Path(current_app.config["PLAYBOOK_PATH"])
    plays: dict[str, action_plan.Play] = {}
    playbook_problem = None
    try:
        plays = action_plan.load_playbook(playbook_file)
    except action_plan.PlaybookError as exc:
        playbook_problem = str(exc)
    causes: list[CauseEntry] = []
    taxonomy_problem = None
    try:
        from nlp.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

        taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
        rows = [
            (c.key, c.name, c.description, len(c.examples), list(c.common_themes))
            for c in taxonomy.categories
        ]
        key = taxonomy.emerging_key
        rows.append((key, root_causes.cause_name(key), taxonomy.emerging_description, 0, []))
    except ImportError:
        rows, taxonomy_problem = [], "The nlp package is not installed, so the taxonomy cannot be read."
    except (OSError, ValueError, yaml.YAMLError) as exc:
        rows, taxonomy_problem = [], str(exc)
    for key, name, description, examples, common in rows:
        play = plays.get(key) or plays.get("default")
        causes.append(
            CauseEntry(
                key=key,
                name=name,
                description=description,
                examples=examples,
                common_themes=common,
                owner_team=play.owner_team if play else None,
                due_days=play.due_days if play else None,
                actions=list(play.actions) if play else [],
                default_play=bool(plays) and key not in plays,
            )
        )
    return Catalogue(
        causes=causes,
        taxonomy_file=TAXONOMY_FILE,
        playbook_file=_shown_path(playbook_file),
        taxonomy_problem=taxonomy_problem,
        playbook_problem=playbook_problem,
    )
