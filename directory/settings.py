"""Settings, read once from the environment (and an optional `.env` file) through `get_settings()`.

Every setting is documented in README.md; a test checks that.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT_SECRET = "development-only-secret-change-me"
MIN_SECRET_LENGTH = 32


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
    # Blank: links we hand out (share links, QR codes, calendar files) use the address the request came to.
    public_base_url: str = ""
    submission_limit_per_hour: int = Field(default=10, ge=1)
    login_failure_limit: int = Field(default=5, ge=1)
    moderator_session_hours: int = Field(default=12, ge=1)
    confirmation_link_days: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        if self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(f"SECRET_KEY must be set in production (at least {MIN_SECRET_LENGTH} random characters)")
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"SECRET_KEY is {len(self.secret_key)} characters long; production needs at least {MIN_SECRET_LENGTH} "
                "random characters"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def settings_problem(error: ValidationError) -> str:
    """A settings error as one line naming the variable: what `python main.py` prints before it exits."""
    parts = []
    for item in error.errors():
        name = "_".join(str(part) for part in item.get("loc", ())).upper()
        message = str(item.get("msg", "is not valid")).removeprefix("Value error, ")
        parts.append(f"{name}: {message}" if name else message)
    hint = "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
    text = "; ".join(parts)
    return f"Cannot start: {text} {hint}" if "SECRET_KEY" in text else f"Cannot start: {text}"
