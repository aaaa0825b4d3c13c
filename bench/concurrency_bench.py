"""What the embedded default (SQLite) sustains: concurrent readers and writers against the real server.

Starts `python main.py` with the bundled data on a fresh SQLite file (or DATABASE_URL if given), then runs, one
after another, for a few seconds each:

  1. N clients doing keyword searches (readers; each search also writes its statistics row, after the page);
  2. the same readers while W clients send suggestions (writers: each a BEGIN IMMEDIATE transaction);
  3. the readers while `directory import` writes a 5,000-row file in one transaction in another process.

It prints requests per second, median and 99th-percentile latency, and every status code seen (a 5xx or a dropped
connection would be a failure). Usage:

    .venv/bin/python bench/concurrency_bench.py [--readers 20] [--writers 4] [--seconds 10]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from directory.listings.schema import COLUMNS  # noqa: E402
from tests.conftest import listing_row  # noqa: E402
from tests.served import free_port, service_env  # noqa: E402

SEARCHES = ["/search?location=LS1+3EX&q=support", "/search?location=G12+8QQ&q=cancer", "/search?location=CF10+1EP"]
SUGGESTION = {"organisation_name": "Load Test", "name": "Load Test Line", "description": "A fictional line.",
              "support_types": ["emotional"], "audiences": ["carers"], "delivery_modes": ["phone"],
              "service_area": "uk", "phone": "01632 960000", "source_url": "https://example.org"}  # fmt: skip


class Load:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.lock = threading.Lock()

    def note(self, status: str, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)

    def report(self, label: str, seconds: float) -> str:
        if not self.latencies:
            return f"{label}: no requests"
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (f"{label}: {len(ordered) / seconds:.0f} requests/s, p50 {statistics.median(ordered) * 1000:.0f} ms, "
                f"p99 {p99 * 1000:.0f} ms, statuses {dict(sorted(self.statuses.items()))}")  # fmt: skip


def _client_loop(url: str, stop: threading.Event, load: Load, send: object) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        number = 0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status = str(send(client, number))  # type: ignore[operator]
            except httpx.HTTPError as error:
                status = type(error).__name__
            load.note(status, time.perf_counter() - started)
            number += 1


def _search(client: httpx.Client, number: int) -> int:
    return client.get(SEARCHES[number % len(SEARCHES)]).status_code


def _suggest(client: httpx.Client, number: int) -> int:
    return client.post("/api/v1/suggestions", json=SUGGESTION | {"name": f"Load Test Line {number}"}).status_code


def run_phase(
    url: str, readers: int, writers: int, seconds: float, during: subprocess.Popen[bytes] | None = None
) -> tuple[Load, Load]:
    stop, reads, writes = threading.Event(), Load(), Load()
    threads = [threading.Thread(target=_client_loop, args=(url, stop, reads, _search)) for _ in range(readers)]
    threads += [threading.Thread(target=_client_loop, args=(url, stop, writes, _suggest)) for _ in range(writers)]
    for thread in threads:
        thread.start()
    if during is not None:
        during.wait(timeout=900)
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return reads, writes


def _large_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        for number in range(rows):
            writer.writerow(listing_row(id=f"bench-line-{number:05d}", name=f"Bench Line {number}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="concurrency-bench-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
    port = free_port()
    env = service_env(database_url, port, SUBMISSION_LIMIT_PER_HOUR="1000000")
    server = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        print(f"database: {database_url.split('://')[0]}; {args.readers} readers, {args.writers} writers")
        reads, _ = run_phase(url, args.readers, 0, args.seconds)
        print(reads.report("1. readers only     ", args.seconds))
        reads, writes = run_phase(url, args.readers, args.writers, args.seconds)
        print(reads.report("2. readers (writing)", args.seconds))
        print(writes.report("   writers          ", args.seconds))
        csv_path = folder / "large.csv"
        _large_csv(csv_path, 5000)
        started = time.perf_counter()
        command = [sys.executable, "-m", "directory.cli", "import", str(csv_path)]
        env = os.environ | {"DATABASE_URL": database_url}
        importing = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        reads, _ = run_phase(url, args.readers, 0, 0, during=importing)
        took = time.perf_counter() - started
        print(reads.report(f"3. readers during a 5,000-row import ({took:.0f} s, exit {importing.returncode})", took))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
