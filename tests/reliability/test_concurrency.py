"""Many people at once, on the real server: concurrent keyword searches, and searches while a large import runs,
never answer 5xx on SQLite or PostgreSQL (search statistics are written best-effort, after the page is sent)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func
from sqlmodel import Session, select

from directory.listings.models import Service
from directory.listings.schema import COLUMNS
from directory.search.models import SearchStat
from tests.conftest import listing_row
from tests.served import ROOT, served

SEARCHES = [
    "/search?location=LS1+3EX&q=support",
    "/search?location=G12+8QQ&q=cancer",
    "/search?location=Cardiff&q=help",
]


def _statuses(url: str, paths: list[str], workers: int) -> list[int]:
    with httpx.Client(base_url=url, timeout=60) as client, ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda path: client.get(path).status_code, paths))


def test_twenty_concurrent_keyword_searches_never_fail(database_url: str, tmp_path: Path) -> None:
    with served(database_url, tmp_path) as server:
        statuses = _statuses(server.url, [SEARCHES[number % 3] for number in range(80)], workers=20)
        log = server.log()
    assert statuses == [200] * 80, sorted(set(statuses))
    assert "Traceback" not in log
    with Session(create_engine(database_url)) as session:
        assert session.exec(select(func.count()).select_from(SearchStat)).one() > 0  # best-effort, but recorded


def _large_import(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        for number in range(rows):
            writer.writerow(
                listing_row(
                    id=f"load-line-{number:05d}",
                    name=f"Load Test Line {number}",
                    phone="01632 960123",
                    description="A fictional helpline, one of many used to load the database.",
                )  # fmt: skip
            )


def test_searches_keep_answering_while_a_five_thousand_row_import_runs(database_url: str, tmp_path: Path) -> None:
    csv_path = tmp_path / "large.csv"
    _large_import(csv_path, 5000)
    with served(database_url, tmp_path) as server:
        statuses: list[int] = []
        importing = subprocess.Popen(
            [sys.executable, "-m", "directory.cli", "import", str(csv_path)], cwd=ROOT,
            env=os.environ | {"DATABASE_URL": database_url}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        done = threading.Event()

        def keep_searching() -> None:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                while not done.is_set() or len(statuses) < 40:
                    statuses.append(client.get(SEARCHES[len(statuses) % 3]).status_code)

        threads = [threading.Thread(target=keep_searching) for _ in range(8)]
        for thread in threads:
            thread.start()
        output = importing.communicate(timeout=600)[0].decode()
        done.set()
        for thread in threads:
            thread.join(timeout=120)
    assert importing.returncode == 0, output
    assert statuses and all(status == 200 for status in statuses), sorted(set(statuses))
    with Session(create_engine(database_url)) as session:
        assert session.exec(select(func.count()).select_from(Service)).one() >= 5000
