"""Examples for the OpenAPI document, made by the real mapping code from one fictional listing, so they cannot
drift from what the API sends. Phone numbers are from Ofcom's range reserved for drama."""

from __future__ import annotations

from typing import Any

from directory.api.responses import envelope
from directory.listings.fictional import example_service
from directory.listings.taxonomy import SUPPORT_TYPES
from directory.openreferral import records, taxonomies


def page(contents: list[Any]) -> dict[str, Any]:
    return envelope(contents, len(contents), 1, 50)


def service_full() -> dict[str, Any]:
    return records.service_record(example_service(), records.Form.FULL)


def service_list() -> dict[str, Any]:
    return page([records.service_record(example_service(), records.Form.BASIC)])


def organization_full() -> dict[str, Any]:
    return records.organization(example_service().organisation, [example_service()])


def organization_list() -> dict[str, Any]:
    return page([records.organization(example_service().organisation)])


def service_at_location_full() -> dict[str, Any]:
    return records.service_at_location(example_service().service_at_locations[0], records.Form.FULL)


def service_at_location_list() -> dict[str, Any]:
    return page([records.service_at_location(example_service().service_at_locations[0], records.Form.BASIC)])


def taxonomy_full() -> dict[str, Any]:
    return taxonomies.taxonomy(SUPPORT_TYPES, with_terms=True)


def taxonomy_list() -> dict[str, Any]:
    return page([taxonomies.taxonomy(SUPPORT_TYPES, with_terms=False)])


def term() -> dict[str, Any]:
    return taxonomies.taxonomy_term(SUPPORT_TYPES, SUPPORT_TYPES.by_code()["counselling"])


def term_list() -> dict[str, Any]:
    return page([term()])
