"""The public's forms: suggest a new service, suggest a change to a listing, report a problem in one step, and the
submitter's private status page. No account is needed; each submission gets a reference and an unguessable page.

Every POST is size-limited, CSRF-protected, rate-limited per address (SUBMISSION_LIMIT_PER_HOUR, in memory per
process) and has a honeypot field: a form with it filled in is thanked and thrown away.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from directory.csrf import CSRFProtected
from directory.db import SessionDep
from directory.errors import DirectoryError, InvalidListing
from directory.listings import audit, catalogue
from directory.listings.models import Service
from directory.moderation import decisions, ratelimit, schedule_form, states, submissions
from directory.moderation.listing_form import (
    PUBLIC_FIELDS,
    FormDep,
    anchor,
    client_ip,
    field_errors,
    form_values,
    is_bot,
    row_from_form,
    text,
)
from directory.web.rendering import now, render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
SECONDS_PER_HOUR = 3600
TOPICS = list(states.ReportTopic)
TEMPLATE_GLOBALS = {
    "REPORT_TOPICS": TOPICS,  # the one-step report form is on every service page
    "SCHEDULE_WEEKS": schedule_form.WEEKS,
    "SCHEDULE_DAYS": schedule_form.DAY_CHOICES,
    "SCHEDULE_ATTENDING": schedule_form.ATTENDING,
}


def _window(request: Request) -> ratelimit.SlidingWindow:
    limit = request.app.state.settings.submission_limit_per_hour
    return ratelimit.window_for(request.app.state, "submissions", limit, SECONDS_PER_HOUR)


def reserve_submission(request: Request) -> None:
    """Count this submission before it is stored (atomically), so parallel requests cannot pass the limit."""
    if not _window(request).reserve(client_ip(request)):
        raise ratelimit.TooManyAttempts(
            "Thank you for your help. You have sent a lot of suggestions from this network in the last hour, so "
            "we cannot take another just now. Please try again in an hour."
        )


def release_submission(request: Request) -> None:
    """A form sent back with errors stored nothing: it does not count against the limit."""
    _window(request).release(client_ip(request))


def _sent(submission_token: str) -> Response:
    return RedirectResponse(f"/submissions/{submission_token}?sent=1", status_code=303)


def _form_page(
    request: Request,
    template: str,
    status: int,
    row: dict[str, str],
    errors: dict[str, str],
    message: str,
    **extra: object,
) -> HTMLResponse:
    summary = [(anchor(field), error) for field, error in errors.items()]
    return render(request, template, status, values=form_values(row), errors=errors, summary=summary,
                  message=message, fields=PUBLIC_FIELDS, **extra)  # fmt: skip


@router.get("/suggest")
def suggest_new_service_form(request: Request) -> HTMLResponse:
    return _form_page(request, "moderation/new.html", 200, {}, {}, "")


@router.post("/suggest", dependencies=[CSRFProtected])
def suggest_new_service(request: Request, session: SessionDep, form: FormDep) -> Response:
    reserve_submission(request)
    if is_bot(form):
        return render(request, "moderation/thanks.html")
    row, message = row_from_form(form, PUBLIC_FIELDS), text(form, "message")
    try:
        submission = submissions.submit_new_service(session, row, message=message, today=date.today())
    except InvalidListing as invalid:
        release_submission(request)
        return _form_page(request, "moderation/new.html", 422, row, field_errors(invalid, PUBLIC_FIELDS), message)
    except DirectoryError as error:
        release_submission(request)
        return _form_page(request, "moderation/new.html", 422, row, {error.field or "message": error.message}, message)
    return _sent(submission.status_token)


@router.get("/services/{service_id}/suggest")
def suggest_change_form(request: Request, session: SessionDep, service_id: str) -> HTMLResponse:
    service = catalogue.require_service(session, service_id)
    row = audit.listing_row(catalogue.listing_of(service))
    return _form_page(request, "moderation/change.html", 200, row, {}, "", service=service)


@router.post("/services/{service_id}/suggest", dependencies=[CSRFProtected])
def suggest_change(request: Request, session: SessionDep, service_id: str, form: FormDep) -> Response:
    service = catalogue.require_service(session, service_id)
    reserve_submission(request)
    if is_bot(form):
        return render(request, "moderation/thanks.html")
    row, message = row_from_form(form, PUBLIC_FIELDS), text(form, "message")
    try:
        submission = submissions.submit_change(session, service, row, message=message, today=date.today())
    except InvalidListing as invalid:
        release_submission(request)
        errors = field_errors(invalid, PUBLIC_FIELDS)
        return _form_page(request, "moderation/change.html", 422, row, errors, message, service=service)
    except DirectoryError as error:
        release_submission(request)
        errors = {error.field or "message": error.message}
        return _form_page(request, "moderation/change.html", 422, row, errors, message, service=service)
    return _sent(submission.status_token)


@router.get("/services/{service_id}/report")
def report_form(request: Request, session: SessionDep, service_id: str) -> HTMLResponse:
    service = catalogue.require_service(session, service_id)
    return render(request, "moderation/report.html", service=service, topics=TOPICS, topic="", message="", error=None)


@router.post("/services/{service_id}/report", dependencies=[CSRFProtected])
def report(request: Request, session: SessionDep, service_id: str, form: FormDep) -> Response:
    service = catalogue.require_service(session, service_id)
    reserve_submission(request)
    if is_bot(form):
        return render(request, "moderation/thanks.html")
    topic, message = text(form, "topic"), text(form, "message")
    try:
        submission = submissions.submit_report(session, service, topic, message=message)
    except DirectoryError as error:
        release_submission(request)
        return render(request, "moderation/report.html", 422, service=service, topics=TOPICS, topic=topic,
                      message=message, error=error)  # fmt: skip
    return _sent(submission.status_token)


@router.get("/services/{service_id}/cancelled")
def cancelled_session_form(request: Request, session: SessionDep, service_id: str) -> HTMLResponse:
    service = catalogue.require_service(session, service_id)
    return _cancelled_page(request, service, 200, choice="", message="", error=None)


@router.post("/services/{service_id}/cancelled", dependencies=[CSRFProtected])
def report_cancelled_session(request: Request, session: SessionDep, service_id: str, form: FormDep) -> Response:
    service = catalogue.require_service(session, service_id)
    reserve_submission(request)
    if is_bot(form):
        return render(request, "moderation/thanks.html")
    choice, message = text(form, "session"), text(form, "message")
    try:
        submission = submissions.submit_cancelled_session(session, service, choice, message=message, now=now(request))
    except DirectoryError as error:
        release_submission(request)
        return _cancelled_page(request, service, 422, choice=choice, message=message, error=error)
    return _sent(submission.status_token)


def _cancelled_page(request: Request, service: Service, status: int, **context: object) -> HTMLResponse:
    sessions = submissions.cancellable_sessions(service, now(request))
    return render(request, "moderation/cancelled.html", status, service=service, sessions=sessions, **context)


@router.get("/submissions/{token}")
def status_page(request: Request, session: SessionDep, token: str, sent: bool = False) -> HTMLResponse:
    submission = submissions.find_by_token(session, token)
    review = decisions.review(session, submission)
    response = render(request, "moderation/status.html", submission=submission, review=review, sent=sent,
                      proposed=audit.from_json(submission.proposed), Status=states.SubmissionStatus,
                      Kind=states.SubmissionKind, Topic=states.ReportTopic)  # fmt: skip
    response.headers["x-robots-tag"] = "noindex"
    return response
