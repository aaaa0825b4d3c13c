"""Migrations: the app upgrades an existing database on start and keeps its data."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from directory import db
from directory.app import create_app
from tests.conftest import make_settings

FIRST_REVISION = "0001"


def test_upgrading_an_existing_database_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db.upgrade_database(url, FIRST_REVISION)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisation (id, uuid, name, website, updated_at) "
                "VALUES ('old-org', '00000000-0000-0000-0000-000000000001', 'Old Org', '', '2025-01-01 00:00:00')"
            )
        )
        connection.execute(text(
            "INSERT INTO service (id, uuid, organisation_id, name, description, status, service_area, area_postcodes,"
            " phone, email, website, opening_hours, cost, referral, languages, eligibility, source_url,"
            " last_verified, version, updated_at) VALUES ('old-line', '00000000-0000-0000-0000-000000000002',"
            " 'old-org', 'Old Line', 'Kept.', 'active', 'uk', '', '01632 960000', '', '', '', 'free', 'self', '',"
            " '', 'https://example.org', '2025-01-01', 3, '2025-01-01 00:00:00')"
        ))  # fmt: skip

    with TestClient(create_app(make_settings(url))) as client:  # starting the app upgrades the database
        response = client.get("/services/old-line")

    assert response.status_code == 200 and "Old Line" in response.text
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(db.alembic_config(url)).get_current_head()
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert connection.execute(text("SELECT version FROM service WHERE id = 'old-line'")).scalar() == 3


def test_migrations_build_exactly_the_tables_the_models_describe(database_url: str) -> None:
    tables = {
        table for table in inspect(create_engine(database_url)).get_table_names()
        if table != "alembic_version" and not table.startswith("service_fts")  # SQLite's full-text index
    }  # fmt: skip
    assert tables == set(SQLModel.metadata.tables)
