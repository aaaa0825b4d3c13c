"""Full-postcode precision (optional): load a postcode file into the database, and the geocoder that uses it.

Without a loaded file, postcodes are placed at their district's centre from the bundled gazetteer.
Accepted files: the ONS Postcode Directory (or any CSV with a header naming postcode and latitude/longitude
columns), or Ordnance Survey Code-Point Open (no header: postcode, quality, easting, northing), which needs
`pyproj` to convert eastings and northings.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from geopy.geocoders.base import Geocoder
from sqlalchemy import bindparam, delete, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from directory.geography import gazetteer, geocoding, postcodes
from directory.geography.models import Postcode
from directory.settings import Settings

POSTCODE_COLUMNS = ("pcds", "pcd", "postcode")
LATITUDE_COLUMNS = ("lat", "latitude")
LONGITUDE_COLUMNS = ("long", "lon", "longitude")
BATCH = 5000


class PostcodeFileError(Exception):
    pass


def geocoder_for(session: Session, settings: Settings) -> Geocoder:
    if settings.geocoder == "nominatim":
        return geocoding.online_geocoder(settings.nominatim_user_agent)
    return geocoding.OfflineGeocoder(gazetteer.gazetteer(), full_postcodes=lambda code: lookup(session, code))


_POINT = sa_select(col(Postcode.latitude), col(Postcode.longitude)).where(col(Postcode.postcode) == bindparam("code"))


def lookup(session: Session, postcode: str) -> tuple[float, float] | None:
    """A loaded postcode's point (a plain row, not an ORM object: every postcode search asks)."""
    row = session.connection().execute(_POINT, {"code": postcode}).first()
    return (row[0], row[1]) if row else None


def has_full_postcodes(session: Session) -> bool:
    return session.exec(select(Postcode.postcode).limit(1)).first() is not None


def read_postcode_file(path: Path) -> Iterator[tuple[str, float, float]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        first = file.readline()
        file.seek(0)
        if postcodes.normalise_postcode(first.split(",")[0].strip('"')):  # no header: Code-Point Open
            yield from _code_point_rows(csv.reader(file))
        else:
            yield from _ons_rows(csv.DictReader(file))


def _ons_rows(reader: csv.DictReader) -> Iterator[tuple[str, float, float]]:
    header = {name.lower(): name for name in reader.fieldnames or []}
    try:
        code = next(header[c] for c in POSTCODE_COLUMNS if c in header)
        lat = next(header[c] for c in LATITUDE_COLUMNS if c in header)
        lon = next(header[c] for c in LONGITUDE_COLUMNS if c in header)
    except StopIteration:
        raise PostcodeFileError("the header needs a postcode column (pcds) and lat and long columns") from None
    for row in reader:
        postcode = postcodes.normalise_postcode(row[code] or "")
        if postcode and row[lat] and row[lon] and float(row[lat]) < 99:  # ONSPD marks unknown places with 99.999999
            yield postcode, float(row[lat]), float(row[lon])


def _code_point_rows(reader: Iterable[list[str]]) -> Iterator[tuple[str, float, float]]:
    try:
        from pyproj import Transformer
    except ImportError:
        raise PostcodeFileError("Code-Point Open files need pyproj: pip install pyproj") from None
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    for row in reader:
        postcode = postcodes.normalise_postcode(row[0])
        if postcode and row[2].strip() and row[3].strip() and int(row[2]) > 0:
            longitude, latitude = to_wgs84.transform(float(row[2]), float(row[3]))
            yield postcode, round(latitude, 6), round(longitude, 6)


def load(session: Session, rows: Iterable[tuple[str, float, float]]) -> int:
    """Replace the postcode table with `rows`; returns how many were loaded."""
    session.exec(delete(Postcode))
    count, batch = 0, []
    for postcode, latitude, longitude in rows:
        batch.append({"postcode": postcode, "latitude": latitude, "longitude": longitude})
        if len(batch) == BATCH:
            session.exec(insert(Postcode), params=batch)
            count, batch = count + len(batch), []
    if batch:
        session.exec(insert(Postcode), params=batch)
        count += len(batch)
    return count
