"""CSRF protection for every form that changes state.

Each browser gets a random secret in an HttpOnly, SameSite=Lax cookie; forms carry an HMAC of it made with the app's
SECRET_KEY (`{{ csrf_field() }}` in templates), masked with a fresh random pad on every page, so that compressed
pages never repeat a secret an attacker could recover byte by byte from their sizes (BREACH). A POST without a
matching token is refused with 403 and changes nothing: routes that change state declare
`dependencies=[CSRFProtected]`. The JSON API under /api/ has no forms, and gets no cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Depends, Request
from markupsafe import Markup, escape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory.errors import DirectoryError

COOKIE = "csrf"
FIELD = "csrf_token"


class CSRFRefused(DirectoryError):
    status_code = 403
    title = "This form has expired"


def _secret(request: Request) -> str:
    return request.scope.setdefault("state", {}).get("csrf_secret") or request.cookies.get(COOKIE, "")


def token_for(request: Request) -> str:
    secret_key = request.app.state.settings.secret_key.encode()
    return hmac.new(secret_key, _secret(request).encode(), hashlib.sha256).hexdigest()


def masked(token: str) -> str:
    """The token XORed with a random pad, pad first: a different string on every page, the same token inside."""
    pad = secrets.token_bytes(len(token) // 2)
    return (pad + bytes(a ^ b for a, b in zip(bytes.fromhex(token), pad, strict=True))).hex()


def unmasked(sent: str) -> str:
    """The token inside a masked one (a plain token, as a script may send in X-CSRF-Token, is returned as it is)."""
    try:
        data = bytes.fromhex(sent)
    except ValueError:
        return sent
    if len(data) != 2 * hashlib.sha256().digest_size:
        return sent
    half = len(data) // 2
    return bytes(a ^ b for a, b in zip(data[half:], data[:half], strict=True)).hex()


def csrf_field(request: Request) -> Markup:
    """The hidden field, masked once per response: a results page has a form on every card, and one pad per
    page is what keeps the token from being read through compression."""
    state = request.scope.setdefault("state", {})
    if (field := state.get("csrf_field")) is None:
        field = Markup(f'<input type="hidden" name="{FIELD}" value="{escape(masked(token_for(request)))}">')
        state["csrf_field"] = field
    return field


async def require_csrf(request: Request) -> None:
    form = await request.form()
    sent = str(form.get(FIELD, "") or request.headers.get("x-csrf-token", ""))
    if not request.cookies.get(COOKIE) or not hmac.compare_digest(unmasked(sent), token_for(request)):
        raise CSRFRefused(
            "This form could not be sent because it was open too long or cookies are blocked. "
            "Go back, reload the page and try again.",
            field=FIELD,
        )


CSRFProtected = Depends(require_csrf)


class CSRFCookieMiddleware:
    """Gives each browser its CSRF secret the first time it visits a page."""

    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = Request(scope).cookies
        if cookies.get(COOKIE) or scope["path"].startswith("/api/") or scope["path"] == "/api":
            await self.app(scope, receive, send)
            return
        secret = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_secret"] = secret
        secure = "; Secure" if self.secure or scope.get("scheme") == "https" else ""

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax{secure}"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
