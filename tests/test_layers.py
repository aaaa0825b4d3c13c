"""The layers point one way (contracts in pyproject.toml, checked by import-linter): the app and CLI use features,
features use listings/ and geography/, the shared plumbing and the core; nothing below imports anything above."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(project: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed (it comes with the test extra)")
    env = os.environ | {"PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_layers_hold() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import"),
    [
        ("directory/errors.py", "from directory.search import engine"),  # the core reaching into a feature
        ("directory/web/rendering.py", "from directory.signposting import shortlists"),  # plumbing into a feature
        ("directory/geography/nations.py", "from directory.listings import taxonomy"),  # geography into listings
        ("directory/listings/catalogue.py", "from directory.moderation import decisions"),  # listings into a feature
    ],
)
def test_an_import_that_breaks_the_layering_fails_the_check(tmp_path: Path, module: str, bad_import: str) -> None:
    shutil.copytree(ROOT / "directory", tmp_path / "directory", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{bad_import}  # noqa\n")
    result = lint(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout
