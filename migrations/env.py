"""Alembic environment: the URL comes from the caller (directory.db.alembic_config) or from settings."""

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

# Every feature's tables, registered on SQLModel.metadata.
import directory.geography.models
import directory.listings.models
import directory.moderation.models
import directory.search.models
import directory.signposting.models  # noqa: F401
from directory.settings import get_settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connectable = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
