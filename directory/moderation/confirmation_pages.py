"""The organisation's confirmation link: see the listing, then say it is still accurate or suggest changes.

The link is signed and expires (freshness.py); there is no account. Saying 'still accurate' is a POST with CSRF
that marks the listing checked today, recorded in its history.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from directory.csrf import CSRFProtected
from directory.db import SessionDep
from directory.errors import DirectoryError
from directory.listings import catalogue
from directory.listings.models import Service
from directory.moderation import freshness
from directory.moderation.listing_form import FormDep, text
from directory.web.rendering import render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


def _service(request: Request, session: Session, token: str) -> Service:
    settings = request.app.state.settings
    return freshness.service_for_token(
        session, settings.secret_key, token, max_age_days=settings.confirmation_link_days
    )


def _page(
    request: Request, service: Service, token: str, status: int = 200, error: DirectoryError | None = None
) -> HTMLResponse:
    listing = catalogue.listing_of(service)
    response = render(
        request, "moderation/confirm.html", status, service=service, listing=listing, token=token, error=error
    )
    response.headers["x-robots-tag"] = "noindex"
    return response


@router.get("/confirm/{token}")
def confirm_page(request: Request, session: SessionDep, token: str) -> HTMLResponse:
    return _page(request, _service(request, session, token), token)


@router.post("/confirm/{token}", dependencies=[CSRFProtected])
def still_accurate(request: Request, session: SessionDep, token: str, form: FormDep) -> Response:
    service = _service(request, session, token)
    seen = text(form, "seen_version")
    try:
        if not seen.isdigit():
            raise DirectoryError(
                "Please open the link again and read the listing before confirming it.", field="version"
            )
        freshness.confirm_still_accurate(session, service, seen_version=int(seen), today=date.today())
    except DirectoryError as error:
        session.rollback()
        return _page(request, _service(request, session, token), token, error.status_code, error)
    return render(request, "moderation/confirmed.html", service=service)
