"""The database: engine, sessions, and migrations.

Sessions commit when the request handler or CLI command finishes without error and roll back otherwise: domain
functions only flush, so one request is one transaction.

SQLite allows one writer at a time, and a transaction that reads and then writes fails at once ("database is
locked") if another connection wrote in between, whatever the busy timeout. So SQLite runs in WAL mode (readers
never block the writer, nor it them) with a busy timeout, and every transaction that may write starts with
`BEGIN IMMEDIATE` (it takes the write lock first, waiting its turn): requests other than GET and HEAD, CLI
commands and best-effort writes. GET requests read in ordinary deferred transactions. Within one process, write
requests on SQLite also take turns at an asyncio lock before their transaction begins: waiting there costs no
worker thread, whereas thirty requests each blocked in SQLite's busy wait would starve the thread pool that the
request holding the lock needs to finish.
SQL parameters never reach logs (`hide_parameters`): they carry postcodes and private tokens.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from alembic import command
from alembic.config import Config
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, event
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
BUSY_TIMEOUT_MS = 30_000
WRITE = "directory_write"  # execution option: this transaction will write (SQLite: BEGIN IMMEDIATE)
BUSY_MS = "directory_busy_ms"  # execution option: how long to wait for SQLite's write lock
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    """The time rows are stamped with: timezone-aware UTC."""
    return datetime.now(UTC)


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        _ensure_sqlite_folder(database_url)
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True)


def _ensure_sqlite_folder(database_url: str) -> None:
    path = database_url.split("///", 1)[-1]
    if path and path != ":memory:" and not path.startswith("file:"):  # a URI filename names its own folder
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_connect(connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that `_sqlite_begin` decides how each one begins.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        pass  # a read-only database cannot change its journal; startup.check_database says so plainly
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash can lose the last commit, never corrupt
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(options.get(BUSY_MS, BUSY_TIMEOUT_MS))}")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE, False) else "BEGIN")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Bring the schema up to date; safe to run on every start."""
    command.upgrade(alembic_config(database_url), revision)


@contextmanager
def session_scope(engine: Engine, *, writes: bool = True, wait_ms: int = BUSY_TIMEOUT_MS) -> Iterator[Session]:
    """One transaction: commit if the block finishes, roll back if it raises.

    `writes=False` for a transaction that only reads (on SQLite it then takes no write lock); `wait_ms` is how long
    a writer waits for SQLite's lock before giving up."""
    options = {WRITE: True, BUSY_MS: wait_ms} if writes else {}
    with Session(engine, execution_options=options) as session:  # applied when the first statement begins it
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


_write_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


async def sqlite_write_turn(request: Request) -> AsyncIterator[None]:
    """On SQLite, one write request at a time per process (see the module's docstring); elsewhere nothing."""
    if request.method in READ_ONLY_METHODS or request.app.state.engine.dialect.name != "sqlite":
        yield
        return
    loop = asyncio.get_running_loop()
    turn = _write_turns.setdefault(loop, asyncio.Lock())
    async with turn:
        yield


def get_session(
    request: Request, _turn: Annotated[None, Depends(sqlite_write_turn, scope="function")]
) -> Iterator[Session]:
    with session_scope(request.app.state.engine, writes=request.method not in READ_ONLY_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
