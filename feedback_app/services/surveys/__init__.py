"""Survey definitions: the YAML schema, question types and published versions."""
