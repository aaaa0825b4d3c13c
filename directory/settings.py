"""Settings, read once from the environment (and an optional `.env` file) through `get_settings()`.

Every setting is documented in README.md; a test checks that.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'directory.db'}"
    secret_key: str = DEVELOPMENT_SECRET
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    bundled_data_path: Path = PROJECT_ROOT / "data" / "organisations.csv"
    import_bundled_data: bool = True
    geocoder: Literal["offline", "nominatim"] = "offline"
    nominatim_user_agent: str = "secondary-breast-cancer-directory"
    stale_after_days: int = Field(default=365, ge=1)
    public_base_url: str = "http://127.0.0.1:8000"
    submission_limit_per_hour: int = Field(default=10, ge=1)
    login_failure_limit: int = Field(default=5, ge=1)
    moderator_session_hours: int = Field(default=12, ge=1)
    confirmation_link_days: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _refuse_placeholder_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("SECRET_KEY must be set to a long random value in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
