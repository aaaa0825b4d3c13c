"""Search benchmark: synthetic directories of 1,000, 10,000 and 100,000 services over real UK coordinates.

Prints the median and 99th-percentile latency of `directory.search.search()` (all sizes in one process, taking
turns, so that the ratios between sizes hold on a machine whose speed drifts) and of the full HTTP search page
(uvicorn in its own process, pinned to one core where `taskset` exists) for a fixed set of queries, and, measured
in the same run, a plain page of the same app for comparison. Usage:

    .venv/bin/python bench/search_bench.py [--sizes 1000,10000,100000] [--repeat 30]

The shape of the synthetic directory follows the real one as it grows: a few hundred national and nation-wide
services, and local services (centres, groups, hospices) that multiply with size, each at a postcode district's
centre plus up to ~2 miles of jitter, with 1-3 support types, 1-2 audiences and 1-2 delivery modes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import insert
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from directory import db  # noqa: E402
from directory.geography import distance, gazetteer, geocoding  # noqa: E402
from directory.listings.models import Location, Organisation, Service, ServiceAtLocation, ServiceTerm, public_uuid  # noqa: E402
from directory.listings.taxonomy import AUDIENCES, SUPPORT_TYPES  # noqa: E402
from directory.search import engine  # noqa: E402
from directory.search.query import SearchQuery  # noqa: E402

NATIONAL_SERVICES = 200
NATION_SERVICES = 25  # per nation
QUERIES = [
    ("LS1 3EX", {}),
    ("G12 8QQ", {"support": ("emotional",)}),
    ("CF10 3AT", {"delivery": ("in-person",)}),
    ("BT9 7AB", {}),
    ("M1", {"support": ("practical", "family"), "delivery": ("phone", "online")}),
    ("B1 1BB", {"radius_miles": 50}),
    ("EH1", {"audience": ("partners-family",)}),
    ("TR1 2AA", {"radius_miles": 10}),
    ("SW1A 1AA", {"support": ("emotional",), "keywords": "counselling"}),
    ("IV2 3UJ", {"support": ("end-of-life",)}),
]


def build_directory(url: str, size: int, rng: random.Random) -> None:
    db.upgrade_database(url)
    engine = db.make_engine(url)
    districts = list(gazetteer.gazetteer().districts.values())
    support_codes = [term.code for term in SUPPORT_TYPES.terms]
    audience_codes = [term.code for term in AUDIENCES.terms]
    words = [
        "counselling",
        "drop-in",
        "benefits",
        "wigs",
        "family",
        "nurse",
        "group",
        "hospice",
        "therapies",
        "advice",
        "massage",
        "yoga",
        "walking",
        "grants",
        "carers",
        "children",
        "teenagers",
        "bereavement",
        "legal",
        "transport",
        "lymphoedema",
        "nutrition",
        "exercise",
        "art",
        "music",
        "mindfulness",
        "housing",
        "work",
        "travel",
        "insurance",
    ]
    services, terms, locations, links = [], [], [], []
    remote_count = min(size // 2, NATIONAL_SERVICES + 4 * NATION_SERVICES)
    areas = ["uk"] * NATIONAL_SERVICES + [
        n for n in ("england", "scotland", "wales", "northern-ireland") for _ in range(NATION_SERVICES)
    ]
    for index in range(size):
        service_id = f"svc-{index:06}"
        remote = index < remote_count
        delivery = (
            rng.sample(["phone", "online"], rng.randint(1, 2))
            if remote
            else (["in-person"] + rng.sample(["phone"], rng.randint(0, 1)))
        )
        services.append(dict(
            id=service_id, uuid=public_uuid("service", service_id), organisation_id="bench-org",
            name=f"Service {index}",
            description=f"Synthetic service offering {' and '.join(rng.sample(words, 3))}.", status="active",
            service_area=areas[index % len(areas)] if remote else "local", area_postcodes="", phone="01632 960000",
            email="", website="", opening_hours="", cost="free", referral="self", languages="", eligibility="",
            source_url="https://example.org", last_verified=date(2026, rng.randint(1, 11), 1), version=1,
            updated_at=db_now(),
        ))  # fmt: skip
        for vocabulary, codes in (("support-type", rng.sample(support_codes, rng.randint(1, 3))),
                                  ("audience", rng.sample(audience_codes, rng.randint(1, 2))),
                                  ("delivery-mode", delivery)):  # fmt: skip
            codes = SUPPORT_TYPES.with_parents(codes) if vocabulary == "support-type" else codes
            terms.extend(dict(service_id=service_id, vocabulary=vocabulary, code=code) for code in codes)
        if not remote:
            district = rng.choice(districts)
            location_id = f"{service_id}-location"
            latitude = district.latitude + rng.uniform(-0.03, 0.03)
            longitude = district.longitude + rng.uniform(-0.05, 0.05)
            locations.append(dict(
                id=location_id, uuid=public_uuid("location", location_id), organisation_id="bench-org",
                address="1 Synthetic Street", town="Town", postcode=f"{district.code} 1AA", latitude=latitude,
                longitude=longitude, nation=district.nation.value, geocoded=True,
                grid_cell=distance.grid_cell(latitude, longitude),
            ))  # fmt: skip
            links.append(dict(id=f"{service_id}-at", uuid=public_uuid("sal", service_id), service_id=service_id,
                              location_id=location_id))  # fmt: skip
    with db.session_scope(engine) as session:
        session.add(Organisation(id="bench-org", uuid=public_uuid("organisation", "bench-org"), name="Bench"))
        session.flush()
        for table, rows in (
            (Service, services),
            (ServiceTerm, terms),
            (Location, locations),
            (ServiceAtLocation, links),
        ):
            for start in range(0, len(rows), 20000):
                session.exec(insert(table), params=rows[start : start + 20000])  # type: ignore[call-overload]
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def db_now():  # type: ignore[no-untyped-def]
    from directory.db import utcnow

    return utcnow()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_functions(urls: dict[int, str], repeat: int) -> dict[int, list[float]]:
    """search() over each directory, the sizes taking turns query by query: a machine that speeds up or slows down
    during the run (as shared ones do) then weighs on every size alike, and their ratios hold."""
    geocoder = geocoding.OfflineGeocoder(gazetteer.gazetteer())
    places = {where: geocoding.resolve(where, geocoder) for where, _ in QUERIES}
    engines = {size: db.make_engine(url) for size, url in urls.items()}
    sessions = {size: Session(database) for size, database in engines.items()}
    samples: dict[int, list[float]] = {size: [] for size in urls}
    try:
        for round_ in range(repeat + 2):
            for where, options in QUERIES:
                for size, session in sessions.items():
                    started = time.perf_counter()
                    engine.search(session, places[where], SearchQuery(**options), stale_before=date(2025, 11, 25))  # type: ignore[arg-type]
                    if round_ >= 2:  # the first two rounds warm caches
                        samples[size].append((time.perf_counter() - started) * 1000)
    finally:
        for session in sessions.values():
            session.close()
        for database in engines.values():
            database.dispose()
    return samples


def query_string(where: str, options: dict) -> str:  # type: ignore[type-arg]
    params = [("location", where)]
    params += [("radius", str(options["radius_miles"]))] if "radius_miles" in options else []
    for key, name in (("support", "support"), ("delivery", "delivery"), ("audience", "audience")):
        params += [(name, code) for code in options.get(key, ())]
    params += [("q", options["keywords"])] if "keywords" in options else []
    return str(httpx.QueryParams(params))


def time_http(url: str, repeat: int) -> tuple[list[float], list[float]]:
    port = free_port()
    env = os.environ | {"DATABASE_URL": url, "IMPORT_BUNDLED_DATA": "false", "PORT": str(port), "ENVIRONMENT": "test",
                        "SECRET_KEY": "benchmark-secret-key-0123456789abcdef"}  # fmt: skip
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1 else []  # type: ignore[operator]
    server = subprocess.Popen([*pin, sys.executable, str(ROOT / "main.py")], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        search_samples, plain_samples = [], []
        with httpx.Client(base_url=base) as client:
            for _ in range(repeat + 2):
                for where, options in QUERIES:
                    search_samples.append(timed_get(client, "/search?" + query_string(where, options)))
                    plain_samples.append(timed_get(client, "/about"))
        return search_samples[2 * len(QUERIES) :], plain_samples[2 * len(QUERIES) :]
    finally:
        server.terminate()
        server.wait(timeout=10)


def timed_get(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(base: str) -> None:
    for _ in range(300):
        try:
            httpx.get(base + "/robots.txt", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        urls = {size: f"sqlite:///{Path(folder) / f'bench-{size}.db'}" for size in sizes}
        for size, url in urls.items():
            started = time.perf_counter()
            build_directory(url, size, random.Random(42))
            print(f"built {size:,} services in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        functions = time_functions(urls, args.repeat)
        for size, url in urls.items():
            page, plain = time_http(url, args.repeat)
            rows.append((size, 0.0, functions[size], page, plain))
    base_function = statistics.median(rows[0][2])
    print(
        "| services | search() p50 | search() p99 | search() cost vs smallest"
        " | HTTP /search p50 | HTTP /search p99 | HTTP /about p50 | /search ÷ /about |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, _, function, page, plain in rows:
        print(
            f"| {size:,} | {statistics.median(function):.2f} ms | {percentile(function, 0.99):.2f} ms"
            f" | {statistics.median(function) / base_function:.2f}x | {statistics.median(page):.2f} ms"
            f" | {percentile(page, 0.99):.2f} ms | {statistics.median(plain):.2f} ms"
            f" | {statistics.median(page) / statistics.median(plain):.2f}x |"
        )


if __name__ == "__main__":
    main()
