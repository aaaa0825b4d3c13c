"""The documented shape is the one served: every JSON route declares its response model, the body goes out through
it, and each object of a live response has only the properties the OpenAPI document gives it (for the models that
allow no others) and every one it requires."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from directory.api.responses import serialised
from tests.conftest import add_listings, api_routes, centre_row, listing_row

NOT_JSON = {"/api/v1/export.csv"}


def test_every_json_route_declares_the_model_it_serves(app: FastAPI) -> None:
    routes = [route for route in api_routes(app) if route.path.startswith("/api/")]
    undeclared = [
        route.path
        for route in routes
        if "GET" in route.methods and route.path not in NOT_JSON and route.response_model is None
    ]
    assert routes and undeclared == []


class Small(BaseModel):
    name: str
    count: int | None = None


def test_a_record_is_served_through_its_model() -> None:
    assert serialised({"name": "A", "extra": "not documented"}, Small) == b'{"name":"A"}'  # nothing undocumented
    with pytest.raises(ValidationError):  # a record that breaks its model is an error, never sent
        serialised({"name": 3}, Small)


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _check(document: dict[str, Any], schema: dict[str, Any], value: Any, where: str, problems: list[str]) -> None:
    schema = _schema(document, schema)
    for option in schema.get("anyOf", []):
        if value is not None and _schema(document, option).get("type") in ("object", "array"):
            schema = _schema(document, option)
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        if schema.get("additionalProperties") is not True:
            problems += [f"{where}.{key} is served but not documented" for key in value if key not in properties]
        problems += [f"{where}.{key} is required but not served" for key in schema.get("required", [])
                     if key not in value]  # fmt: skip
        for key, item in value.items():
            if key in properties:
                _check(document, properties[key], item, f"{where}.{key}", problems)
    elif isinstance(value, list) and "items" in schema:
        for number, item in enumerate(value):
            _check(document, schema["items"], item, f"{where}[{number}]", problems)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/search?location=LS1+3EX",
        "/api/v1/services/leeds-centre",
        "/api/v1/export.json",
        "/api/oruk/services?full=true",
        "/api/oruk/taxonomies",
    ],
)
def test_live_responses_have_the_documented_shape(app: FastAPI, client: TestClient, path: str) -> None:
    add_listings(app, centre_row(id="leeds-centre", name="Leeds Centre"), listing_row(id="uk-line", name="UK Line"))
    document = client.get("/openapi.json").json()
    template = next(route.path for route in api_routes(app) if route.path_regex.match(path.split("?")[0]))
    response = client.get(path)
    assert response.status_code == 200
    schema = document["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    problems: list[str] = []
    _check(document, schema, response.json(), "body", problems)
    assert problems == []
