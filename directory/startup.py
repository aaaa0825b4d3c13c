"""Checks before the service starts: each problem is one line that names it and says how to fix it. (The gazetteer
checks its own files: `geography.gazetteer.check_files`.)

Without them a read-only database, a database that cannot be reached or a missing gazetteer file let the server
start and then fail every search.
"""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from directory import db


class StartupProblem(Exception):
    """Why the service cannot start, in one line."""


def check_database(database_url: str, engine: Engine) -> None:
    """Reachable, migrated to the latest schema, and writable (a write that is rolled back)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise StartupProblem(
            f"Cannot connect to the database ({_reason(error)}): check DATABASE_URL and that the database server "
            "is running."
        ) from None
    try:
        db.upgrade_database(database_url)
    except SQLAlchemyError as error:
        raise StartupProblem(
            f"Cannot bring the database schema up to date ({_reason(error)}): check that DATABASE_URL's user may "
            "create and alter tables, then run `directory migrate`."
        ) from None
    try:
        with db.session_scope(engine) as session:
            session.execute(text("UPDATE alembic_version SET version_num = version_num"))
            session.rollback()
    except SQLAlchemyError as error:
        raise StartupProblem(
            f"The database cannot be written to ({_reason(error)}): check the file's or the user's permissions "
            "(and that the disk is not full or mounted read-only)."
        ) from None


def _reason(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0][:200] if str(original) else type(original).__name__
