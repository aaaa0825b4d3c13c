"""The browser harness: the real app served by uvicorn on a free port, driven by the system Chromium.

Every later journey test uses `live_server` and `browser_page`. Without Chromium or axe-core the browser tests are
skipped with a clear reason on a developer's machine, and fail in CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.served import Served, served

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(f"{reason}; run `bash scripts/test.sh` to install it")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app with the bundled data, in its own process, as a person would reach it."""
    folder = tmp_path_factory.mktemp("live")
    with served(
        f"sqlite:///{folder / 'live.db'}", folder, SECRET_KEY="browser-test-secret-key-0123456789abcdef"
    ) as live:
        yield live


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        _missing(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) with JavaScript on; see `no_js_page` for the other case."""
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(chromium):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_page(chromium):  # type: ignore[no-untyped-def]
    """A page that may inject axe-core despite our Content-Security-Policy (which forbids inline scripts)."""
    context = chromium.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing("axe-core is not installed (npm install)")
    return AXE.read_text(encoding="utf-8")
