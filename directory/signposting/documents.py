"""What a list becomes to pass on: its share link (with e-mail, text and QR code), the support sheet (one HTML
document for the print page and the PDF, standard or large print) and the calendar of its services' sessions and
opening times."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlmodel import Session
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from directory.listings import calendar
from directory.settings import PROJECT_ROOT
from directory.signposting import share_codes, shared_lists, sheets
from directory.signposting.shortlists import Shortlist
from directory.web.rendering import calendar_response, now, public_base_url

SHEET_STYLESHEET = PROJECT_ROOT / "static" / "sheet.css"
MAX_MAILTO = 1800


def sharing(request: Request, code: str, text: str) -> dict[str, Any]:
    """The share link of a saved list, and ready-made e-mail and text-message links that carry it."""
    if not code:
        return {}
    link = shared_lists.share_url(public_base_url(request), code)
    message = f"Here is the list of support services we talked about: {link}"
    body = quote(f"{message}\n\n{text}")
    if len(body) > MAX_MAILTO:  # some e-mail apps cut longer links: then the share link alone
        body = quote(message)
    return {
        "code": share_codes.format_code(code),
        "link": link,
        "path": f"/l/{share_codes.format_code(code)}",
        "mailto": f"mailto:?subject={quote('Support services for you')}&body={body}",
        "sms": f"sms:?&body={quote(message)}",
        "qr": Markup(sheets.qr_code_svg(link)),
    }


def calendar_of(request: Request, listed: list[sheets.Entry], filename: str) -> Response:
    """One calendar with the sessions and opening times of every service on a list that has them."""
    base = public_base_url(request)
    found = [calendar.entry_of(entry.listing, base) for entry in listed if entry.listing and entry.listing.schedules]
    content = calendar.calendar_file(found, name="Support services", now=now(request),
                                     host=request.url.hostname or "")  # fmt: skip
    return calendar_response(content, filename)


def sheet_html(request: Request, session: Session, shortlist: Shortlist, *, made_on: date, back: str = "",
               for_pdf: bool = False, large: bool = False) -> str:  # fmt: skip
    """The support sheet as one HTML document, shared by the print page and the PDF; `large` is the large-print
    version (17 pt and more, as RNIB's clear print guidance asks for large print)."""
    templates = request.app.state.templates
    share = sharing(request, shortlist.code, "")
    return str(templates.env.get_template("signposting/sheet.html").render(
        request=request, entries=sheets.entries(session, shortlist), note=shortlist.note, made_on=made_on,
        share=share, back=back, for_pdf=for_pdf, now=now(request), large=large,
    ))  # fmt: skip


def pdf_of(html: str) -> bytes:
    no_fetching = URLFetcher(allowed_protocols=["data"])  # the sheet needs nothing from the network or the disk
    stylesheet = CSS(string=SHEET_STYLESHEET.read_text(encoding="utf-8"), url_fetcher=no_fetching)
    return HTML(string=html, url_fetcher=no_fetching).write_pdf(stylesheets=[stylesheet])
