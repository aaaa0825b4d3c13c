"""Bad bytes and oversized bodies are refused at the edge, before any route, form parser or query sees them.

A NUL byte reaches PostgreSQL as an error inside the driver, and CR/LF in a path can forge log lines, so control
characters are refused everywhere: in the path, in the query string (after percent-decoding) and in form fields
(tab, CR and LF are allowed in form fields: a textarea sends them). Every request body is limited to
MAX_BODY_BYTES, streamed or not. Refusals are kind pages or JSON errors (made by the `reject` callable the app
passes in), so this module knows nothing of templates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 100_000  # the longest listing, escaped, is well under this
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, LF and CR allowed in a form's text
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BAD_BYTES_MESSAGE = (
    "What was sent contains a hidden control character (such as a NUL byte), which we cannot accept. "
    "Please type it again, or copy it from somewhere else."
)
TOO_LARGE_MESSAGE = "That is more than this form accepts. Please shorten what you wrote and try again."

Reject = Callable[[Request, int, str, str | None], Awaitable[Response] | Response]


class Refused(Exception):
    def __init__(self, status: int, message: str, field: str | None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def check_target(scope: Scope) -> None:
    """The path and the query string, percent-decoded, hold no control character."""
    if CONTROL.search(scope.get("path", "")):
        raise Refused(400, BAD_BYTES_MESSAGE, "path")
    query = scope.get("query_string", b"")
    if query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
            if CONTROL.search(name) or CONTROL.search(value):
                raise Refused(400, BAD_BYTES_MESSAGE, name if not CONTROL.search(name) else "query")
        if CONTROL.search(unquote_to_bytes(query).decode("latin-1")):
            raise Refused(400, BAD_BYTES_MESSAGE, "query")


def check_body(content_type: str, body: bytes) -> None:
    """Form fields and JSON strings hold no control character but tab, CR and LF."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
            if CONTROL_IN_TEXT.search(name) or CONTROL_IN_TEXT.search(value):
                raise Refused(400, BAD_BYTES_MESSAGE, name)
    elif content_type.startswith("application/json"):
        if CONTROL_BYTES.search(body) or _json_has_control(body):
            raise Refused(400, BAD_BYTES_MESSAGE, "body")
    elif CONTROL_BYTES.search(body):
        raise Refused(400, BAD_BYTES_MESSAGE, "body")


def _json_has_control(body: bytes) -> bool:
    if b"\\u" not in body:
        return False  # a control character in JSON text is either a raw byte (checked) or a \u escape
    try:
        return _has_control(json.loads(body))
    except ValueError:
        return False  # malformed JSON is the route's to refuse


def _has_control(value: object) -> bool:
    if isinstance(value, str):
        return bool(CONTROL_IN_TEXT.search(value))
    if isinstance(value, dict):
        return any(_has_control(key) or _has_control(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_control(item) for item in value)
    return False


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp, *, reject: Reject, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.reject = reject
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_target(scope)
            if scope["method"] in ("GET", "HEAD", "OPTIONS"):
                await self.app(scope, receive, send)
                return
            body = await self._read_body(scope, receive)
            check_body(_header(scope, b"content-type"), body)
        except Refused as refused:
            await self._refuse(scope, send, refused)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > self.max_body_bytes:
            raise Refused(413, TOO_LARGE_MESSAGE, None)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise Refused(413, TOO_LARGE_MESSAGE, None)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _refuse(self, scope: Scope, send: Send, refused: Refused) -> None:
        safe_scope = dict(scope, path=CONTROL.sub("", scope["path"]), query_string=b"")
        if refused.status == 400 and safe_scope["path"].startswith("/api/"):
            refused.status = 422  # the API's documented answer to a parameter that breaks its schema
        request = Request(safe_scope)
        response = self.reject(request, refused.status, refused.message, refused.field)
        if not isinstance(response, Response):
            response = await response
        response.headers["connection"] = "close"
        await response(safe_scope, _no_body, send)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _replay(body: bytes, original: Receive) -> Receive:
    """The body already read, then the real channel again (which reports the client disconnecting)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
