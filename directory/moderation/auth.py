"""Moderators: accounts (created from the CLI), argon2 password hashes, and signed-in sessions.

A session is a random token in an HttpOnly, SameSite=Lax cookie (Secure when the service is public over https);
the `moderator_session` table keeps only the token's SHA-256, so signing out (deleting the row) really ends it and a
copy of the table cannot be used to sign in. Functions flush, never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from directory.db import utcnow
from directory.errors import Conflict, DirectoryError
from directory.listings.checks import EMAIL
from directory.moderation.models import Moderator, ModeratorSession

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
COOKIE = "moderator_session"
_hasher = PasswordHasher()
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0123456789")


class LoginRequired(DirectoryError):
    status_code = 401
    title = "Please sign in"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DirectoryError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.", field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DirectoryError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.", field="password")


def create_moderator(session: Session, email: str, password: str) -> Moderator:
    address = normalise_email(email)
    if not EMAIL.match(address) or len(address) > 254:
        raise DirectoryError(f"'{email}' is not an email address.", field="email")
    check_password_rules(password)
    if session.exec(select(Moderator).where(Moderator.email == address)).first() is not None:
        raise Conflict(f"There is already a moderator with the email {address}.", field="email")
    moderator = Moderator(email=address, password_hash=_hasher.hash(password))
    session.add(moderator)
    session.flush()
    return moderator


def deactivate_moderator(session: Session, email: str) -> bool:
    """Stop a moderator signing in, and end their sessions now. False if there is no such moderator."""
    moderator = session.exec(select(Moderator).where(Moderator.email == normalise_email(email))).first()
    if moderator is None:
        return False
    moderator.active = False
    session.add(moderator)
    session.exec(delete(ModeratorSession).where(col(ModeratorSession.moderator_id) == moderator.id))
    session.flush()
    return True


def authenticate(session: Session, email: str, password: str) -> Moderator | None:
    """The active moderator with this email and password, or None (never saying which part was wrong)."""
    moderator = session.exec(select(Moderator).where(Moderator.email == normalise_email(email))).first()
    try:
        _hasher.verify(moderator.password_hash if moderator else _DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return None
    if moderator is None or not moderator.active:
        return None
    if _hasher.check_needs_rehash(moderator.password_hash):
        moderator.password_hash = _hasher.hash(password)
        session.add(moderator)
    return moderator


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, moderator: Moderator, *, hours: int, now: datetime | None = None) -> str:
    """A new random session token for this moderator (a new one at every sign-in: no session fixation)."""
    now = now or utcnow()
    session.exec(delete(ModeratorSession).where(col(ModeratorSession.expires_at) < now))
    token = secrets.token_urlsafe(32)
    assert moderator.id is not None
    session.add(
        ModeratorSession(token_hash=_digest(token), moderator_id=moderator.id, expires_at=now + timedelta(hours=hours))
    )
    session.flush()
    return token


def moderator_for_token(session: Session, token: str, *, now: datetime | None = None) -> Moderator | None:
    if not token or len(token) > 100:
        return None
    row = session.get(ModeratorSession, _digest(token))
    if row is None or row.expires_at <= (now or utcnow()):
        return None
    moderator = session.get(Moderator, row.moderator_id)
    return moderator if moderator is not None and moderator.active else None


def end_session(session: Session, token: str) -> None:
    session.exec(delete(ModeratorSession).where(col(ModeratorSession.token_hash) == _digest(token)))
    session.flush()
