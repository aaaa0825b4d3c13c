"""Moderators' pages about listings: every listing, a listing's history and restoring an earlier version, the
listings due for checking, and issuing an organisation's confirmation link. All behind `current_moderator`."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from directory.csrf import CSRFProtected
from directory.db import SessionDep
from directory.errors import DirectoryError
from directory.listings import audit, catalogue
from directory.listings.models import Organisation, Service
from directory.moderation import change_history, freshness
from directory.moderation.listing_form import FormDep, text
from directory.moderation.review_pages import ModeratorDep, actor, current_moderator, page
from directory.web.rendering import public_base_url

router = APIRouter(
    prefix="/moderate", default_response_class=HTMLResponse, include_in_schema=False,
    dependencies=[Depends(current_moderator)],
)  # fmt: skip


@router.get("/services")
def all_listings(request: Request, session: SessionDep) -> HTMLResponse:
    rows = session.execute(
        sa_select(col(Service.id), col(Service.name), col(Organisation.name), col(Service.version),
                  col(Service.last_verified))
        .join(Organisation).order_by(col(Service.name), col(Service.id))
    ).all()  # fmt: skip
    return page(request, "moderation/services.html", rows=rows)


def _history_page(
    request: Request, session: Session, service_id: str, status: int = 200, error: DirectoryError | None = None
) -> HTMLResponse:
    service = catalogue.require_service(session, service_id)
    versions = [version for version in audit.restorable_versions(session, service_id) if version != service.version]
    entries = change_history.entries(session, service_id)
    return page(request, "moderation/history.html", status, service=service, entries=entries, versions=versions,
                error=error)  # fmt: skip


@router.get("/services/{service_id}/history")
def history(request: Request, session: SessionDep, service_id: str) -> HTMLResponse:
    return _history_page(request, session, service_id)


@router.post("/services/{service_id}/revert", dependencies=[CSRFProtected])
def revert(request: Request, session: SessionDep, moderator: ModeratorDep, service_id: str, form: FormDep) -> Response:
    to_version, seen_version = text(form, "version"), text(form, "seen_version")
    try:
        if not (to_version.isdigit() and seen_version.isdigit()):
            raise DirectoryError("Choose a version to restore.", field="version")
        audit.revert(session, service_id, int(to_version), actor=actor(moderator), seen_version=int(seen_version))
    except DirectoryError as error:
        session.rollback()
        return _history_page(request, session, service_id, error.status_code, error)
    return RedirectResponse(f"/moderate/services/{service_id}/history", status_code=303)


@router.get("/stale")
def stale(request: Request, session: SessionDep) -> HTMLResponse:
    days = request.app.state.settings.stale_after_days
    listings = freshness.stale_listings(session, today=date.today(), stale_after_days=days)
    return page(request, "moderation/stale.html", listings=listings, days=days)


@router.post("/services/{service_id}/confirmation-link", dependencies=[CSRFProtected])
def confirmation_link(request: Request, session: SessionDep, service_id: str) -> HTMLResponse:
    """Shows the link to send; nothing is stored (the link carries its own signature and date)."""
    service = catalogue.require_service(session, service_id)
    settings = request.app.state.settings
    token = freshness.confirmation_token(settings.secret_key, service)
    link = f"{public_base_url(request)}/confirm/{token}"
    expires = date.today() + timedelta(days=settings.confirmation_link_days)
    return page(request, "moderation/confirmation_link.html", service=service, link=link, expires=expires)
