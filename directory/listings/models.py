"""All tables, shaped to map onto Open Referral UK 3.0.

An organisation runs services; a service is delivered at locations (through service-at-location rows, as in ORUK)
and/or over a service area; it carries taxonomy terms (codes from `taxonomy.py`). Slugs are the stable public ids
people see in URLs; each record also has a UUID (derived from its slug) for the ORUK feed, whose ids are UUIDs.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Index, Text
from sqlmodel import Field, Relationship, SQLModel

from directory.db import utcnow
from directory.listings.schema import max_length

ID_NAMESPACE = uuid.UUID("6f0d3c52-5b8e-4c1a-9a7c-2f4f0e5b6d11")


def public_uuid(kind: str, slug: str) -> str:
    """The stable UUID of a record: the same slug always gives the same UUID."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{slug}"))


class Organisation(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=max_length("organisation_id"))
    uuid: str = Field(unique=True, max_length=36)
    name: str = Field(max_length=max_length("organisation_name"))
    website: str = Field(default="", max_length=max_length("organisation_website"))
    description: str = Field(default="", max_length=max_length("organisation_description"))
    charity_number: str = Field(default="", max_length=max_length("charity_number"))
    updated_at: datetime = Field(default_factory=utcnow)

    services: list["Service"] = Relationship(back_populates="organisation")


class Service(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=max_length("id"))
    uuid: str = Field(unique=True, max_length=36)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=max_length("organisation_id"))
    name: str = Field(max_length=max_length("name"))
    description: str = Field(max_length=max_length("description"))
    status: str = Field(default="active", max_length=20)
    specificity: str = Field(default="anyone", index=True, max_length=max_length("specificity"))
    service_area: str = Field(index=True, max_length=max_length("service_area"))
    area_name: str = Field(default="", max_length=max_length("area_name"))
    area_postcodes: str = Field(default="", max_length=max_length("area_postcodes"))
    phone: str = Field(default="", max_length=max_length("phone"))
    email: str = Field(default="", max_length=max_length("email"))
    website: str = Field(default="", max_length=max_length("website"))
    opening_hours: str = Field(default="", max_length=max_length("opening_hours"))
    cost: str = Field(max_length=max_length("cost"))
    referral: str = Field(max_length=max_length("referral"))
    languages: str = Field(default="", max_length=max_length("languages"))
    eligibility: str = Field(default="", max_length=max_length("eligibility"))
    source_url: str = Field(max_length=max_length("source_url"))
    last_verified: date
    closed_until: date | None = None  # temporarily closed until this day (inclusive)
    version: int = Field(default=1)
    # The version the last CSV import left; a different `version` means moderation changed it since (importer.py).
    imported_version: int | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow, index=True)

    organisation: Organisation = Relationship(back_populates="services", sa_relationship_kwargs={"lazy": "selectin"})
    terms: list["ServiceTerm"] = Relationship(
        back_populates="service", sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )
    service_at_locations: list["ServiceAtLocation"] = Relationship(
        back_populates="service", sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )
    schedules: list["ScheduleRow"] = Relationship(
        back_populates="service",
        sa_relationship_kwargs={
            "cascade": "all, delete-orphan",
            "lazy": "selectin",
            "order_by": "ScheduleRow.position",
        },  # fmt: skip
    )

    def codes(self, vocabulary: str) -> list[str]:
        return [term.code for term in self.terms if term.vocabulary == vocabulary]

    @property
    def locations(self) -> list["Location"]:
        return [link.location for link in self.service_at_locations]


class ServiceTerm(SQLModel, table=True):
    """A service's taxonomy term: (vocabulary id, code) from taxonomy.py."""

    __tablename__ = "service_term"
    __table_args__ = (Index("ix_service_term_code", "vocabulary", "code", "service_id"),)

    service_id: str = Field(foreign_key="service.id", primary_key=True, max_length=120)
    vocabulary: str = Field(primary_key=True, max_length=30)
    code: str = Field(primary_key=True, max_length=40)

    service: Service = Relationship(back_populates="terms")


class Location(SQLModel, table=True):
    __table_args__ = (Index("ix_location_grid", "grid_cell", "latitude", "longitude"),)

    id: str = Field(primary_key=True, max_length=140)
    uuid: str = Field(unique=True, max_length=36)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=120)
    address: str = Field(default="", max_length=max_length("address"))
    grounds_of: str = Field(default="", max_length=max_length("grounds_of"))
    town: str = Field(default="", max_length=max_length("town"))
    postcode: str = Field(default="", max_length=max_length("postcode"))
    latitude: float | None = None
    longitude: float | None = None
    nation: str = Field(default="", index=True, max_length=20)
    grid_cell: int | None = Field(default=None)  # geo.grid_cell(latitude, longitude): the spatial index
    # True when latitude/longitude were worked out from the postcode rather than given in the listing.
    geocoded: bool = Field(default=True)
    # How exactly it is placed: "postcode" (its own postcode's point), "district" (a Northern Ireland postcode:
    # its district's centre) or "town" (no postcode on any page: the town's centre, shown as approximate).
    precision: str = Field(default="postcode", max_length=20)

    service_at_locations: list["ServiceAtLocation"] = Relationship(back_populates="location")


class ServiceAtLocation(SQLModel, table=True):
    __tablename__ = "service_at_location"

    id: str = Field(primary_key=True, max_length=160)
    uuid: str = Field(unique=True, max_length=36)
    service_id: str = Field(foreign_key="service.id", index=True, max_length=120)
    location_id: str = Field(foreign_key="location.id", index=True, max_length=140)

    service: Service = Relationship(back_populates="service_at_locations")
    location: Location = Relationship(back_populates="service_at_locations", sa_relationship_kwargs={"lazy": "joined"})


class ScheduleRow(SQLModel, table=True):
    """One rule of when a service meets or opens, shaped like Open Referral UK's `schedule` (iCalendar's RRULE):
    listings/schedules.py reads and writes them; times are UK local time."""

    __tablename__ = "schedule"

    id: str = Field(primary_key=True, max_length=140)
    uuid: str = Field(unique=True, max_length=36)
    service_id: str = Field(foreign_key="service.id", index=True, max_length=max_length("id"))
    position: int
    freq: str = Field(max_length=10)  # WEEKLY or MONTHLY
    interval: int = Field(default=1)
    byday: str = Field(default="", max_length=60)  # 'MO,TU' or '3TH'
    bymonthday: str = Field(default="", max_length=60)
    dtstart: date | None = None
    opens_at: str = Field(max_length=5)  # HH:MM
    closes_at: str = Field(max_length=5)  # HH:MM, or 24:00 for midnight at the end of the day
    valid_from: date | None = None
    valid_to: date | None = None
    attending_type: str = Field(max_length=20)  # in person, online or phone
    exdates: str = Field(default="", max_length=500)  # cancelled sessions, YYYY-MM-DD comma-separated
    rdates: str = Field(default="", max_length=500)  # extra or moved sessions
    description: str = Field(default="", max_length=100)

    service: Service = Relationship(back_populates="schedules")


class AuditEvent(SQLModel, table=True):
    """One published change to a listing: who, when, which submission, and the whole listing before and after
    (JSON rows), so any version can be shown and restored."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    service_id: str = Field(index=True, max_length=120)
    version: int  # the service's version after this change
    action: str = Field(max_length=30)
    actor: str = Field(max_length=300)
    moderator_id: int | None = Field(default=None, foreign_key="moderator.id")
    submission_id: int | None = Field(default=None, foreign_key="submission.id")
    note: str = Field(default="", sa_type=Text)
    before: str = Field(default="", sa_type=Text)
    after: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class ListingsVersion(SQLModel, table=True):
    """One row whose token changes in every transaction that changes what search reads of the listings (services,
    their terms, locations and links: listings/versioning.py), so each process knows when to rebuild its search
    index (search/index.py). A random token, not a counter: a rolled-back change never reuses a later one's."""

    __tablename__ = "listings_version"

    id: int = Field(default=1, primary_key=True)
    token: int = Field(default=0, sa_type=BigInteger)
