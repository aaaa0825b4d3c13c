"""The Open Referral UK 3.0 feed under /api/oruk/: thin routes over `directory.feed` (which records) and
`directory.oruk` (how each looks). Parameters are the standard's; every list has the page envelope, `format=ndjson`
streams every result without pages, and `postcode` with `proximity` asks the web search what is available there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from directory.api.responses import (
    INVALID,
    NOT_FOUND,
    NOT_MODIFIED,
    cached_json,
    cached_ndjson,
    envelope,
    merged,
    ok,
    page_slice,
)
from directory.db import SessionDep
from directory.errors import NotFound
from directory.listings import catalogue, staleness
from directory.listings.taxonomy import VOCABULARIES
from directory.openreferral import api_models as models
from directory.openreferral import examples, feed, records, taxonomies
from directory.openreferral.params import (
    MAX_PER_PAGE,
    Filters,
    Format,
    Full,
    FullService,
    LinkId,
    Minimal,
    Near,
    OrganisationId,
    PageNumber,
    ParentId,
    PerPage,
    Search,
    ServiceId,
    TaxonomyId,
    TaxonomyPathId,
    TermId,
    TopOnly,
)
from directory.web.rendering import public_base_url

router = APIRouter(prefix="/api/oruk", tags=["Open Referral UK 3.0"])

LIST_ERRORS = merged(NOT_MODIFIED, NOT_FOUND, INVALID)
DETAIL_ERRORS = merged(NOT_MODIFIED, NOT_FOUND, INVALID)


def _stale_before(request: Request) -> date:
    return staleness.stale_cutoff(date.today(), request.app.state.settings.stale_after_days)


def _listing(
    request: Request,
    ids: list[str],
    page: int,
    per_page: int,
    form: str,
    build: Callable[[list[str]], list[Any]],
    last_modified: datetime | None,
) -> Response:
    if form == "ndjson":
        return cached_ndjson(request, build(ids), last_modified)
    given = min(per_page, MAX_PER_PAGE)  # the standard sets no maximum: a larger ask gets full pages, not a 422
    page_of = envelope(build(page_slice(ids, page, given)), len(ids), page, given)
    if given < per_page:
        page_of |= {"x_per_page": given, "x_per_page_asked": per_page}
    return cached_json(request, page_of, last_modified)


def _form(full: bool, minimal: bool) -> records.Form:
    return records.Form.MINIMAL if minimal else records.Form.FULL if full else records.Form.BASIC


@router.get("", include_in_schema=False, response_model=models.ApiDetails)  # /api/oruk itself, with no redirect
@router.get(
    "/",
    summary="About this API",
    response_model=models.ApiDetails,
    responses=ok(models.ApiDetails, records.api_details("https://example.org/openapi.json"), "The API's version.")
    | NOT_MODIFIED,
)
def api_details(request: Request) -> Response:
    openapi_url = public_base_url(request).rstrip("/") + "/openapi.json"  # the address this service answers on
    return cached_json(request, records.api_details(openapi_url), None)


@router.get(
    "/services",
    summary="Services",
    response_model=models.ServicePage,
    responses=ok(models.ServicePage, examples.service_list(), "A page of services.", ndjson=True) | LIST_ERRORS,
)
def list_services(
    request: Request,
    session: SessionDep,
    filters: Filters,
    near: Near,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    output: Format = "json",
    full: Full = False,
    minimal: Minimal = False,
) -> Response:
    ids = feed.service_ids(session, filters, near, stale_before=_stale_before(request))
    form = _form(full, minimal)
    build = lambda chunk: [records.service_record(service, form) for service in feed.services(session, chunk)]  # noqa: E731
    return _listing(request, ids, page, per_page, output, build, catalogue.last_changed(session))


@router.get(
    "/services/{id}",
    summary="One service, fully nested",
    response_model=models.Service,
    responses=ok(models.Service, examples.service_full(), "The service.") | DETAIL_ERRORS,
)
def get_service(request: Request, session: SessionDep, id: ServiceId) -> Response:
    service = feed.published_service(session, id)
    if service is None:
        raise NotFound(f"There is no service with the id '{id[:60]}'.", field="id")
    return cached_json(request, records.service_record(service, records.Form.FULL), records.last_modified(service))


@router.get(
    "/service_at_locations",
    summary="Services at their locations",
    response_model=models.ServiceAtLocationPage,
    responses=ok(
        models.ServiceAtLocationPage,
        examples.service_at_location_list(),
        "A page of services at locations.",
        ndjson=True,
    )
    | LIST_ERRORS,
)
def list_service_at_locations(
    request: Request,
    session: SessionDep,
    filters: Filters,
    near: Near,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    output: Format = "json",
    full: Full = False,
) -> Response:
    ids = feed.service_at_location_ids(session, filters, near, stale_before=_stale_before(request))
    form = _form(full, False)
    build = lambda chunk: [records.service_at_location(link, form) for link in feed.links(session, chunk)]  # noqa: E731
    return _listing(request, ids, page, per_page, output, build, catalogue.last_changed(session))


@router.get(
    "/service_at_locations/{id}",
    summary="One service at a location, fully nested",
    response_model=models.ServiceAtLocation,
    responses=ok(models.ServiceAtLocation, examples.service_at_location_full(), "The service at its location.")
    | DETAIL_ERRORS,
)
def get_service_at_location(request: Request, session: SessionDep, id: LinkId) -> Response:
    link = feed.published_link(session, id)
    if link is None:
        raise NotFound(f"There is no service at location with the id '{id[:60]}'.", field="id")
    return cached_json(
        request, records.service_at_location(link, records.Form.FULL), records.last_modified(link.service)
    )


@router.get(
    "/organizations",
    summary="Organisations",
    response_model=models.OrganizationPage,
    responses=ok(models.OrganizationPage, examples.organization_list(), "A page of organisations.", ndjson=True)
    | LIST_ERRORS,
)
def list_organizations(
    request: Request,
    session: SessionDep,
    search: Search = "",
    full: Full = False,
    full_service: FullService = False,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    output: Format = "json",
) -> Response:
    def build(chunk: list[str]) -> list[Any]:
        found = feed.organisations(session, chunk)
        nested = full or full_service
        return [
            records.organization(
                org, feed.published_services_of(session, org) if nested else None, full_service=full_service
            )
            for org in found
        ]

    ids = feed.organisation_ids(session, search)
    return _listing(request, ids, page, per_page, output, build, catalogue.last_changed(session))


@router.get(
    "/organizations/{id}",
    summary="One organisation, with its services",
    response_model=models.Organization,
    responses=ok(models.Organization, examples.organization_full(), "The organisation.") | DETAIL_ERRORS,
)
def get_organization(
    request: Request, session: SessionDep, id: OrganisationId, full_service: FullService = False
) -> Response:
    organisation = feed.published_organisation(session, id)
    if organisation is None:
        raise NotFound(f"There is no organisation with the id '{id[:60]}'.", field="id")
    services = feed.published_services_of(session, organisation)
    changed = max([organisation.updated_at, *(records.last_modified(service) for service in services)])
    return cached_json(request, records.organization(organisation, services, full_service=full_service), changed)


@router.get(
    "/taxonomies",
    summary="Taxonomies: support types, audiences, delivery modes",
    response_model=models.TaxonomyPage,
    responses=ok(models.TaxonomyPage, examples.taxonomy_list(), "A page of taxonomies.", ndjson=True) | LIST_ERRORS,
)
def list_taxonomies(
    request: Request,
    search: Search = "",
    page: PageNumber = 1,
    per_page: PerPage = 50,
    output: Format = "json",
) -> Response:
    words = search.strip().lower()
    found = {taxonomies.taxonomy_id(v): v for v in VOCABULARIES if words in f"{v.name} {v.description}".lower()}
    build = lambda chunk: [taxonomies.taxonomy(found[taxonomy], with_terms=False) for taxonomy in chunk]  # noqa: E731
    return _listing(request, list(found), page, per_page, output, build, None)


@router.get(
    "/taxonomies/{id}",
    summary="One taxonomy, with its terms",
    response_model=models.Taxonomy,
    responses=ok(models.Taxonomy, examples.taxonomy_full(), "The taxonomy.") | DETAIL_ERRORS,
)
def get_taxonomy(request: Request, id: TaxonomyPathId) -> Response:
    vocabulary = taxonomies.vocabularies_by_id().get(id)
    if vocabulary is None:
        raise NotFound(f"There is no taxonomy with the id '{id[:60]}'.", field="id")
    return cached_json(request, taxonomies.taxonomy(vocabulary, with_terms=True), None)


@router.get(
    "/taxonomy_terms",
    summary="Taxonomy terms",
    response_model=models.TaxonomyTermPage,
    responses=ok(models.TaxonomyTermPage, examples.term_list(), "A page of terms.", ndjson=True) | LIST_ERRORS,
)
def list_taxonomy_terms(
    request: Request,
    search: Search = "",
    taxonomy_id: TaxonomyId = "",
    top_only: TopOnly = False,
    parent_id: ParentId = "",
    page: PageNumber = 1,
    per_page: PerPage = 50,
    output: Format = "json",
) -> Response:
    words = search.strip().lower()
    found = {
        term_id: (vocabulary, term)
        for term_id, (vocabulary, term) in taxonomies.terms_by_id().items()
        if (not taxonomy_id or taxonomies.taxonomy_id(vocabulary) == taxonomy_id)
        and (not top_only or term.parent is None)
        and (not parent_id or (term.parent is not None and taxonomies.term_id(vocabulary, term.parent) == parent_id))
        and words in f"{term.code} {term.label} {term.description}".lower()
    }
    build = lambda chunk: [taxonomies.taxonomy_term(*found[term_id]) for term_id in chunk]  # noqa: E731
    return _listing(request, list(found), page, per_page, output, build, None)


@router.get(
    "/taxonomy_terms/{id}",
    summary="One taxonomy term",
    response_model=models.TaxonomyTerm,
    responses=ok(models.TaxonomyTerm, examples.term(), "The term.") | DETAIL_ERRORS,
)
def get_taxonomy_term(request: Request, id: TermId) -> Response:
    found = taxonomies.terms_by_id().get(id)
    if found is None:
        raise NotFound(f"There is no taxonomy term with the id '{id[:60]}'.", field="id")
    return cached_json(request, taxonomies.taxonomy_term(*found), None)
