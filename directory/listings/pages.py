"""Browsing the directory and a service's own page."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from directory.db import SessionDep
from directory.geography.nations import Nation
from directory.listings import catalogue, staleness
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
from directory.web.rendering import render, url_with

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
}


@router.get("/services")
def browse(
    request: Request,
    session: SessionDep,
    support: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    delivery: Annotated[list[str], Query()] = [],  # noqa: B006
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
def service_page(request: Request, session: SessionDep, service_id: str) -> HTMLResponse:
    service = catalogue.require_service(session, service_id)
    listing = catalogue.listing_of(service)
    days = request.app.state.settings.stale_after_days
    stale = staleness.is_stale(listing.last_verified, today=date.today(), stale_after_days=days)
    return render(request, "listings/service.html", service=service, listing=listing, stale=stale)
