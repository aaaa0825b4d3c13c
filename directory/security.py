"""Middleware that keeps people safe: strict security headers on every response, and an access log without
query strings (they carry postcodes typed in a cancer context)."""

from __future__ import annotations

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
# The interactive API docs page loads its own bundled assets; it gets a policy of its own below.
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "permissions-policy": "geolocation=(), camera=(), microphone=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}

access_log = logging.getLogger("directory.access")
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def escape_for_log(text: str) -> str:
    """Control characters (and the backslash) as escapes: a CR/LF in a URL cannot write a forged log line."""
    return UNPRINTABLE.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, extra_headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = {**SECURITY_HEADERS, **(extra_headers or {})}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                for name, value in self.headers.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if https:
                    headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PathOnlyAccessLogMiddleware:
    """Logs method, path and status only: never the query string, the client address or a cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %s %.1fms", scope["method"], escape_for_log(scope["path"]), status, elapsed_ms)
