"""Fixtures: an isolated, migrated database per test (SQLite always; PostgreSQL too when TEST_DATABASE_URL is set),
the real app over it, and small factories of fictional listings."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from directory import db
from directory.app import create_app
from directory.cli import app as cli
from directory.listings import catalogue
from directory.listings.listing import parse_listing
from directory.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
pytest_plugins = ["tests.glasgow"]  # the `glasgow` directory fixture
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db.upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A database of its own for this run, migrated once, dropped at the end."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql+psycopg://... to run them")
    base_url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"test_directory_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        message = f"PostgreSQL tests cannot run: cannot reach {base_url.host}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    url = base_url.set(database=name).render_as_string(hide_password=False)
    db.upgrade_database(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgresql(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ).scalars()
        names = ", ".join(f'"{table}"' for table in tables)
        if names:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "directory.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgresql_url")
    _empty_postgresql(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """For tests that are about the code, not the database: SQLite only."""
    path = tmp_path / "directory.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        import_bundled_data=False,
    )
    return Settings(**(values | overrides))


@pytest.fixture
def app(database_url: str) -> FastAPI:
    return create_app(make_settings(database_url))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def listing_row(**overrides: str) -> dict[str, str]:
    """A fictional listing as CSV cells. Phone numbers are from Ofcom's range reserved for drama (01632 960xxx)."""
    row = {
        "id": "example-helpline",
        "organisation_id": "example-charity",
        "organisation_name": "Example Charity",
        "organisation_website": "https://example.org",
        "organisation_description": "A fictional charity used in tests.",
        "charity_number": "",
        "name": "Example Helpline",
        "description": "A fictional helpline used in tests.",
        "specificity": "any-cancer",
        "support_types": "emotional",
        "audiences": "living-with-secondary",
        "delivery_modes": "phone",
        "service_area": "uk",
        "area_name": "",
        "area_postcodes": "",
        "address": "",
        "grounds_of": "",
        "town": "",
        "postcode": "",
        "latitude": "",
        "longitude": "",
        "phone": "01632 960000",
        "email": "",
        "website": "https://example.org/helpline",
        "opening_hours": "Monday to Friday, 9am to 5pm",
        "schedules": "",
        "closed_until": "",
        "cost": "free",
        "referral": "self",
        "languages": "",
        "eligibility": "",
        "source_url": "https://example.org/helpline",
        "last_verified": "2026-11-01",
    }
    return row | overrides


def centre_row(**overrides: str) -> dict[str, str]:
    """A fictional drop-in centre with an address."""
    return (
        listing_row(
            id="example-centre-leeds",
            name="Example Centre Leeds",
            delivery_modes="in-person",
            service_area="local",
            address="1 Example Street",
            town="Leeds",
            postcode="LS1 3EX",
            phone="01632 960001",
        )
        | overrides
    )


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every route of the app, through included routers (FastAPI 0.16x wraps each in an `_IncludedRouter`). The
    app includes routers without a prefix of its own, so each route's path is the one it answers on."""

    def flattened(routes: list[Any]) -> list[APIRoute]:
        found: list[APIRoute] = []
        for route in routes:
            if isinstance(route, APIRoute):
                found.append(route)
            elif (router := getattr(route, "original_router", None)) is not None:
                assert not route.include_context.prefix, "routes would need the included router's prefix"
                found += flattened(router.routes)
        return found

    routes = flattened(list(app.routes))
    assert routes, "no routes found: has FastAPI changed how it holds included routers?"
    return routes


def add_listings(app: FastAPI, *rows: dict[str, str]) -> None:
    with db.session_scope(app.state.engine) as session:
        for row in rows:
            catalogue.save_listing(session, parse_listing(row))


SLOW_FILES = ("tests/api/test_schemathesis.py", "tests/reliability/test_concurrency.py",
              "tests/signposting/test_share_links_served.py", "tests/test_types.py")  # fmt: skip
SLOW_TESTS = ("test_build_check",)  # rebuilds the gazetteer from its source packages


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright keeps an event loop running in the main thread for the rest of the
    session (the browser is session-scoped), and tests that start their own with asyncio.run() must come first.
    Mark the slow ones (browser, API fuzzing, real servers, the gazetteer rebuild) so `-m "not slow"` skips them."""
    for item in items:
        path = str(item.path).replace("\\", "/")
        if "tests/browser/" in path or path.endswith(SLOW_FILES) or item.name.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: "tests/browser/" in str(item.path).replace("\\", "/"))


@pytest.fixture
def run_cli(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from directory.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield lambda *args, input=None: CliRunner().invoke(cli, [str(arg) for arg in args], input=input)
    get_settings.cache_clear()
