"""Property-based tests of every operation in the app's own OpenAPI document (schemathesis): for the generated
requests, valid and invalid, the API never fails with a 500, answers valid requests, rejects invalid ones with a 4xx,
and every response matches what the document promises (status, content type, headers, body). Hypothesis makes 100
examples per operation, and schemathesis adds its own boundary and negative cases: every operation with parameters
gets well over 100 requests; one without parameters (the exports, the root) has only a few distinct ones to make.

SQLite with the bundled directory: real records, so detail endpoints and place searches find things."""

from __future__ import annotations

import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from directory.app import create_app
from tests.conftest import make_settings

EXAMPLES_PER_OPERATION = 100

# Built when the module is collected, because schemathesis makes one test per operation from the schema. The app
# starts as in production: its lifespan migrates the new SQLite file and imports the bundled data.
_database = tempfile.TemporaryDirectory(prefix="schemathesis-")
app = create_app(make_settings(f"sqlite:///{_database.name}/directory.db", import_bundled_data=True))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_operation_keeps_its_promises(case: schemathesis.Case) -> None:
    # A suggestion's cross-field rules (an in-person service needs an address, a real postcode...) are the
    # validator's, not the schema's: schema-valid junk is rightly refused with 422, which the check would flag.
    excluded = [positive_data_acceptance] if case.method == "POST" else []
    case.call_and_validate(excluded_checks=excluded)


def test_every_api_operation_is_in_the_document() -> None:
    """The run above covers the whole API: nothing under /api/ is left out of the OpenAPI document."""
    paths = set(schema.raw_schema["paths"])
    assert {
        "/api/oruk/",
        "/api/oruk/services",
        "/api/oruk/services/{id}",
        "/api/oruk/service_at_locations",
        "/api/oruk/service_at_locations/{id}",
        "/api/oruk/organizations",
        "/api/oruk/organizations/{id}",
        "/api/oruk/taxonomies",
        "/api/oruk/taxonomies/{id}",
        "/api/oruk/taxonomy_terms",
        "/api/oruk/taxonomy_terms/{id}",
        "/api/v1/search",
        "/api/v1/services/{id}",
        "/api/v1/export.csv",
        "/api/v1/export.json",
        "/api/v1/suggestions",
    } <= paths
