#!/usr/bin/env python3
"""Checks the catalog file against its JSON Schema, as a manager would before shipping it."""
import json
import sys

import jsonschema


def main(catalog_path: str, schema_path: str) -> int:
    with open(catalog_path, encoding="utf-8") as f:
        catalog = json.load(f)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(catalog), key=lambda e: list(e.absolute_path))
    for error in errors:
        path = "/".join(str(p) for p in error.absolute_path)
        print(f"{catalog_path}: {path}: {error.message}", file=sys.stderr)
    if errors:
        return 1
    print(f"{catalog_path}: {len(catalog['items'])} items valid against {schema_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
