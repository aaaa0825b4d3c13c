"""Distances between points, geodesic, and the spatial grid that lets search read only the cells around a place."""

from __future__ import annotations

from functools import lru_cache

from geographiclib.geodesic import Geodesic

METRES_PER_MILE = 1609.344
QUARTER_MILE = 0.25


@lru_cache(maxsize=65_536)  # the same places and services meet again and again in searches
def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The geodesic distance on the WGS84 ellipsoid: what the page says and what the radius is applied to. The
    same figure as geopy's `geodesic(a, b).miles` (geopy computes it with geographiclib), asked for the distance
    only, which is twice as fast."""
    return float(Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"]) / METRES_PER_MILE


def describe_miles(miles: float) -> str:
    """Distances the NHS way, never '0 miles': 'less than a quarter of a mile', '0.4 miles', '1 mile', '12 miles'."""
    if miles < QUARTER_MILE:
        return "less than a quarter of a mile"
    if miles < 10:
        text = f"{round(miles, 1):.1f}".removesuffix(".0")
    else:
        text = str(round(miles))
    return f"{text} mile" if text == "1" else f"{text} miles"


GRID_LATITUDE_DEGREES = 0.05  # about 3.5 miles


GRID_LONGITUDE_DEGREES = 0.08  # about 3.3 miles at 54 degrees north


GRID_ROW = 1000


def grid_cell(latitude: float, longitude: float) -> int:
    """The number of the grid cell holding a point: row (latitude band) * 1000 + column (longitude band)."""
    return int(latitude // GRID_LATITUDE_DEGREES) * GRID_ROW + int((longitude + 12) // GRID_LONGITUDE_DEGREES)


def grid_ranges(south: float, north: float, west: float, east: float) -> list[tuple[int, int]]:
    """The cells covering a box, as one (first, last) range of cell numbers per latitude band."""
    first_column = int((west + 12) // GRID_LONGITUDE_DEGREES)
    last_column = int((east + 12) // GRID_LONGITUDE_DEGREES)
    rows = range(int(south // GRID_LATITUDE_DEGREES), int(north // GRID_LATITUDE_DEGREES) + 1)
    return [(row * GRID_ROW + first_column, row * GRID_ROW + last_column) for row in rows]
