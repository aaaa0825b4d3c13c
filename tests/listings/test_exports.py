"""Bulk export as CSV (the importer's format) and JSON: what comes out goes back in without changing anything."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from directory import db
from directory.errors import InvalidListing
from directory.listings import exports, importer
from directory.listings.schema import COLUMNS
from directory.settings import PROJECT_ROOT

TABLES = ("organisation", "service", "service_term", "location", "service_at_location")


def snapshot(app: FastAPI) -> dict[str, list[Any]]:
    """Every row of the directory's tables, in a stable order."""
    with app.state.engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
            for table in TABLES
        }


@pytest.fixture
def bundled(app: FastAPI) -> FastAPI:
    with db.session_scope(app.state.engine) as session:
        importer.import_file(session, PROJECT_ROOT / "data" / "organisations.csv")
    return app


def test_csv_export_then_import_leaves_the_database_unchanged(bundled: FastAPI, client: TestClient) -> None:
    before = snapshot(bundled)
    response = client.get("/api/v1/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(before["service"])
    with db.session_scope(bundled.state.engine) as session:
        report = importer.import_listings(session, importer.read_listings(response.text))
    assert report.created == [] and report.updated == [] and len(report.unchanged) == len(rows)
    assert snapshot(bundled) == before
    assert client.get("/api/v1/export.csv").text == response.text


def test_json_export_then_import_leaves_the_database_unchanged(bundled: FastAPI, client: TestClient) -> None:
    before = snapshot(bundled)
    response = client.get("/api/v1/export.json")
    records = response.json()
    assert len(records) == len(before["service"])
    assert all(isinstance(record["support_types"], list) for record in records)
    with db.session_scope(bundled.state.engine) as session:
        report = importer.import_listings(session, exports.read_records(response.text))
    assert report.created == [] and report.updated == [] and len(report.unchanged) == len(records)
    assert snapshot(bundled) == before


def test_a_broken_json_record_is_reported_with_its_row_and_column() -> None:
    with pytest.raises(importer.ImportRejected) as rejected:
        exports.read_records('[{"id": "Not A Slug"}]')
    assert any(problem.row == 2 and problem.column == "id" for problem in rejected.value.problems)
    with pytest.raises(importer.ImportRejected):
        exports.read_records("{not json")


def test_a_json_record_goes_through_the_one_validator() -> None:
    with pytest.raises(InvalidListing):
        exports.listing_from_record({"id": "x", "cost": "priceless"})
