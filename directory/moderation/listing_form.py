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
from directory.moderation import schedule_form

SCHEDULE_PROBLEM = (
    "Check when it meets or opens: each row needs its days, a from and a to time (from before to, like 09:30 and "
    "13:00) and how people attend; 'Every other week' also needs the date of one session"
)
HONEYPOT = "fax_number"  # hidden from people by CSS; a bot that fills every field fills it
PUBLIC_FIELDS = (
    "organisation_name", "organisation_website", "organisation_description", "charity_number", "name",
    "description", "specificity", "support_types", "audiences", "delivery_modes", "service_area", "area_name",
    "area_postcodes", "address", "grounds_of", "town", "postcode", "phone", "email", "website", "opening_hours",
    "schedules", "closed_until", "cost", "referral", "languages", "eligibility", "source_url",
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
        elif field == "schedules":
            row[field] = schedule_form.cell_from_form(form)
        else:
            row[field] = text(form, field)
    return row


def form_values(row: Mapping[str, str]) -> dict[str, object]:
    """Cells as the form template shows them: checkbox groups as lists of chosen codes, schedules as rows."""
    values: dict[str, object] = {
        field: (list(split_list(value)) if field in VOCABULARY_FIELDS else value) for field, value in row.items()
    }
    values["schedule_rows"] = schedule_form.rows_for(row.get("schedules", ""))
    return values


def field_errors(invalid: InvalidListing, fields: tuple[str, ...]) -> dict[str, str]:
    """One plain message per field shown on the form, from the validator's problems."""
    errors: dict[str, str] = {}
    for problem in invalid.problems:
        field = problem.column if problem.column in fields else SHOWN_AS.get(problem.column, "")
        if field not in fields:
            field = fields[0]
        if problem.column == "schedules":
            message = SCHEDULE_PROBLEM
        elif problem.reason.startswith("is required"):
            message = missing(problem.column if problem.column in fields else field)
            if problem.reason != "is required but empty":  # 'is required for a service delivered in person'
                message += f" ({problem.reason.replace('is required', 'needed', 1)})"
        else:
            message = f"{label(problem.column)}: {problem.reason}"
        errors[field] = f"{errors[field]}. {message}" if field in errors else message
    return errors


MISSING = {
    "organisation_name": "Enter the organisation's name",
    "name": "Enter the service's name",
    "description": "Say what the service offers",
    "specificity": "Choose who the service is specifically for",
    "support_types": "Choose at least one kind of support",
    "audiences": "Choose who the service is for",
    "delivery_modes": "Choose how people can use the service",
    "service_area": "Choose where the service is available",
    "area_name": "Enter the name of the area the service covers",
    "area_postcodes": "Enter the postcode areas the service covers",
    "town": "Enter the town or city",
    "postcode": "Enter the postcode",
    "source_url": "Enter the web page where the details can be checked",
}


def missing(field: str) -> str:
    """What to do about an empty required field, in words that read well whatever its label."""
    return MISSING.get(field) or f"Fill in '{label(field)}'"


def anchor(field: str) -> str:
    """Where an error summary link points: the field's input, or a checkbox group's first box."""
    if field == "schedules":
        return "schedule-1-week"
    if field in VOCABULARY_FIELDS:
        return f"{field}-{VOCABULARY_FIELDS[field].terms[0].code}"
    return field
