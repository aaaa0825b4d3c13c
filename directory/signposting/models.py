"""Saved shortlists behind share links: service ids in order and the note. No personal data."""

from datetime import date

from sqlalchemy import Text
from sqlmodel import Field, SQLModel


class SharedList(SQLModel, table=True):
    """A saved shortlist behind a share link: service ids in order and the nurse's note. No personal data."""

    __tablename__ = "shared_list"

    code: str = Field(primary_key=True, max_length=16)  # unguessable, shown as e.g. 7KX3-9QFD-2M
    service_ids: str = Field(sa_type=Text)  # JSON array, in the nurse's order
    note: str = Field(default="", sa_type=Text)
    created_on: date  # the day only
