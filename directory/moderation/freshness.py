"""Keeping listings fresh: which listings are stale, and organisations confirming their own listing.

A listing is stale when it was last checked more than STALE_AFTER_DAYS ago (`staleness.stale_cutoff`, the same rule
search ranks by). A moderator can give a listing's contact a private link, signed with SECRET_KEY and expiring
after CONFIRMATION_LINK_DAYS, that shows the listing and lets them say it is still accurate (marked checked today,
audited) or open the prefilled change form.

A link is single-use without storing anything: it holds the listing's id and version, and is signed with the time
it was made. Once the organisation has confirmed through it (an audit event after that time) it says so kindly;
once the listing has changed since (a newer version) the link is superseded and says that instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from directory.errors import DirectoryError, NotFound
from directory.listings import audit, catalogue
from directory.listings.models import AuditEvent, Organisation, Service
from directory.listings.staleness import stale_cutoff

CONFIRMATION_SALT = "listing-confirmation"
SECONDS_PER_DAY = 86_400


class LinkExpired(DirectoryError):
    status_code = 410
    title = "This link has expired"


class LinkUsed(DirectoryError):
    status_code = 410
    title = "This link has already been used"


class LinkSuperseded(DirectoryError):
    status_code = 410
    title = "This link is out of date"


@dataclass(frozen=True)
class StaleListing:
    id: str
    name: str
    organisation_name: str
    email: str
    last_verified: date
    days_since_checked: int


def stale_listings(session: Session, *, today: date, stale_after_days: int) -> list[StaleListing]:
    """Active listings not checked since the cutoff, the longest unchecked first."""
    rows = session.execute(
        sa_select(col(Service.id), col(Service.name), col(Organisation.name), col(Service.email),
                  col(Service.last_verified))
        .join(Organisation)
        .where(col(Service.status) == "active", col(Service.last_verified) < stale_cutoff(today, stale_after_days))
        .order_by(col(Service.last_verified), col(Service.id))
    ).all()  # fmt: skip
    return [
        StaleListing(service_id, name, organisation, email, checked, days_since_checked=(today - checked).days)
        for service_id, name, organisation, email, checked in rows
    ]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=CONFIRMATION_SALT)


def confirmation_token(secret_key: str, service: Service) -> str:
    return _serializer(secret_key).dumps({"service": service.id, "version": service.version})


def service_for_token(session: Session, secret_key: str, token: str, *, max_age_days: int) -> Service:
    """The listing a confirmation link is for; a kind error if the link is forged, mangled, too old, already used
    or made for an earlier version of the listing."""
    try:
        payload, signed_at = _serializer(secret_key).loads(
            token[:500], max_age=max_age_days * SECONDS_PER_DAY, return_timestamp=True
        )
    except SignatureExpired:
        raise LinkExpired(
            f"This link is more than {max_age_days} days old, so it no longer works. Please ask us for a new one, or "
            "suggest a change from the listing's page.",
            field="token",
        ) from None
    except BadSignature:
        raise NotFound(
            "This link is not complete or not valid. Check that you copied all of it.", field="token"
        ) from None
    payload = payload if isinstance(payload, dict) else {}
    service = catalogue.require_service(session, str(payload.get("service")))
    if _confirmed_since(session, service.id, signed_at) is not None:
        raise LinkUsed(
            "Thank you: this link has already been used to tell us the listing is still accurate, so it cannot be "
            "used again. If something has changed since, please suggest a change from the listing's page.",
            field="token",
        )
    if payload.get("version") != service.version:
        raise LinkSuperseded(
            "The listing has been updated since this link was made, so the link no longer works. Please ask us for "
            "a new one, or suggest a change from the listing's page.",
            field="token",
        )
    return service


def _confirmed_since(session: Session, service_id: str, moment: datetime) -> AuditEvent | None:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return session.exec(
        select(AuditEvent).where(
            AuditEvent.service_id == service_id,
            AuditEvent.action == audit.AuditAction.CONFIRMED.value,
            col(AuditEvent.created_at) >= moment.replace(microsecond=0),
        )
    ).first()


def confirm_still_accurate(session: Session, service: Service, *, seen_version: int, today: date) -> AuditEvent | None:
    """The organisation says the listing they were shown is still right: mark it checked today (audited)."""
    service = audit.lock_service(session, service.id)
    if service.version != seen_version:
        raise audit.StaleVersion(
            "The listing changed after you opened this page. Please read it again before confirming it."
        )
    listing = replace(catalogue.listing_of(service), last_verified=today)
    actor = audit.Actor("The organisation, through a confirmation link")
    event = audit.publish(session, listing, action=audit.AuditAction.CONFIRMED, actor=actor)
    # Already checked today, so nothing changed: still record the answer (it is what makes the link single-use).
    return event or audit.record_unchanged(session, service, action=audit.AuditAction.CONFIRMED, actor=actor)
