"""Result cards: what a search result or a browse entry shows of a service, read for a page of services in three
small queries (services, their terms, their places) instead of loading whole listings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from directory.listings import schedule_rows
from directory.listings.models import Location, Organisation, ScheduleRow, Service, ServiceAtLocation, ServiceTerm
from directory.listings.schedules import Schedule
from directory.listings.taxonomy import AUDIENCES, DELIVERY_MODES, SUPPORT_TYPES, Specificity


@dataclass(frozen=True)
class Place:
    """One of a service's locations, as a result list shows it."""

    address: str
    town: str
    postcode: str
    latitude: float
    longitude: float
    precision: str = "postcode"  # or "district" (a Northern Ireland postcode) or "town" (approximate)
    grounds_of: str = ""


@dataclass(frozen=True)
class Card:
    """What a list of results shows of a service, read without building ORM objects (search lists are hot)."""

    id: str
    name: str
    organisation_name: str
    description: str
    phone: str
    website: str
    service_area: str
    last_verified: date
    specificity: str
    area_name: str
    area_postcodes: str
    support_types: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    delivery_modes: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()
    closed_until: date | None = None
    schedules: tuple[Schedule, ...] = ()

    @property
    def specificity_label(self) -> str:
        return Specificity(self.specificity).label

    @property
    def delivery_labels(self) -> str:
        """'In person, Phone': how it can be used, as a card says it."""
        return DELIVERY_MODES.labels(self.delivery_modes)

    @property
    def area_label(self) -> str:
        """The area an area-limited service covers, as people read it: 'Inverclyde' or 'postcode areas PA15, PA16'."""
        codes = ", ".join(code for code in self.area_postcodes.split(";") if code)
        return self.area_name or f"postcode areas {codes}"


# Built once: a search page reads cards for every request, and building a statement costs more than running it.
IDS: BindParameter[list[str]] = bindparam("ids", expanding=True)
_CARD_COLUMNS = (Service.id, Service.name, Organisation.name, Service.description, Service.phone, Service.website,
                 Service.service_area, Service.last_verified, Service.specificity, Service.area_name,
                 Service.area_postcodes, Service.closed_until)  # fmt: skip
_PLACE_COLUMNS = (ServiceAtLocation.service_id, Location.address, Location.town, Location.postcode,
                  Location.latitude, Location.longitude, Location.precision, Location.grounds_of)  # fmt: skip
_SERVICE_ROWS = sa_select(*map(col, _CARD_COLUMNS)).join(Organisation).where(col(Service.id).in_(IDS))
_TERMS = sa_select(col(ServiceTerm.service_id), col(ServiceTerm.vocabulary), col(ServiceTerm.code)).where(
    col(ServiceTerm.service_id).in_(IDS)
)
_SCHEDULES = select(ScheduleRow).where(col(ScheduleRow.service_id).in_(IDS))
_PLACES = (
    sa_select(*map(col, _PLACE_COLUMNS))
    .join(Location)
    .where(col(ServiceAtLocation.service_id).in_(IDS), col(Location.latitude).is_not(None))
)


def cards(session: Session, service_ids: list[str], *, with_places: bool = False) -> list[Card]:
    """Cards for these services, in the order given, in three or four small queries."""
    if not service_ids:
        return []
    ids = {"ids": service_ids}
    rows: dict[str, Any] = {row[0]: row for row in session.execute(_SERVICE_ROWS, ids)}
    codes: dict[tuple[str, str], list[str]] = {}
    for service_id, vocabulary, code in session.execute(_TERMS, ids):
        codes.setdefault((service_id, vocabulary), []).append(code)
    places: dict[str, list[Place]] = {}
    if with_places:
        for service_id, *place in session.execute(_PLACES, ids):
            places.setdefault(service_id, []).append(Place(*place))
    timetables = _schedules(session, ids)
    return [
        _card(
            rows[service_id],
            support_types=tuple(SUPPORT_TYPES.with_parents(codes.get((service_id, SUPPORT_TYPES.id), []))),
            audiences=tuple(AUDIENCES.with_parents(codes.get((service_id, AUDIENCES.id), []))),
            delivery_modes=tuple(DELIVERY_MODES.with_parents(codes.get((service_id, DELIVERY_MODES.id), []))),
            places=tuple(places.get(service_id, ())),
            schedules=timetables.get(service_id, ()),
        )  # fmt: skip
        for service_id in service_ids
        if service_id in rows
    ]


def _card(row: Any, **found: Any) -> Card:
    """A card from a row of the columns read in cards(), and what was read for it beside."""
    id_, name, organisation, description, phone, website, area, checked, specificity, area_name, codes, closed = row
    return Card(id_, name, organisation, description, phone, website, area, checked, specificity, area_name, codes,
                closed_until=closed, **found)  # fmt: skip


def _schedules(session: Session, ids: dict[str, list[str]]) -> dict[str, tuple[Schedule, ...]]:
    rows: dict[str, list[ScheduleRow]] = {}
    for row in session.exec(_SCHEDULES, params=ids):
        rows.setdefault(row.service_id, []).append(row)
    return {service_id: schedule_rows.from_rows(found) for service_id, found in rows.items()}


def summary(description: str, limit: int = 130) -> str:
    """What a service offers: its first sentence, cut to fit a printed sheet (at a clause if one ends late enough)."""
    first = re.split(r"(?<=[.!?])\s+", description.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    clause_ends = [match.start() for match in re.finditer(r"[,;:]\s", cut) if match.start() >= limit * 0.6]
    return (cut[: clause_ends[-1]] if clause_ends else cut).rstrip(",;:") + "…"
