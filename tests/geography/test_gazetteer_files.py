"""Checks on the committed offline gazetteer (data/gazetteer/*.csv).

The shape tests need only the standard library. ``test_build_check`` regenerates the
files with scripts/build_gazetteer.py --check and is skipped when the pinned build
packages are not installed (they are build-only, not app dependencies).
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import math
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GAZ = ROOT / "data" / "gazetteer"
SCRIPT = ROOT / "scripts" / "build_gazetteer.py"

NATIONS = {"england", "scotland", "wales", "northern-ireland"}
# UK outward code: area (1-2 letters) + district number (1-2 digits) or digit + letter.
OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
COORD_RE = re.compile(r"^-?[0-9]{1,2}\.[0-9]{5}$")


def _read(name: str) -> tuple[list[str], list[dict]]:
    with open(GAZ / name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@cache
def districts() -> dict[str, dict]:
    header, rows = _read("postcode_districts.csv")
    assert header == ["district", "latitude", "longitude", "nation"]
    by_code = {r["district"]: r for r in rows}
    assert len(by_code) == len(rows), "duplicate districts"
    return by_code


@cache
def places() -> list[dict]:
    header, rows = _read("places.csv")
    assert header == ["name", "nation", "latitude", "longitude", "population", "district", "near"]
    return rows


def km(a: dict, b: dict) -> float:
    la1, lo1, la2, lo2 = (
        math.radians(float(x)) for x in (a["latitude"], a["longitude"], b["latitude"], b["longitude"])
    )
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))


def place(name: str, nation: str | None = None) -> dict:
    found = [p for p in places() if p["name"] == name and (nation is None or p["nation"] == nation)]
    assert len(found) == 1, (name, nation, found)
    return found[0]


def test_district_rows_shape():
    rows = districts()
    assert 2800 <= len(rows) <= 3200
    for code, r in rows.items():
        assert OUTWARD_RE.match(code), code
        assert r["nation"] in NATIONS, r
        assert COORD_RE.match(r["latitude"]) and COORD_RE.match(r["longitude"]), r
        lat, lon = float(r["latitude"]), float(r["longitude"])
        assert 49.8 < lat < 60.9 and -8.7 < lon < 1.8, r  # UK bounding box
        assert (r["nation"] == "northern-ireland") == code.startswith("BT"), r
    assert set(r["nation"] for r in rows.values()) == NATIONS


def test_district_file_is_sorted_and_small():
    raw = (GAZ / "postcode_districts.csv").read_bytes()
    assert b"\r" not in raw and len(raw) < 500_000
    key = lambda c: (re.match(r"[A-Z]+", c).group(), int(re.search(r"[0-9]+", c).group()), c)  # noqa: E731
    codes = list(districts())
    assert codes == sorted(codes, key=key)


@pytest.mark.parametrize(
    "code,nation,town,max_km",
    [
        ("LS1", "england", "Leeds", 3),
        ("G12", "scotland", "Glasgow", 6),
        ("CF10", "wales", "Cardiff", 3),
        ("BT9", "northern-ireland", "Belfast", 5),
        ("SW1A", "england", "London", 3),
        ("EC1A", "england", "London", 4),
        ("AB10", "scotland", "Aberdeen", 3),
        ("EH1", "scotland", "Edinburgh", 3),
    ],
)
def test_known_districts(code, nation, town, max_km):
    d = districts()[code]
    assert d["nation"] == nation
    assert km(d, place(town)) < max_km


def test_all_bt_districts_present():
    bt = {c for c in districts() if c.startswith("BT")}
    assert {f"BT{i}" for i in range(1, 50)} <= bt
    assert {"BT60", "BT71", "BT74", "BT82", "BT92", "BT94"} <= bt


def test_border_districts():
    d = districts()
    assert d["NP20"]["nation"] == "wales"  # Newport
    assert d["LL57"]["nation"] == "wales"  # Bangor, Gwynedd
    assert d["TD1"]["nation"] == "scotland"  # Galashiels
    assert d["CA1"]["nation"] == "england"  # Carlisle
    assert d["DG1"]["nation"] == "scotland"  # Dumfries


def test_sw1a_1aa_conversion_check_value():
    # Buckingham Palace postcode converts to (-0.14159, 51.50101); district centroid is close.
    d = districts()["SW1A"]
    assert km(d, {"latitude": 51.50101, "longitude": -0.14159}) < 2


def test_place_rows_shape():
    rows = places()
    assert 4000 <= len(rows) <= 5500
    raw = (GAZ / "places.csv").read_bytes()
    assert b"\r" not in raw and len(raw) < 1_000_000
    dists = districts()
    big = {p["name"] for p in rows if int(p["population"]) >= 20000}
    names = collections.Counter(p["name"].casefold() for p in rows)
    for p in rows:
        assert p["name"] and p["name"] == p["name"].strip(), p
        assert p["nation"] in NATIONS, p
        assert COORD_RE.match(p["latitude"]) and COORD_RE.match(p["longitude"]), p
        assert int(p["population"]) >= 0
        assert p["district"] in dists, p
        if p["nation"] == "northern-ireland":
            assert p["district"].startswith("BT"), p
        if names[p["name"].casefold()] > 1:
            assert p["near"] in big and p["near"].casefold() != p["name"].casefold(), p
        else:
            assert p["near"] == "", p
    assert set(p["nation"] for p in rows) == NATIONS


def test_places_sorted():
    rows = places()
    keys = [p["name"].casefold() for p in rows]
    assert keys == sorted(keys)


def test_bangor_twice_with_different_nations():
    bangors = [p for p in places() if p["name"] == "Bangor"]
    assert len(bangors) == 2
    assert {p["nation"] for p in bangors} == {"wales", "northern-ireland"}
    assert bangors[0]["near"] != bangors[1]["near"]
    by_nation = {p["nation"]: p for p in bangors}
    assert by_nation["wales"]["district"].startswith("LL")
    assert by_nation["northern-ireland"]["district"].startswith("BT")


def test_newport_disambiguation():
    newports = [p for p in places() if p["name"] == "Newport"]
    assert len(newports) >= 3
    assert len({p["near"] for p in newports}) == len(newports)
    assert any(p["near"] == "Telford" for p in newports)  # Newport, Shropshire


def test_big_places_have_districts_in_their_own_nation():
    for name, nation, area in [
        ("Leeds", "england", "LS"),
        ("Glasgow", "scotland", "G"),
        ("Cardiff", "wales", "CF"),
        ("Belfast", "northern-ireland", "BT"),
    ]:
        p = place(name)
        assert p["nation"] == nation
        assert re.match(rf"^{area}[0-9]", p["district"]), p
        assert districts()[p["district"]]["nation"] == nation


def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # stdlib-only at import time
    return mod


def test_build_check():
    mod = _build_module()
    missing = mod.check_pins()
    if missing:
        pytest.skip(
            "gazetteer build packages not installed (" + "; ".join(missing) + "); see "
            "scripts/build_gazetteer.py docstring"
        )
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
