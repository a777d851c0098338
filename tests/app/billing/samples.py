"""Sample billing-provider events (``payloads/*.json``, written from each provider's documented shape)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"


def load(name: str, **changes: Any) -> dict[str, Any]:
    """A fresh copy of one sample; ``changes`` replace top-level keys."""
    event = copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))
    event.update(changes)
    return event
