"""The ORUK 3.0 JSON schemas (tests/openreferral/oruk_schema/) with a registry so that their $refs between files
resolve offline, and an assertion that a document is valid."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "oruk_schema"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"


@cache
def oruk_registry() -> Registry:  # type: ignore[type-arg]
    resources = [
        (
            SCHEMA_BASE + path.name,
            Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012),
        )
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return Registry().with_resources(resources)


def oruk_validator(name: str) -> Draft202012Validator:
    """A validator for one of the standard's schema files, formats (uuid, email...) checked."""
    return Draft202012Validator(
        {"$ref": SCHEMA_BASE + name},
        registry=oruk_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def assert_valid(document: object, schema_name: str) -> None:
    errors = sorted(oruk_validator(schema_name).iter_errors(document), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors[:10])
