"""One listing schema: the validator's limits are the database's column lengths (read from the migrated database on
SQLite and PostgreSQL), the forms' maxlength and the API's maxLength; an over-long value gets the same field error
from the importer, the web form and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect

from directory.errors import InvalidListing
from directory.listings import importer
from directory.listings.listing import parse_listing
from directory.listings.schema import FIELDS, MAX_LENGTHS
from directory.moderation.listing_form import PUBLIC_FIELDS
from tests.conftest import listing_row
from tests.moderation_support import csrf_token, form_fields, soup_of


def test_every_stored_field_is_exactly_as_long_as_its_column(database_url: str) -> None:
    inspector = inspect(create_engine(database_url))
    lengths = {
        (table, column["name"]): getattr(column["type"], "length", None)
        for table in inspector.get_table_names()
        for column in inspector.get_columns(table)
    }
    stored = [spec for spec in FIELDS if spec.column]
    assert len(stored) >= 19
    mismatches = [
        f"{spec.name}: validator {spec.max_length}, column {lengths.get(tuple(spec.column.split('.')))}"
        for spec in stored
        if lengths.get(tuple(spec.column.split("."))) != spec.max_length  # type: ignore[arg-type]
    ]
    assert not mismatches


def test_the_forms_and_the_api_document_the_same_limits(client: TestClient) -> None:
    form = soup_of(client.get("/suggest"))
    for name in PUBLIC_FIELDS:
        field = form.find(id=name)
        if field is not None and field.name in ("input", "textarea"):
            assert field.get("maxlength") == str(MAX_LENGTHS[name]), name
    schema = client.get("/openapi.json").json()["components"]["schemas"]["SuggestedListing"]["properties"]
    assert schema["town"]["maxLength"] == MAX_LENGTHS["town"] and schema["phone"]["maxLength"] == MAX_LENGTHS["phone"]


@pytest.mark.parametrize(("field", "value"), [("town", "T" * 150), ("phone", "0" * 60), ("name", "N" * 201)])
def test_an_over_long_value_gets_the_same_error_everywhere(
    app: FastAPI, client: TestClient, tmp_path: Path, field: str, value: str
) -> None:
    reason = f"is {len(value)} characters long; the limit is {MAX_LENGTHS[field]}"
    with pytest.raises(InvalidListing) as raised:
        parse_listing(listing_row(**{field: value}))
    assert any(p.column == field and p.reason == reason for p in raised.value.problems)

    csv_path = tmp_path / "long.csv"
    row = listing_row(**{field: value})
    csv_path.write_text(",".join(row) + "\n" + ",".join(f'"{cell}"' for cell in row.values()) + "\n")
    with pytest.raises(importer.ImportRejected) as rejected:
        importer.read_listings(csv_path.read_text())
    assert f"row 2, column {field}: {reason}" in [str(problem) for problem in rejected.value.problems]

    token = csrf_token(client, "/suggest")
    page = client.post("/suggest", data=form_fields(row) | {"csrf_token": token})
    assert page.status_code == 422 and reason in soup_of(page).find(id=f"{field}-error").get_text()

    api_body = {key: value.split(";") if key in ("support_types", "audiences", "delivery_modes") else value
                for key, value in form_fields(row).items() if isinstance(value, str)}  # fmt: skip
    api_body |= {key: value for key, value in form_fields(row).items() if isinstance(value, list)}
    answer = client.post("/api/v1/suggestions", json=api_body)
    assert answer.status_code == 422 and {"status": 422, "field": field, "message": reason} in answer.json()["errors"]
