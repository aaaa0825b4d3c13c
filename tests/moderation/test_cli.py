"""The moderators' command line: adding moderators, and the stale-listings report."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from sqlmodel import select

from directory.moderation import auth
from directory.moderation.models import Moderator
from tests.conftest import add_listings, listing_row
from tests.moderation_support import TODAY, session_of


def test_moderators_are_added_from_the_command_line_with_a_long_enough_password(run_cli, app: FastAPI) -> None:  # type: ignore[no-untyped-def]
    short = run_cli("moderators", "add", "new@example.org", input="too short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    added = run_cli("moderators", "add", "New@Example.org", input="a long enough password\n")
    assert added.exit_code == 0, added.output
    again = run_cli("moderators", "add", "new@example.org", input="a long enough password\n")
    assert again.exit_code == 1 and "already a moderator" in again.output
    with session_of(app) as session:
        moderator = session.exec(select(Moderator)).one()
        assert moderator.email == "new@example.org" and moderator.password_hash.startswith("$argon2")
        assert auth.authenticate(session, "new@example.org", "a long enough password") is not None
        assert auth.authenticate(session, "new@example.org", "a wrong password!!") is None
    assert run_cli("moderators", "remove", "new@example.org").exit_code == 0
    with session_of(app) as session:
        assert auth.authenticate(session, "new@example.org", "a long enough password") is None


def test_directory_stale_lists_listings_not_checked_within_the_setting(run_cli, app: FastAPI, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old = (TODAY - timedelta(days=400)).isoformat()
    add_listings(
        app,
        listing_row(id="old-line", name="Old Line", last_verified=old),
        listing_row(last_verified=TODAY.isoformat()),
    )
    result = run_cli("stale")
    assert result.exit_code == 0
    assert "old-line" in result.output and "example-helpline" not in result.output
    from directory.settings import get_settings

    monkeypatch.setenv("STALE_AFTER_DAYS", "500")
    get_settings.cache_clear()
    assert "Every listing was checked in the last 500 days" in run_cli("stale").output
