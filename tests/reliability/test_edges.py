"""The smaller edges an attacker or a busy clinic finds: headers on every response (500s too), no SQL parameters in
logs, no forged log lines, a size limit on every form, private JSON kept private, spreadsheet-safe exports."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from directory import db
from directory.listings import importer
from directory.security import escape_for_log
from tests.conftest import add_listings, listing_row
from tests.moderation_support import add_moderator, csrf_token, sign_in

HEADERS = ("content-security-policy", "referrer-policy", "x-content-type-options")


def test_an_unexpected_error_still_gets_the_security_headers_and_a_kind_page(app: FastAPI) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("something broke")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500 and "Sorry, something went wrong on our side" in response.text
    assert all(name in response.headers for name in HEADERS)
    assert "something broke" not in response.text


@pytest.mark.parametrize(
    "path", ["/no-such-page", "/search?radius=7&location=LS1", "/search?page=0", "/api/oruk/services?page=0",
             "/api/no-such-endpoint", "/services/a%00b"],
)  # fmt: skip
def test_error_responses_carry_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert all(name in response.headers for name in HEADERS), path


def test_sql_parameters_never_reach_error_messages_or_logs(app: FastAPI) -> None:
    with pytest.raises(SQLAlchemyError) as raised, app.state.engine.connect() as connection:
        connection.execute(text("SELECT * FROM no_such_table WHERE token = :token"), {"token": "PRIVATE-STATUS-TOKEN"})
    assert "PRIVATE-STATUS-TOKEN" not in str(raised.value)


def test_a_line_break_in_the_address_cannot_forge_a_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="directory.access"):
        response = client.get("/services/x%0D%0A200%20GET%20/forged")
    assert response.status_code == 400
    lines = [record.getMessage() for record in caplog.records if record.name == "directory.access"]
    assert lines and all("\n" not in line and "\r" not in line for line in lines)
    assert escape_for_log("/a\r\nb") == "/a\\x0d\\x0ab"


@pytest.mark.parametrize(
    "path", ["/list/add", "/list/note", "/list/update", "/list/share", "/suggest", "/moderate/login"]
)
def test_every_form_refuses_an_oversized_body(client: TestClient, path: str) -> None:
    token = csrf_token(client, "/suggest")
    response = client.post(path, data={"csrf_token": token, "note": "x" * 200_000})
    assert response.status_code == 413 and "more than this form accepts" in response.text


def test_the_moderators_json_is_never_shared_with_other_sites_or_cached(app: FastAPI, client: TestClient) -> None:
    signed_out = client.get("/api/moderation/submissions")
    add_moderator(app)
    sign_in(client)
    signed_in = client.get("/api/moderation/submissions")
    assert (signed_out.status_code, signed_in.status_code) == (401, 200)
    for response in (signed_out, signed_in):
        assert "access-control-allow-origin" not in response.headers
        assert response.headers["cache-control"] == "no-store"
    assert client.get("/api/oruk/services").headers["access-control-allow-origin"] == "*"  # open data stays open


def test_exported_cells_cannot_run_as_spreadsheet_formulas_and_import_back_unchanged(app: FastAPI) -> None:
    hostile = listing_row(description='=HYPERLINK("https://evil.example","Click")', eligibility="@SUM(A1)",
                          phone="+44 1632 960000", opening_hours="-1 hour on Fridays")  # fmt: skip
    add_listings(app, hostile)
    with db.session_scope(app.state.engine) as session:
        exported = importer.export_text(session)
    assert "'=HYPERLINK(" in exported and "'@SUM(A1)" in exported and "'+44 1632 960000" in exported
    assert "'-1 hour" in exported
    reread = importer.read_listings(exported)[0]
    assert reread.description == hostile["description"] and reread.phone == hostile["phone"]
    assert reread.eligibility == "@SUM(A1)" and reread.opening_hours == "-1 hour on Fridays"
    assert importer.spreadsheet_safe("-1.5") == "-1.5"  # plain numbers (coordinates) stay numbers
