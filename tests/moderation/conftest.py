"""Fixtures and helpers shared by the moderation tests: a directory with one helpline and a moderator."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from directory.listings import catalogue
from directory.listings.models import Service
from directory.moderation.models import Submission
from tests.conftest import add_listings, listing_row
from tests.moderation_support import (
    add_moderator,
)


@pytest.fixture
def helpline(app: FastAPI) -> FastAPI:
    add_listings(app, listing_row(last_verified="2026-01-05"))
    add_moderator(app)
    return app


def service(app: FastAPI, service_id: str = "example-helpline") -> Service:
    with Session(app.state.engine) as session:
        found = catalogue.require_service(session, service_id)
        session.expunge_all()
        return found


def submission_status(app: FastAPI, reference: str) -> str:
    with Session(app.state.engine) as session:
        return session.exec(select(Submission.status).where(Submission.reference == reference)).one()
