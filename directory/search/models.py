"""Anonymous search statistics: one row per search, no personal data."""

from datetime import date

from sqlmodel import Field, SQLModel


class SearchStat(SQLModel, table=True):
    """One search, anonymously: the outward code only, the filters, the result counts, the day. No IP, no cookie."""

    __tablename__ = "search_stat"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    outward_code: str = Field(index=True, max_length=4)
    support: str = Field(default="", max_length=300)
    delivery: str = Field(default="", max_length=60)
    audience: str = Field(default="", max_length=120)
    nearby_count: int
    remote_count: int
