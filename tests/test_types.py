"""The package's types hold: mypy over directory/ finds nothing (configured in pyproject.toml, where the libraries
that ship no types are named). SQLModel columns in queries are written with `col()` and multi-column selects with
SQLAlchemy's `select`, the forms mypy can check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_errors_in_the_package() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "directory"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout
