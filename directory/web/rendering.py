"""Templates: one Jinja2 environment with autoescaping always on, and the filters pages share."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from directory.csrf import csrf_field
from directory.settings import PROJECT_ROOT, Settings


def tel_href(number: str) -> str:
    """'0808 800 6000' -> 'tel:+448088006000' (a link phones can dial)."""
    digits = re.sub(r"[^0-9+]", "", number)
    if digits.startswith("0"):
        digits = "+44" + digits[1:]
    return f"tel:{digits}"


EMERGENCY_NUMBER = re.compile(r"(?<![\d+])(?<!\d )(999|111|116 ?123)(?!\s?\d)")


def emergency_links(text: str) -> Markup:
    """Free text (a listing's description, its hours) escaped, with 999, 111 and 116 123 made tel: links, so every
    emergency number on a page can be tapped."""
    return Markup(EMERGENCY_NUMBER.sub(
        lambda found: f'<a href="tel:{found[1].replace(" ", "")}">{found[1]}</a>', str(escape(text))
    ))  # fmt: skip


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def url_with(request: Request, **changes: Any) -> str:
    """The current page's URL with some query parameters replaced (for pagination and view switches)."""
    params = [(key, value) for key, value in request.query_params.multi_items() if key not in changes]
    params += [(key, str(value)) for key, value in changes.items() if value is not None]
    return str(request.url.path) + ("?" + urlencode(params) if params else "")


def make_templates(
    settings: Settings, *, globals_: Mapping[str, Any] | None = None, filters: Mapping[str, Any] | None = None
) -> Jinja2Templates:
    """The one template environment. Features pass in what their templates need (their vocabularies, labels and
    filters): this module knows none of them."""
    environment = Environment(
        loader=FileSystemLoader(PROJECT_ROOT / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=settings.environment == "development",  # elsewhere templates change only with a release
    )
    environment.filters.update(tel_href=tel_href, long_date=long_date, emergency_links=emergency_links,
                               **(filters or {}))  # fmt: skip
    environment.globals.update(
        csrf_field=pass_context(lambda context: csrf_field(context["request"])),
        settings=settings,
        url_with=url_with,
        **(globals_ or {}),
    )
    return Jinja2Templates(env=environment)


def public_base_url(request: Request) -> str:
    """Where links we hand out point: PUBLIC_BASE_URL, or else the address this request came to (so a service run
    on another port or host still gives working share links)."""
    configured: str = request.app.state.settings.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


def now(request: Request) -> datetime:
    """The time pages work from: the real clock in the app (`app.state.clock`), a frozen one in tests."""
    moment: datetime = request.app.state.clock()
    return moment


def calendar_response(content: bytes, filename: str) -> Response:
    """An .ics file that browsers download and calendar apps open."""
    return Response(content, media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})  # fmt: skip


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    context.setdefault("now", now(request))
    return templates.TemplateResponse(request, template, context, status_code=status_code)
