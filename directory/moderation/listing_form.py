"""The listing form shared by the public suggestion forms and the moderators' edit form: which fields it shows,
reading them from a POST, and turning the validator's problems into per-field messages. Plus the guards every
public form uses: a honeypot field and the client's address for rate limits (every request body's size and bytes
are checked before any route, in guard.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from directory.errors import InvalidListing
from directory.listings.checks import split_list
from directory.listings.fields import VOCABULARY_FIELDS, label

HONEYPOT = "fax_number"  # hidden from people by CSS; a bot that fills every field fills it
PUBLIC_FIELDS = (
    "organisation_name", "organisation_website", "organisation_description", "charity_number", "name",
    "description", "specificity", "support_types", "audiences", "delivery_modes", "service_area", "area_name",
    "area_postcodes", "address", "grounds_of", "town", "postcode", "phone", "email", "website", "opening_hours",
    "cost", "referral", "languages", "eligibility", "source_url",
)  # fmt: skip
MODERATOR_NEW_FIELDS = ("id", "organisation_id", *PUBLIC_FIELDS)
# Fields not on a form whose problems belong to one that is.
SHOWN_AS = {"id": "name", "organisation_id": "organisation_name", "latitude": "postcode", "longitude": "postcode"}


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def is_bot(form: FormData) -> bool:
    return bool(text(form, HONEYPOT))


def row_from_form(form: FormData, fields: tuple[str, ...]) -> dict[str, str]:
    """The listing cells the form sent (checkbox groups joined with ';', as in the CSV)."""
    row = {}
    for field in fields:
        if field in VOCABULARY_FIELDS:
            row[field] = ";".join(value for value in form.getlist(field)[:50] if isinstance(value, str))
        else:
            row[field] = text(form, field)
    return row


def form_values(row: Mapping[str, str]) -> dict[str, str | list[str]]:
    """Cells as the form template shows them: checkbox groups as lists of chosen codes."""
    return {field: (list(split_list(value)) if field in VOCABULARY_FIELDS else value) for field, value in row.items()}


def field_errors(invalid: InvalidListing, fields: tuple[str, ...]) -> dict[str, str]:
    """One plain message per field shown on the form, from the validator's problems."""
    errors: dict[str, str] = {}
    for problem in invalid.problems:
        field = problem.column if problem.column in fields else SHOWN_AS.get(problem.column, "")
        if field not in fields:
            field = fields[0]
        if problem.reason == "is required but empty":
            message = f"Enter the {label(problem.column).lower()}" if problem.column in fields else ""
            message = message or f"Enter the {label(field).lower()}"
        else:
            message = f"{label(problem.column)}: {problem.reason}"
        errors[field] = f"{errors[field]}. {message}" if field in errors else message
    return errors


def anchor(field: str) -> str:
    """Where an error summary link points: the field's input, or a checkbox group's first box."""
    if field in VOCABULARY_FIELDS:
        return f"{field}-{VOCABULARY_FIELDS[field].terms[0].code}"
    return field
