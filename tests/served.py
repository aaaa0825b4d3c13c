"""The real service in its own process (`python main.py` on a free port), for tests that need true concurrency or a
browser: uvicorn, its thread pool and the database as a person meets them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SECRET = "served-test-secret-key-0123456789abcdef"


def free_port(wanted: int = 0) -> int:
    """`wanted` if nothing listens there, else any free port."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", wanted))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    url: str
    database_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def service_env(database_url: str, port: int, **overrides: str) -> dict[str, str]:
    return (
        os.environ
        | {
            "DATABASE_URL": database_url,
            "ENVIRONMENT": "test",
            "SECRET_KEY": SECRET,
            "IMPORT_BUNDLED_DATA": "true",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        | overrides
    )


@contextmanager
def served(database_url: str, folder: Path, *, port: int = 0, **overrides: str) -> Iterator[Served]:
    """Start the service with the bundled data (on `port` if it is free) and wait until it answers; stop it after."""
    port = free_port(port)
    log_path = folder / f"server-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=service_env(database_url, port, **overrides),
            stdout=log, stderr=log,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process, log_path)
            yield Served(url, database_url, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
        if process.poll() is not None:
            pytest.fail(f"The service did not start: {log_path.read_text()[-2000:]}")
    process.kill()
    pytest.fail("The service did not answer within 90 seconds")
