"""The service refuses to start, in one line that names the problem and the fix, when it could not serve people
safely: a weak secret in production, a database it cannot reach or write, a missing gazetteer file."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from directory import db, startup
from directory.app import create_app
from directory.geography import gazetteer
from directory.settings import DEVELOPMENT_SECRET
from tests.conftest import make_settings
from tests.served import ROOT


def start(**env: str) -> subprocess.CompletedProcess[str]:
    """`python main.py` as an operator would run it; it must stop by itself within the timeout."""
    return subprocess.run(
        [sys.executable, "main.py"], cwd=ROOT, env=os.environ | {"PORT": "1", "IMPORT_BUNDLED_DATA": "false"} | env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip() and " INFO " not in line]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("key", ["x", "short-but-not-32-characters", DEVELOPMENT_SECRET])
def test_production_refuses_a_weak_secret_key_in_one_line(key: str, tmp_path: Path) -> None:
    result = start(ENVIRONMENT="production", SECRET_KEY=key, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode != 0
    assert "SECRET_KEY" in one_line(result) and "32" in one_line(result)


def test_development_warns_that_the_placeholder_secret_is_in_use(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(make_settings(sqlite_url, environment="development", secret_key=DEVELOPMENT_SECRET))
    with caplog.at_level(logging.WARNING), TestClient(app):
        pass
    assert any("SECRET_KEY is the development placeholder" in record.getMessage() for record in caplog.records)


def test_a_database_that_cannot_be_reached_stops_the_service_in_one_line() -> None:
    result = start(DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
    assert result.returncode == 1
    assert "Cannot connect to the database" in one_line(result) and "DATABASE_URL" in one_line(result)


def test_a_read_only_database_stops_the_service_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "directory.db"
    db.upgrade_database(f"sqlite:///{path}")
    result = start(DATABASE_URL=f"sqlite:///file:{path}?mode=ro&uri=true")
    assert result.returncode == 1
    assert "cannot be written to" in one_line(result)


def test_a_missing_gazetteer_file_is_named_with_the_fix(tmp_path: Path) -> None:
    for name in gazetteer.GAZETTEER_FILES[1:]:
        shutil.copy(gazetteer.GAZETTEER_DIR / name, tmp_path / name)
    with pytest.raises(startup.StartupProblem, match=f"data/gazetteer/{gazetteer.GAZETTEER_FILES[0]} is missing.*git"):
        gazetteer.check_files(tmp_path)
    gazetteer.check_files(gazetteer.GAZETTEER_DIR)  # the bundled one is complete
