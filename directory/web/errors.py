"""Errors, designed: each becomes a kind page for people, or a JSON body naming the field for the API."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory.errors import DirectoryError
from directory.security import escape_for_log
from directory.web.rendering import render

log = logging.getLogger(__name__)

TITLES = {
    400: "There is a problem with that request",
    401: "Please sign in",
    403: "You cannot do that",
    404: "Page not found",
    405: "That is not something this page can do",
    409: "Someone else changed this first",
    413: "That is too much to send",
    422: "There is a problem with what was entered",
    429: "Too many attempts",
    500: "Sorry, something went wrong on our side",
}


PAGE_MESSAGES = {
    404: "We could not find that page. Check the address, or use the links below.",
    405: "Please go back and try again.",
}
API_MESSAGES = {
    404: "There is no API endpoint at this address. Every endpoint is listed at /docs and /openapi.json.",
    405: "This endpoint does not answer that method: the Allow header lists those it does.",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str, field: str | None = None) -> Response:
    if wants_json(request):
        error = {"status": status, "message": message} | ({"field": field} if field else {})
        return JSONResponse({"errors": [error]}, status_code=status)
    title = TITLES.get(status, TITLES[400])
    return render(request, "errors/error.html", status, title=title, message=message, status=status, field=field)


def describe_validation(error: dict) -> tuple[str, str]:
    """A FastAPI validation error as (field name, plain-English message)."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body", "form")]
    field = location[0] if location else "request"
    return field, f"'{field}': {error.get('msg', 'is not valid')}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DirectoryError)
    async def directory_error(request: Request, exc: DirectoryError) -> Response:
        return error_response(request, exc.status_code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        described = [describe_validation(error) for error in exc.errors()]
        if wants_json(request):
            errors = [{"status": 422, "field": field, "message": message} for field, message in described]
            return JSONResponse({"errors": errors}, status_code=422)
        message = " ".join(message for _, message in described)
        return error_response(request, 422, f"Please check the address you followed. {message}", described[0][0])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = API_MESSAGES if wants_json(request) else PAGE_MESSAGES
        message = messages.get(exc.status_code, str(exc.detail))
        response = error_response(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response


class UnexpectedErrorMiddleware:
    """Turns an unexpected exception into the kind 500 page (or JSON error) inside the middleware stack, so that
    the security headers, CORS rules and access log apply to it too (Starlette's own handler sits outside them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("Unexpected error on %s %s", scope["method"], escape_for_log(scope["path"]))
            if started:
                raise
            response = error_response(Request(scope), 500, "Please try again in a few minutes.")
            await response(scope, receive, send)
