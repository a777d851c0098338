"""A small JSON Schema checker for the subset the OpenAPI document uses (type, type lists, enum,
properties, required, items, min/maxItems, oneOf, $ref): answers are checked against the document."""

from __future__ import annotations

from typing import Any

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def problems(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """Every place where ``value`` breaks ``schema`` (empty when it conforms)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return problems(value, root["components"]["schemas"][name], root, path)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not problems(value, s, root, path)]
        return [] if len(matches) >= 1 else [f"{path}: matches none of oneOf"]
    found: list[str] = []
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(_is(value, k) for k in kinds):
            return [f"{path}: {value!r} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{path}.{name}: missing")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                found += problems(value[name], sub, root, f"{path}.{name}")
        if schema.get("properties") and schema.get("required") == sorted(schema["properties"]):
            extra = set(value) - set(schema["properties"])
            found += [f"{path}.{name}: not documented" for name in sorted(extra)]
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            found.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            found.append(f"{path}: more than {schema['maxItems']} items")
        for n, item in enumerate(value):
            found += problems(item, schema.get("items", {}), root, f"{path}[{n}]")
    return found
