"""Moderators' pages under /moderate: signing in and out, the review queue, and deciding a submission.

Every page but the sign-in page is behind `current_moderator` (declared on the router, so a new page cannot forget
it): without a session a page redirects to the sign-in page and a JSON route answers 401. Failed sign-ins are
limited per address (LOGIN_FAILURE_LIMIT in 15 minutes, in memory per process). When a decision fails (a conflict,
someone deciding first, a bad edit) the route rolls back before showing why, so nothing half-done is committed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from directory.csrf import CSRFProtected
from directory.db import SessionDep
from directory.errors import DirectoryError, InvalidListing
from directory.listings import audit
from directory.moderation import auth, decisions, ratelimit, states, submissions
from directory.moderation.listing_form import (
    MODERATOR_NEW_FIELDS,
    PUBLIC_FIELDS,
    FormDep,
    anchor,
    client_ip,
    field_errors,
    form_values,
    row_from_form,
    text,
)
from directory.moderation.models import Moderator
from directory.web.errors import error_response, wants_json
from directory.web.rendering import public_base_url, render

LOGIN_WINDOW_SECONDS = 15 * 60


def current_moderator(request: Request, session: SessionDep) -> Moderator:
    moderator = auth.moderator_for_token(session, request.cookies.get(auth.COOKIE, ""))
    if moderator is None:
        raise auth.LoginRequired("Please sign in to moderate the directory.")
    request.state.moderator = moderator
    return moderator


ModeratorDep = Annotated[Moderator, Depends(current_moderator)]
public_router = APIRouter(prefix="/moderate", default_response_class=HTMLResponse, include_in_schema=False)
router = APIRouter(
    prefix="/moderate", default_response_class=HTMLResponse, include_in_schema=False,
    dependencies=[Depends(current_moderator)],
)  # fmt: skip


def install_login_redirect(app: FastAPI) -> None:
    """Pages send a signed-out moderator to the sign-in page (and back afterwards); JSON routes answer 401."""

    @app.exception_handler(auth.LoginRequired)
    async def login_required(request: Request, exc: auth.LoginRequired) -> Response:
        if wants_json(request):
            return error_response(request, 401, exc.message)
        back = request.url.path if request.method == "GET" else "/moderate"
        return RedirectResponse(f"/moderate/login?next={quote(back)}", status_code=303)


def page(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
    response = render(request, template, status, **context)
    response.headers["cache-control"] = "no-store"
    return response


def actor(moderator: Moderator) -> audit.Actor:
    return audit.Actor(f"Moderator {moderator.email}", moderator.id)


def _safe_next(target: str) -> str:
    return target if target.startswith("/moderate") and "//" not in target and "\\" not in target else "/moderate"


def _login_window(request: Request) -> ratelimit.SlidingWindow:
    limit = request.app.state.settings.login_failure_limit
    return ratelimit.window_for(request.app.state, "login", limit, LOGIN_WINDOW_SECONDS)


@public_router.get("/login")
def login_form(request: Request, next: str = "/moderate", signed_out: bool = False) -> HTMLResponse:
    return page(request, "moderation/login.html", next=_safe_next(next), email="", error=None, signed_out=signed_out)


@public_router.post("/login", dependencies=[CSRFProtected])
def login(request: Request, session: SessionDep, form: FormDep) -> Response:
    window, address = _login_window(request), client_ip(request)
    if not window.reserve(address):  # counted before the slow password check, so parallel guesses cannot race it
        raise ratelimit.TooManyAttempts(
            "There have been too many failed attempts to sign in from your network. For your security, please wait "
            "15 minutes and try again."
        )
    email, target = text(form, "email")[:254], _safe_next(text(form, "next"))
    moderator = auth.authenticate(session, email, str(form.get("password", ""))[:1000])
    if moderator is None:
        error = DirectoryError("The email address or password is not right.", field="email")
        return page(request, "moderation/login.html", 401, next=target, email=email, error=error, signed_out=False)
    window.release(address)  # a successful sign-in is not a failed attempt
    settings = request.app.state.settings
    token = auth.start_session(session, moderator, hours=settings.moderator_session_hours)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        auth.COOKIE, token, max_age=settings.moderator_session_hours * 3600, path="/", httponly=True, samesite="lax",
        secure=public_base_url(request).startswith("https://") or request.url.scheme == "https",
    )  # fmt: skip
    return response


@router.post("/logout", dependencies=[CSRFProtected])
def logout(request: Request, session: SessionDep) -> Response:
    auth.end_session(session, request.cookies.get(auth.COOKIE, ""))
    response = RedirectResponse("/moderate/login?signed_out=true", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/")
    return response


@router.get("")
def queue(request: Request, session: SessionDep) -> HTMLResponse:
    pending = submissions.queue(session)
    names = {submission.id: audit.from_json(submission.proposed).get("name", "") for submission in pending}
    return page(request, "moderation/queue.html", submissions=pending, names=names, Kind=states.SubmissionKind)


def _review_page(
    request: Request, session: Session, reference: str, status: int = 200, error: DirectoryError | None = None,
    reason: str = "",
) -> HTMLResponse:  # fmt: skip
    submission = submissions.find_by_reference(session, reference)
    review = decisions.review(session, submission)
    return page(
        request, "moderation/review.html", status, review=review, submission=submission, error=error, reason=reason,
        proposed=audit.from_json(submission.proposed), Status=states.SubmissionStatus,
        Kind=states.SubmissionKind, Topic=states.ReportTopic,
    )  # fmt: skip


@router.get("/submissions/{reference}")
def review_submission(request: Request, session: SessionDep, reference: str) -> HTMLResponse:
    return _review_page(request, session, reference)


def _seen_version(form: object) -> int | None:
    value = text(form, "seen_version")  # type: ignore[arg-type]
    return int(value) if value.isdigit() else None


@router.post("/submissions/{reference}/approve", dependencies=[CSRFProtected])
def approve(request: Request, session: SessionDep, moderator: ModeratorDep, reference: str, form: FormDep) -> Response:
    submission = submissions.find_by_reference(session, reference)
    try:
        decisions.approve(
            session, submission, actor=actor(moderator), seen_version=_seen_version(form), today=date.today()
        )
    except DirectoryError as error:
        session.rollback()
        return _review_page(request, session, reference, error.status_code, error)
    return RedirectResponse(f"/moderate/submissions/{submission.reference}", status_code=303)


def _edit_fields(review: decisions.Review) -> tuple[str, ...]:
    return MODERATOR_NEW_FIELDS if review.kind is states.SubmissionKind.NEW_SERVICE else PUBLIC_FIELDS


def _edit_page(
    request: Request, review: decisions.Review, row: dict[str, str], seen_version: int | None,
    errors: dict[str, str], status: int = 200, problem: DirectoryError | None = None,
) -> HTMLResponse:  # fmt: skip
    summary = [(anchor(field), message) for field, message in errors.items()]
    if problem is not None:
        summary.insert(0, ("edit-heading", problem.message))
    return page(request, "moderation/edit.html", status, review=review, submission=review.submission,
                values=form_values(row), errors=errors, summary=summary, fields=_edit_fields(review),
                seen_version=seen_version)  # fmt: skip


@router.get("/submissions/{reference}/edit")
def edit_form(request: Request, session: SessionDep, reference: str) -> HTMLResponse:
    review = decisions.review(session, submissions.find_by_reference(session, reference))
    return _edit_page(request, review, review.merged, review.current_version, {})


@router.post("/submissions/{reference}/edit", dependencies=[CSRFProtected])
def edit_and_approve(
    request: Request, session: SessionDep, moderator: ModeratorDep, reference: str, form: FormDep
) -> Response:
    submission = submissions.find_by_reference(session, reference)
    fields = _edit_fields(decisions.review(session, submission))
    row, seen_version = row_from_form(form, fields), _seen_version(form)
    try:
        decisions.approve(session, submission, actor=actor(moderator), seen_version=seen_version, edited=row,
                           today=date.today())  # fmt: skip
    except InvalidListing as invalid:
        session.rollback()
        review = decisions.review(session, submissions.find_by_reference(session, reference))
        return _edit_page(request, review, row, seen_version, field_errors(invalid, fields), 422)
    except DirectoryError as error:
        session.rollback()
        review = decisions.review(session, submissions.find_by_reference(session, reference))
        return _edit_page(request, review, row, seen_version, {}, error.status_code, error)
    return RedirectResponse(f"/moderate/submissions/{submission.reference}", status_code=303)


@router.post("/submissions/{reference}/reject", dependencies=[CSRFProtected])
def reject(request: Request, session: SessionDep, moderator: ModeratorDep, reference: str, form: FormDep) -> Response:
    submission = submissions.find_by_reference(session, reference)
    try:
        decisions.reject(session, submission, moderator_id=moderator.id, reason=text(form, "reason"))
    except DirectoryError as error:
        session.rollback()
        return _review_page(request, session, reference, error.status_code, error, reason=text(form, "reason"))
    return RedirectResponse(f"/moderate/submissions/{submission.reference}", status_code=303)
