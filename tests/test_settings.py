"""Settings: every one is documented in README, and production refuses the development secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from directory.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_documented_in_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in readme]
    assert not missing, f"Document these settings in README.md: {missing}"


def test_production_refuses_the_placeholder_secret() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production")


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    monkeypatch.setenv("PORT", "9000")
    settings = Settings()
    assert settings.database_url == "sqlite:////tmp/elsewhere.db" and settings.port == 9000
