"""Moderators, their signed-in sessions, and submissions from the public."""

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from directory.db import utcnow


class Moderator(SQLModel, table=True):
    """A trusted person who reviews submissions. Created from the CLI; the password is an argon2 hash."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, max_length=254)
    password_hash: str = Field(max_length=200)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class ModeratorSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256, so a leak of the table
    cannot be replayed. Signing out deletes the row."""

    __tablename__ = "moderator_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    moderator_id: int = Field(foreign_key="moderator.id", index=True)
    expires_at: datetime


class Submission(SQLModel, table=True):
    """A suggestion from the public (new service, change, or quick report), moved through the states in states.py.

    `original` and `proposed` are listing rows as JSON (the CSV cells); `base_version` is the service's version the
    suggestion was made against, so approving it after a newer change shows the conflict instead of clobbering it.
    """

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, max_length=10)  # e.g. SUB-2K9F7Q, shown to people
    status_token: str = Field(unique=True, max_length=64)  # the unguessable part of the status page's address
    kind: str = Field(max_length=20)
    status: str = Field(default="pending", index=True, max_length=20)
    service_id: str = Field(default="", index=True, max_length=120)
    base_version: int | None = None
    original: str = Field(default="", sa_type=Text)
    proposed: str = Field(default="", sa_type=Text)
    topic: str = Field(default="", max_length=30)
    message: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="moderator.id")
    reason: str = Field(default="", sa_type=Text)
