#!/usr/bin/env python3
"""Checks JSON samples and enum cases against the OpenAPI document's named schemas.

Usage: python3 scripts/openapi-check.py OPENAPI_YAML SAMPLES_JSON

SAMPLES_JSON: {"samples": [{"schema": "TicketView", "value": {...}}, ...],
               "enums": {"TicketState": ["waiting", ...], ...}}

Each sample's value is validated against #/components/schemas/<schema> (every $ref resolved
within the document) with JSON Schema 2020-12 for OpenAPI 3.1, or draft 4 for OpenAPI 3.0
(where `nullable: true` is read as also allowing null). Properties a schema does not list are
allowed unless it says `additionalProperties: false`. Each enum's cases must equal the schema's
`enum` list as a set. Prints one line per failure, `schema: path: message`, then
`N passed, M failed`; exits 1 when anything failed, 2 on bad usage.
"""
import copy
import json
import re
import sys

import jsonschema
import referencing
import referencing.jsonschema
import yaml

DOCUMENT_URI = "urn:openapi-document"


def allow_null(node):
    """OpenAPI 3.0's `nullable: true`, as plain JSON Schema: null is allowed too."""
    if isinstance(node, list):
        return [allow_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: allow_null(value) for key, value in node.items()}
    if node.pop("nullable", False) is True:
        if "$ref" in node:  # siblings of $ref are ignored before 2019-09: wrap it
            return {"anyOf": [node, {"type": "null"}]}
        if "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            node["type"] = types + ["null"]
        if "enum" in node and None not in node["enum"]:
            node["enum"] = node["enum"] + [None]
    return node


def format_checker(validator_class):
    checker = copy.deepcopy(validator_class.FORMAT_CHECKER)
    if "date-time" not in checker.checkers:  # the rfc3339-validator package is optional
        pattern = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE)
        checker.checks("date-time")(lambda value: not isinstance(value, str) or bool(pattern.match(value)))
    return checker


def location(path):
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def main(openapi_path, samples_path):
    with open(openapi_path, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    with open(samples_path, encoding="utf-8") as f:
        checks = json.load(f)

    version = str(document.get("openapi", ""))
    if version.startswith("3.1"):
        validator_class, specification = jsonschema.Draft202012Validator, referencing.jsonschema.DRAFT202012
    elif version.startswith("3.0"):
        validator_class, specification = jsonschema.Draft4Validator, referencing.jsonschema.DRAFT4
        document = allow_null(document)
    else:
        print(f"{openapi_path}: unsupported openapi version {version!r}", file=sys.stderr)
        return 2
    registry = referencing.Registry().with_resource(DOCUMENT_URI, specification.create_resource(document))
    checker = format_checker(validator_class)
    schemas = (document.get("components") or {}).get("schemas") or {}

    passed = failed = 0

    def fail(name, path, message):
        print(f"{name}: {path}: {message}")

    for sample in checks.get("samples", []):
        name = sample.get("schema")
        if name not in schemas:
            fail(name, "$", f"no schema #/components/schemas/{name} in the document")
            failed += 1
            continue
        validator = validator_class(
            {"$ref": f"{DOCUMENT_URI}#/components/schemas/{name}"}, registry=registry, format_checker=checker)
        try:
            errors = sorted(validator.iter_errors(sample.get("value")), key=lambda e: list(map(str, e.absolute_path)))
        except (jsonschema.exceptions.SchemaError, referencing.exceptions.Unresolvable) as error:
            fail(name, "$", f"cannot check: {error}")
            failed += 1
            continue
        for error in errors:
            fail(name, location(error.absolute_path), error.message)
        if errors:
            failed += 1
        else:
            passed += 1

    for name, cases in (checks.get("enums") or {}).items():
        schema = schemas.get(name)
        while isinstance(schema, dict) and "enum" not in schema and str(schema.get("$ref", "")).startswith("#/components/schemas/"):
            schema = schemas.get(schema["$ref"].rsplit("/", 1)[1])
        if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
            fail(name, "enum", "no schema with an enum" if schema is None else "the schema has no enum")
            failed += 1
            continue
        documented = {value for value in schema["enum"] if value is not None}
        missing, extra = set(cases) - documented, documented - set(cases)
        if missing:
            fail(name, "enum", f"the document lacks {sorted(missing, key=str)}")
        if extra:
            fail(name, "enum", f"the document has values the code lacks: {sorted(extra, key=str)}")
        if missing or extra:
            failed += 1
        else:
            passed += 1

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
