"""The OpenAPI document and /docs: every API operation, parameter and response described with examples; the docs
page loads only our own files and has nothing inline for the Content-Security-Policy to block."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient


@pytest.fixture
def document(sqlite_url: str) -> dict[str, Any]:
    from directory.app import create_app
    from tests.conftest import make_settings

    with TestClient(create_app(make_settings(sqlite_url))) as client:
        response = client.get("/openapi.json")
        assert response.status_code == 200
        return response.json()


def operations(document: dict[str, Any], method: str = "get") -> list[tuple[str, dict[str, Any]]]:
    return [(f"{method.upper()} {path}", item[method]) for path, item in document["paths"].items() if method in item]


def test_the_document_holds_the_api_and_no_html_page(document: dict[str, Any]) -> None:
    paths = list(document["paths"])
    assert paths and all(path.startswith("/api/") for path in paths), paths
    writes = {path for path, item in document["paths"].items() if set(item) != {"get"}}
    assert writes == {"/api/v1/suggestions"} and set(document["paths"]["/api/v1/suggestions"]) == {"post"}


def test_the_one_write_operation_documents_its_answers_with_examples(document: dict[str, Any]) -> None:
    [(name, operation)] = operations(document, "post")
    assert operation.get("summary") and operation.get("tags") and operation.get("requestBody"), name
    assert {"201", "422", "429"} <= set(operation["responses"]), name
    assert "example" in operation["responses"]["201"]["content"]["application/json"]
    assert operation["responses"]["422"]["content"]["application/json"]["example"]["errors"][0]["field"]


def test_every_operation_and_parameter_is_described_with_examples(document: dict[str, Any]) -> None:
    for name, operation in operations(document):
        assert operation.get("summary") and operation.get("tags"), name
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), f"{name}: {parameter['name']}"
            assert parameter.get("examples") or parameter["schema"].get("examples"), f"{name}: {parameter['name']}"


def test_every_response_is_described_and_successes_have_examples(document: dict[str, Any]) -> None:
    for name, operation in operations(document):
        responses = operation["responses"]
        assert {"200", "304"} <= set(responses), name
        for status, response in responses.items():
            assert response.get("description"), f"{name} {status}"
        for media_type, content in responses["200"]["content"].items():
            assert "example" in content, f"{name} {media_type}"
        if operation.get("parameters"):
            assert "422" in responses, name
            error = responses["422"]["content"]["application/json"]
            assert error["example"]["errors"][0]["field"], name


def test_the_docs_page_loads_only_our_own_files_and_nothing_inline(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    sources = [tag["src"] for tag in soup.find_all("script")] + [tag["href"] for tag in soup.find_all("link")]
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    assert not soup.find_all("style") and not soup.select("[style]")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/docs/assets/../../main.py").status_code == 404
    assert client.get("/docs/assets/index.html").status_code == 404
