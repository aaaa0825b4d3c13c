"""The optional full-postcode table (`directory postcodes load`)."""

from sqlmodel import Field, SQLModel


class Postcode(SQLModel, table=True):
    """Full postcodes with their own coordinates, loaded by `directory postcodes load` (optional precision)."""

    postcode: str = Field(primary_key=True, max_length=8)
    latitude: float
    longitude: float
