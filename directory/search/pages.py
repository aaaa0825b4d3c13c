"""Find support near you: GET /search, a plain form whose every result page is a shareable URL."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from directory.db import SessionDep
from directory.errors import DirectoryError
from directory.geography import distance, full_postcodes, geocoding
from directory.listings import staleness
from directory.listings.taxonomy import AUDIENCES, DELIVERY_MODES, SUPPORT_TYPES
from directory.search import engine, statistics
from directory.search.query import DEFAULT_RADIUS_MILES, RADIUS_CHOICES_MILES, SearchQuery
from directory.search.timing_filter import When
from directory.web.rendering import now, render, url_with

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
# The examples the search forms show (a test checks each finds services in the bundled directory).
LOCATION_EXAMPLES = ("LS1 3EX", "G12", "Cardiff")
KEYWORD_EXAMPLES = ("counselling", "benefits")
TEMPLATE_GLOBALS = {
    "RADIUS_CHOICES": RADIUS_CHOICES_MILES,
    "LOCATION_EXAMPLES": LOCATION_EXAMPLES,
    "KEYWORD_EXAMPLES": KEYWORD_EXAMPLES,
    "WHEN_CHOICES": list(When),
}
TEMPLATE_FILTERS = {"miles": distance.describe_miles}


def parse_query(
    radius: int,
    support: list[str],
    delivery: list[str],
    audience: list[str],
    q: str,
    page: int,
    per_page: int = 20,
    *,
    when: str = "",
    secondary_only: bool = False,
) -> SearchQuery:
    """The one place search input is checked, shared by the page and the JSON API."""
    if radius not in RADIUS_CHOICES_MILES:
        choices = ", ".join(map(str, RADIUS_CHOICES_MILES))
        raise DirectoryError(f"Choose a distance of {choices} miles.", field="radius")
    return SearchQuery(
        radius_miles=radius,
        support=tuple(SUPPORT_TYPES.chosen(support, "support")),
        delivery=tuple(DELIVERY_MODES.chosen(delivery, "delivery")),
        audience=tuple(AUDIENCES.chosen(audience, "audience")),
        keywords=q.strip(),
        when=_when(when),
        secondary_only=secondary_only,
        page=page,
        per_page=per_page,
    )


def _when(value: str) -> When | None:
    if not value:
        return None
    if value not in {when.value for when in When}:
        choices = " or ".join(f"'{when.value}' ({when.label.lower()})" for when in When)
        raise DirectoryError(f"Choose when: {choices}, or leave it blank for any time.", field="when")
    return When(value)


class SearchForm(BaseModel):
    """The search form's fields, as the query string carries them (every result page is a shareable URL)."""

    location: str = Field(default="", max_length=100)
    radius: int = DEFAULT_RADIUS_MILES
    support: list[str] = []
    delivery: list[str] = []
    audience: list[str] = []
    q: str = Field(default="", max_length=200)
    when: str = Field(default="", max_length=10)
    secondary: bool = False
    page: int = Field(default=1, ge=1, le=1000)
    view: Literal["standard", "compact"] = "standard"


@router.get("/search")
def search_page(request: Request, session: SessionDep, form: Annotated[SearchForm, Query()]) -> HTMLResponse:
    settings = request.app.state.settings
    shown = form.model_dump(exclude={"page"})
    today = date.today()
    stale_before = staleness.stale_cutoff(today, settings.stale_after_days)
    try:
        query = parse_query(form.radius, form.support, form.delivery, form.audience, form.q, form.page,
                            when=form.when, secondary_only=form.secondary)  # fmt: skip
        if not form.location.strip():
            return render(request, "search/search.html", form=shown, results=None, error=None, choices=None)
        found = geocoding.resolve(form.location, full_postcodes.geocoder_for(session, settings))
    except geocoding.OutsideUK as outside:
        everywhere = engine.available_everywhere(session, query, stale_before=stale_before, now=now(request))
        return render(request, "search/search.html", form=shown, results=None, error=outside, choices=None,
                      everywhere=everywhere)  # fmt: skip
    except DirectoryError as error:
        return render(request, "search/search.html", 400, form=shown, results=None, error=error,
                      choices=_instead(request, error))  # fmt: skip
    if isinstance(found, geocoding.Ambiguous):
        choices = [(choice, url_with(request, location=choice, page=None)) for choice in found.choices]
        return render(request, "search/search.html", form=shown, results=None, error=None, choices=choices)
    results = engine.search(session, found, query, stale_before=stale_before, now=now(request))
    response = render(
        request, "search/search.html", form=shown, results=results, error=None, choices=None,
        page_url=lambda number: url_with(request, page=number),
        wider=next((r for r in RADIUS_CHOICES_MILES if r > form.radius), None),
    )  # fmt: skip
    # After the page is sent, in a transaction of its own: statistics never fail or slow a search.
    response.background = BackgroundTask(statistics.record_search, request.app.state.engine, results, today=today)
    return response


def _instead(request: Request, error: DirectoryError) -> list[tuple[str, str]] | None:
    """What to search for instead: the district of a postcode we cannot find, or the places a typo may mean."""
    if isinstance(error, geocoding.UnknownPostcode):
        return [(f"Search near {error.district}", url_with(request, location=error.district, page=None))]
    if isinstance(error, geocoding.UnknownPlace) and error.suggestions:
        return [(label, url_with(request, location=label, page=None)) for label in error.suggestions]
    return None
