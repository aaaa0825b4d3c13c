"""Signposting pages: the shortlist a nurse builds while she searches, its support sheet (a page to print and a PDF),
and the read-only copies behind share links.

The list lives in a signed, HttpOnly cookie; every change is a POST form with a CSRF token, answered with a 303 back
to the page the nurse was on, because the service ships no JavaScript. The list page itself is one form
(`/list/update`), so a note typed there is saved whichever button is pressed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlmodel import Session

from directory.csrf import CSRFProtected
from directory.db import SessionDep
from directory.errors import DirectoryError
from directory.signposting import documents, share_codes, shared_lists, sheets, shortlists
from directory.signposting.shortlists import Shortlist
from directory.web.errors import error_response
from directory.web.rendering import now, public_base_url, render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

COOKIE = "shortlist"
MAX_RETURN_PATH = 2000


def current_shortlist(request: Request) -> Shortlist:
    """The list in this browser's cookie (read once per request); raises TamperedList for a forged cookie."""
    shortlist: Shortlist | None = getattr(request.state, "shortlist", None)
    if shortlist is None:
        token = request.cookies.get(COOKIE, "")
        shortlist = shortlists.decode(token, request.app.state.settings.secret_key) if token else Shortlist()
        request.state.shortlist = shortlist
    return shortlist


ShortlistDep = Annotated[Shortlist, Depends(current_shortlist)]


def shortlist_count(request: Request) -> int:
    """For the header on every page: a forged cookie counts as empty here, and is refused on the list's own pages."""
    try:
        return len(current_shortlist(request))
    except shortlists.TamperedList:
        return 0


def safe_return_path(value: str) -> str:
    """Only a path on this site: never another site's address (an open redirect), never a protocol-relative one."""
    parts = urlsplit(value)
    local = value.startswith("/") and not value.startswith(("//", "/\\")) and not parts.scheme and not parts.netloc
    if not local or len(value) > MAX_RETURN_PATH or any(ord(character) < 32 for character in value):
        return "/list"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def redirect_with(request: Request, shortlist: Shortlist, location: str) -> RedirectResponse:
    """303 to `location`, keeping the changed list in the cookie (or dropping the cookie when the list is empty)."""
    response = RedirectResponse(location, status_code=303)
    settings = request.app.state.settings
    if not shortlist.service_ids and not shortlist.note:
        response.delete_cookie(COOKIE, path="/")
        return response
    secure = public_base_url(request).startswith("https://") or request.url.scheme == "https"
    response.set_cookie(COOKIE, shortlists.encode(shortlist, settings.secret_key), path="/", httponly=True,
                        samesite="lax", secure=secure)  # fmt: skip
    return response


def render_list(request: Request, session: Session, shortlist: Shortlist, *, status: int = 200,
                error: DirectoryError | None = None, typed_note: str | None = None) -> HTMLResponse:  # fmt: skip
    listed = sheets.entries(session, shortlist)
    link = shared_lists.share_url(public_base_url(request), shortlist.code) if shortlist.code else ""
    text = sheets.plain_text(listed, note=shortlist.note, made_on=date.today(), now=now(request), link=link)
    return render(request, "signposting/list.html", status, shortlist=shortlist, entries=listed, error=error,
                  note=shortlist.note if typed_note is None else typed_note, text=text,
                  share=documents.sharing(request, shortlist.code, text), limits=shortlists)  # fmt: skip


@router.get("/list")
def list_page(request: Request, session: SessionDep, shortlist: ShortlistDep) -> HTMLResponse:
    return render_list(request, session, shortlist)


@router.post("/list/add", dependencies=[CSRFProtected])
def add_to_list(
    request: Request,
    session: SessionDep,
    shortlist: ShortlistDep,
    service_id: Annotated[str, Form(max_length=shortlists.MAX_ID_LENGTH)],
    return_to: Annotated[str, Form()] = "/list",
) -> RedirectResponse:
    updated = shortlists.add_service(session, shortlist, service_id)
    return redirect_with(request, updated, f"{safe_return_path(return_to)}#shortlist-{service_id}")


@router.post("/list/remove", dependencies=[CSRFProtected])
def remove_from_list(
    request: Request, shortlist: ShortlistDep, service_id: Annotated[str, Form(max_length=200)]
) -> RedirectResponse:
    return redirect_with(request, shortlists.remove(shortlist, service_id), "/list#list-heading")


@router.post("/list/move", dependencies=[CSRFProtected])
def move_in_list(
    request: Request,
    shortlist: ShortlistDep,
    service_id: Annotated[str, Form(max_length=200)],
    direction: Annotated[str, Form(pattern="^(up|down)$")],
) -> RedirectResponse:
    updated = shortlists.move(shortlist, service_id, -1 if direction == "up" else 1)
    return redirect_with(request, updated, f"/list#shortlist-{service_id}")


@router.post("/list/note", dependencies=[CSRFProtected], response_model=None)
def save_note(
    request: Request, session: SessionDep, shortlist: ShortlistDep, note: Annotated[str, Form()] = ""
) -> Response:
    try:
        updated = shortlists.with_note(shortlist, note)
        return redirect_with(request, updated, "/list#note-heading")
    except (shortlists.NoteTooLong, shortlists.ListTooLarge) as error:
        return render_list(request, session, shortlist, status=error.status_code, error=error, typed_note=note)


@router.post("/list/update", dependencies=[CSRFProtected], response_model=None)
def update_list(
    request: Request,
    session: SessionDep,
    shortlist: ShortlistDep,
    note: Annotated[str, Form()] = "",
    action: Annotated[str, Form(max_length=shortlists.MAX_ID_LENGTH + 10)] = "save",
) -> Response:
    """The list page's one form: the note is saved first, whichever button was pressed, then the button's action."""
    try:
        updated = shortlists.with_note(shortlist, note)
    except (shortlists.NoteTooLong, shortlists.ListTooLarge) as error:
        return render_list(request, session, shortlist, status=error.status_code, error=error, typed_note=note)
    verb, _, service_id = action.partition(":")
    if verb in ("up", "down") and service_id:
        return move_in_list(request, updated, service_id, verb)
    if verb == "remove" and service_id:
        return remove_from_list(request, updated, service_id)
    if verb == "share" and not service_id:
        return share_list(request, session, updated)
    if verb in SHEETS and not service_id:
        return redirect_with(request, updated, SHEETS[verb])
    if verb == "save" and not service_id:
        return redirect_with(request, updated, "/list#note-heading")
    raise DirectoryError("Choose one of the buttons on the list page.", field="action")


SHEETS = {"sheet": "/list/sheet", "sheet-large": "/list/sheet?size=large"}


@router.post("/list/clear", dependencies=[CSRFProtected])
def clear_list(request: Request) -> RedirectResponse:
    return redirect_with(request, Shortlist(), "/list")


@router.post("/list/share", dependencies=[CSRFProtected])
def share_list(request: Request, session: SessionDep, shortlist: ShortlistDep) -> RedirectResponse:
    if not shortlist.service_ids:
        raise DirectoryError("Your list is empty. Add a service to your list before you share it.", field="shortlist")
    updated = shared_lists.share(session, shortlist, today=date.today())
    return redirect_with(request, updated, "/list#share-heading")


@router.get("/list/sheet")
def list_sheet(request: Request, session: SessionDep, shortlist: ShortlistDep, size: str = "") -> HTMLResponse:
    return HTMLResponse(documents.sheet_html(request, session, shortlist, made_on=date.today(), back="/list",
                                   large=size == "large"))  # fmt: skip


@router.get("/l/{code}", response_model=None)
def shared_list(request: Request, session: SessionDep, code: str) -> Response:
    copy = shared_lists.open_shared(session, code)
    canonical = share_codes.format_code(copy.shortlist.code)
    if code != canonical:
        return RedirectResponse(f"/l/{canonical}", status_code=301)
    listed = sheets.entries(session, copy.shortlist)
    link = shared_lists.share_url(public_base_url(request), copy.shortlist.code)
    text = sheets.plain_text(listed, note=copy.shortlist.note, made_on=copy.created_on, now=now(request), link=link)
    return render(request, "signposting/shared.html", copy=copy, entries=listed, text=text,
                  share=documents.sharing(request, copy.shortlist.code, text))  # fmt: skip


@router.get("/l/{code}/sheet")
def shared_sheet(request: Request, session: SessionDep, code: str, size: str = "") -> HTMLResponse:
    copy = shared_lists.open_shared(session, code)
    back = f"/l/{share_codes.format_code(copy.shortlist.code)}"
    return HTMLResponse(documents.sheet_html(request, session, copy.shortlist, made_on=copy.created_on, back=back,
                                   large=size == "large"))  # fmt: skip


@router.get("/l/{code}/sheet.pdf")
def shared_sheet_pdf(request: Request, session: SessionDep, code: str, size: str = "") -> Response:
    copy = shared_lists.open_shared(session, code)
    large = size == "large"
    html = documents.sheet_html(request, session, copy.shortlist, made_on=copy.created_on, for_pdf=True, large=large)
    pdf = documents.pdf_of(html)
    filename = f"support-sheet-{share_codes.format_code(copy.shortlist.code)}{'-large-print' if large else ''}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})  # fmt: skip


@router.get("/l/{code}/text")
def shared_text(request: Request, session: SessionDep, code: str) -> PlainTextResponse:
    copy = shared_lists.open_shared(session, code)
    link = shared_lists.share_url(public_base_url(request), copy.shortlist.code)
    listed = sheets.entries(session, copy.shortlist)
    return PlainTextResponse(sheets.plain_text(listed, note=copy.shortlist.note, made_on=copy.created_on,
                                                    now=now(request), link=link))  # fmt: skip


@router.get("/list/calendar.ics", response_class=Response)
def list_calendar(request: Request, session: SessionDep, shortlist: ShortlistDep) -> Response:
    return documents.calendar_of(request, sheets.entries(session, shortlist), "support-list.ics")


@router.get("/l/{code}/calendar.ics", response_class=Response)
def shared_calendar(request: Request, session: SessionDep, code: str) -> Response:
    copy = shared_lists.open_shared(session, code)
    filename = f"support-list-{share_codes.format_code(copy.shortlist.code)}.ics"
    return documents.calendar_of(request, sheets.entries(session, copy.shortlist), filename)


def install(app: FastAPI) -> None:
    """Routes, the header's list count, and a forged cookie answered with a message and a fresh list."""
    app.include_router(router)
    app.state.templates.env.globals["shortlist_count"] = shortlist_count
    app.state.templates.env.globals["shortlist_ids"] = shortlist_ids
    app.state.templates.env.filters["web_address"] = sheets.web_address

    @app.exception_handler(shortlists.TamperedList)
    async def tampered_list(request: Request, exc: shortlists.TamperedList) -> Response:
        response = error_response(request, exc.status_code, exc.message, exc.field)
        response.delete_cookie(COOKIE, path="/")
        return response


def shortlist_ids(request: Request) -> tuple[str, ...]:
    """For 'Add to list' buttons: which services are in the list already (read once per page, not per button)."""
    state = request.scope.setdefault("state", {})
    if (ids := state.get("shortlist_ids")) is None:
        try:
            ids = current_shortlist(request).service_ids
        except shortlists.TamperedList:
            ids = ()
        state["shortlist_ids"] = ids
    return ids
