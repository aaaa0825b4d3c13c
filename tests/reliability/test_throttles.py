"""Limits that parallel requests cannot race: each attempt is counted before the slow work it guards (the argon2
password check, storing a suggestion), under one lock."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from directory.app import create_app
from directory.moderation.models import Submission
from tests.conftest import add_listings, listing_row, make_settings
from tests.moderation_support import add_moderator, csrf_token, form_fields

PARALLEL = 30
LOGIN_LIMIT = 5
SUBMISSION_LIMIT = 10


@pytest.fixture
def limited_app(database_url: str) -> Iterator[FastAPI]:
    app = create_app(
        make_settings(database_url, login_failure_limit=LOGIN_LIMIT, submission_limit_per_hour=SUBMISSION_LIMIT)
    )
    add_listings(app, listing_row())
    add_moderator(app)
    yield app
    app.state.engine.dispose()


def in_parallel(app: FastAPI, form_path: str, send: Callable[[httpx.AsyncClient, str], Awaitable[int]]) -> list[int]:
    """PARALLEL requests at once from one address, through the real app (sync routes run in its thread pool)."""

    async def fire() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            page = BeautifulSoup((await client.get(form_path)).text, "html.parser")
            token = str(page.find("input", attrs={"name": "csrf_token"})["value"])  # type: ignore[index]
            return await asyncio.gather(*(send(client, token) for _ in range(PARALLEL)))

    with ThreadPoolExecutor(max_workers=1) as runner:  # an event loop of its own (Playwright may hold this one's)
        return runner.submit(asyncio.run, fire()).result(timeout=300)


def test_thirty_parallel_wrong_passwords_check_at_most_the_limit(limited_app: FastAPI) -> None:
    async def wrong_password(client: httpx.AsyncClient, token: str) -> int:
        data = {"csrf_token": token, "email": "moderator@example.org", "password": "not the password at all"}
        return (await client.post("/moderate/login", data=data)).status_code

    counts = Counter(in_parallel(limited_app, "/moderate/login", wrong_password))
    assert counts == {401: LOGIN_LIMIT, 429: PARALLEL - LOGIN_LIMIT}


def test_thirty_parallel_suggestions_store_at_most_the_limit(limited_app: FastAPI) -> None:
    fields = form_fields(listing_row(name="A New Helpline", description="A fictional helpline someone suggests."))

    async def suggestion(client: httpx.AsyncClient, token: str) -> int:
        return (await client.post("/suggest", data=fields | {"csrf_token": token})).status_code

    counts = Counter(in_parallel(limited_app, "/suggest", suggestion))
    assert counts == {303: SUBMISSION_LIMIT, 429: PARALLEL - SUBMISSION_LIMIT}
    with Session(limited_app.state.engine) as session:
        assert session.exec(select(func.count()).select_from(Submission)).one() == SUBMISSION_LIMIT


def test_a_suggestion_sent_back_with_errors_does_not_count_against_the_limit(limited_app: FastAPI) -> None:
    faulty = form_fields(listing_row(name="A New Helpline", description=""))  # a description is required
    valid = form_fields(listing_row(name="A New Helpline", description="A fictional helpline someone suggests."))
    with TestClient(limited_app) as client:
        token = csrf_token(client, "/suggest")
        statuses = [client.post("/suggest", data=faulty | {"csrf_token": token}).status_code for _ in range(15)]
        accepted = client.post("/suggest", data=valid | {"csrf_token": token}, follow_redirects=False)
    assert statuses == [422] * 15 and accepted.status_code == 303
