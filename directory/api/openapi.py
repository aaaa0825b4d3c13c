"""The OpenAPI document as served: FastAPI's, plus the rules the request guard applies to every request.

Every string parameter is refused at the edge if it holds a control character (guard.py), so the document says so
with a pattern: a client (or a property-based tester) reading the schema knows such a value is invalid.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u001f\\u007f]*$"


def _add_patterns(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and "enum" not in schema and "pattern" not in schema and "format" not in schema:
        schema["pattern"] = NO_CONTROL_CHARACTERS
    for key in ("items",):
        if isinstance(schema.get(key), dict):
            _add_patterns(schema[key])
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            if isinstance(part, dict):
                _add_patterns(part)


def install(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = original()
            for path in document.get("paths", {}).values():
                for operation in path.values():
                    for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                        _add_patterns(parameter.get("schema", {}))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
