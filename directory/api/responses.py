"""What every JSON API response shares: open CORS, validators for conditional GET, the ORUK page envelope, ndjson,
and the documented error shape.

A response's ETag is a hash of its body, so it changes exactly when what a consumer would receive changes;
Last-Modified is when the data behind it last changed. A request whose If-None-Match (or, without one,
If-Modified-Since) still holds gets 304 with no body.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Any, get_args

from fastapi import Request, Response
from pydantic import BaseModel, Field, TypeAdapter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory.db import utcnow

NDJSON = "application/x-ndjson"
CACHE_CONTROL = "public, no-cache"  # keep a copy, but check with us (cheaply, by ETag) before using it
# When nothing in the database says otherwise (an empty directory, or the vocabularies shipped with the code).
STARTED = utcnow().replace(microsecond=0)
API_PATHS = ("/api/", "/openapi.json")
OPEN_DATA_PATHS = ("/api/oruk/", "/api/v1/", "/openapi.json")  # public, cacheable, the same for everyone
PRIVATE_API_PATHS = ("/api/moderation/",)  # moderators' own JSON: no CORS, never stored by a cache


class CorsMiddleware:
    """`Access-Control-Allow-Origin: *` on every open-data response (errors and 304s too), and CORS preflight
    answers: the data is open, needs no key, and any web page may read it (no credentials are ever allowed).
    Open-data responses set no cookies (the CSRF cookie is for forms): a shared cache must never hand one person's
    cookie to another. Private JSON (the moderators' API) gets no CORS at all, and `Cache-Control: no-store`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PATHS):
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith(PRIVATE_API_PATHS)
        open_data = scope["path"].startswith(OPEN_DATA_PATHS)
        if not private and scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method"):
            await self._preflight(send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _cors_headers(list(message.get("headers", [])), open_data, private)
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    async def _preflight(send: Send) -> None:
        headers = [
            (b"access-control-allow-origin", b"*"),
            (b"access-control-allow-methods", b"GET, OPTIONS"),
            (b"access-control-allow-headers", b"If-None-Match, If-Modified-Since"),
            (b"access-control-max-age", b"86400"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _cors_headers(headers: list[tuple[bytes, bytes]], open_data: bool, private: bool) -> list[tuple[bytes, bytes]]:
    dropped = {b"access-control-allow-origin"} | {b"cache-control" if private else b"set-cookie" if open_data else b""}
    kept = [(name, value) for name, value in headers if name.lower() not in dropped]
    if private:
        return [*kept, (b"cache-control", b"no-store")]
    exposed = (b"access-control-expose-headers", b"ETag, Last-Modified")
    return [*kept, (b"access-control-allow-origin", b"*"), exposed]


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope.get("headers", []) if key.lower() == name), None)


# --- Conditional GET ---------------------------------------------------------------------------------------------


def cached(request: Request, body: bytes, media_type: str, last_modified: datetime | None) -> Response:
    """The body with an ETag and Last-Modified; 304 Not Modified when the request's validators still hold."""
    changed = (last_modified or STARTED).astimezone(UTC).replace(microsecond=0)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(changed, usegmt=True),
        "Cache-Control": CACHE_CONTROL,
    }
    if _still_fresh(request, etag, changed):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def cached_json(request: Request, payload: Any, last_modified: datetime | None) -> Response:
    """The payload as JSON, through the route's declared `response_model`: what the OpenAPI document describes is
    what is served, checked by pydantic (a record that breaks its model is an error, never sent)."""
    return cached(request, serialised(payload, declared(request)), "application/json", last_modified)


def cached_ndjson(request: Request, records: Iterable[Any], last_modified: datetime | None) -> Response:
    """One JSON record per line: every result at once, without pages (ORUK's `format=ndjson`), each through the
    declared page model's item model."""
    item = _item_shape(declared(request))
    body = b"".join(serialised(record, item) + b"\n" for record in records)
    return cached(request, body, NDJSON, last_modified)


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def declared(request: Request) -> Any:
    """The route's `response_model` (None for routes that declare none)."""
    return getattr(request.scope.get("route"), "response_model", None)


def serialised(payload: Any, shape: Any) -> bytes:
    """JSON of the payload validated as `shape`, with no field it leaves out added (models' optional fields are
    left out, never null); without a shape, as it is."""
    if shape is None:
        return dumps(payload)
    adapter = _adapter(shape)
    return adapter.dump_json(adapter.validate_python(payload), exclude_unset=True)


@lru_cache(maxsize=64)
def _adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


def _item_shape(shape: Any) -> Any:
    """The model of one item of a page model (its `items: list[...]`)."""
    fields = getattr(shape, "model_fields", {})
    return get_args(fields["items"].annotation)[0] if "items" in fields else None


def _still_fresh(request: Request, etag: str, changed: datetime) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:  # it takes precedence over If-Modified-Since (RFC 9110, 13.2.2)
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored, as the standard says
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return changed <= since


# --- Pages -------------------------------------------------------------------------------------------------------


def page_slice(ids: list[str], page: int, per_page: int) -> list[str]:
    return ids[(page - 1) * per_page : page * per_page]


def envelope(contents: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    """ORUK's page envelope; `size` is the number of records on this page."""
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


# --- Documented responses ----------------------------------------------------------------------------------------


class Problem(BaseModel):
    status: int = Field(description="The HTTP status code.", examples=[422])
    field: str | None = Field(
        default=None, description="The parameter that needs fixing, when there is one.", examples=["per_page"]
    )
    message: str = Field(
        description="What is wrong, in plain English.",
        examples=["'per_page': Input should be less than or equal to 200"],
    )


class Problems(BaseModel):
    """Every error is JSON: one or more problems, each naming the parameter where there is one."""

    errors: list[Problem]


Responses = dict[int | str, dict[str, Any]]


def _error(description: str, status: int, field: str, message: str) -> dict[str, Any]:
    example = {"errors": [{"status": status, "field": field, "message": message}]}
    return {
        "model": Problems,
        "description": description,
        "content": {"application/json": {"example": example}},
    }


VALIDATORS = {
    "ETag": {
        "description": "A hash of the body: send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When the data behind this response last changed.",
        "schema": {"type": "string"},
    },
}
NOT_MODIFIED: Responses = {
    304: {
        "description": "Not modified: the copy you have (by If-None-Match or If-Modified-Since) is "
        "still current. No body.",
        "headers": VALIDATORS,
    }
}
INVALID: Responses = {
    422: _error("A parameter is not valid.", 422, "per_page", "'per_page': Input should be less than or equal to 200")
}
NOT_FOUND: Responses = {404: _error("There is no such record.", 404, "id", "There is no service with the id '...'.")}
BAD_REQUEST: Responses = {
    400: _error(
        "The request cannot be answered as it stands.",
        400,
        "radius",
        "Choose a distance of 5, 10, 25, 50, 100 miles.",
    )
}


def ok(model: Any, example: Any, description: str, *, ndjson: bool = False) -> Responses:
    """A documented 200 (JSON, and ndjson where the list can be streamed) with its headers and an example."""
    content: dict[str, Any] = {"application/json": {"example": example}}
    if ndjson:
        content[NDJSON] = {
            "schema": {"type": "string"},
            "example": dumps(example["contents"][0]).decode() + "\n",
        }
    return {200: {"model": model, "description": description, "headers": VALIDATORS, "content": content}}


def merged(*parts: Responses) -> Responses:
    """Several documented responses as one `responses=` argument."""
    return {status: response for part in parts for status, response in part.items()}
