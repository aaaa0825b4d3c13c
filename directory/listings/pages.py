"""Browsing the directory and a service's own page."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from directory.db import SessionDep
from directory.geography.nations import Nation
from directory.listings import calendar, cards, catalogue, staleness, when
from directory.listings.schema import MAX_LENGTHS
from directory.listings.taxonomy import (
    AUDIENCES,
    DELIVERY_MODES,
    SUPPORT_TYPES,
    Cost,
    Referral,
    ServiceArea,
    Specificity,
)
from directory.web.rendering import calendar_response, now, public_base_url, render, url_with

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
# What every page that shows a listing needs: the vocabularies, the field limits and the labels of choices.
TEMPLATE_GLOBALS = {
    "SUPPORT_TYPES": SUPPORT_TYPES,
    "AUDIENCES": AUDIENCES,
    "DELIVERY_MODES": DELIVERY_MODES,
    "TOP_LEVEL_SUPPORT": [term.code for term in SUPPORT_TYPES.top_level()],
    "Nation": Nation,
    "ServiceArea": ServiceArea,
    "Cost": Cost,
    "Referral": Referral,
    "Specificity": Specificity,
    "FIELD_LIMITS": MAX_LENGTHS,
    "timing": when.timing,
}
TEMPLATE_FILTERS = {"first_sentence": cards.summary}


@router.get("/services")
def browse(
    request: Request,
    session: SessionDep,
    support: Annotated[list[str], Query()] = [],
    delivery: Annotated[list[str], Query()] = [],
    nation: Nation | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    chosen_support = SUPPORT_TYPES.chosen(support, "support")
    chosen_delivery = DELIVERY_MODES.chosen(delivery, "delivery")
    results = catalogue.browse(session, support=chosen_support, delivery=chosen_delivery, nation=nation, page=page)
    return render(
        request,
        "listings/browse.html",
        results=results,
        support=chosen_support,
        delivery=chosen_delivery,
        nation=nation,
        page_url=lambda number: url_with(request, page=number),
    )


@router.get("/services/{service_id}")
def service_page(
    request: Request, session: SessionDep, service_id: str, back: Annotated[str, Query(max_length=1000)] = ""
) -> HTMLResponse:
    service = catalogue.require_service(session, service_id)
    listing = catalogue.listing_of(service)
    days = request.app.state.settings.stale_after_days
    stale = staleness.is_stale(listing.last_verified, today=date.today(), stale_after_days=days)
    return render(request, "listings/service.html", service=service, listing=listing, stale=stale,
                  back=results_link(back))  # fmt: skip


def results_link(back: str) -> str:
    """'Back to results' goes only to our own search or browse pages (never to another site)."""
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or parts.path not in ("/search", "/services"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


@router.get("/services/{service_id}/calendar.ics", response_class=Response)
def service_calendar(request: Request, session: SessionDep, service_id: str) -> Response:
    """Every schedule of the service as a calendar file ("Add to calendar")."""
    listing = catalogue.listing_of(catalogue.require_service(session, service_id))
    entry = calendar.entry_of(listing, public_base_url(request))
    content = calendar.calendar_file([entry], name=listing.name, now=now(request), host=request.url.hostname or "")
    return calendar_response(content, f"{listing.id}.ics")
