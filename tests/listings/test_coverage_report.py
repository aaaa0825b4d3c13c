"""`directory report coverage`: counts per nation, support type and delivery mode, and the gaps."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from directory.cli import app as cli
from tests.conftest import add_listings, centre_row, listing_row


def test_the_coverage_report_counts_listings_and_names_the_gaps(
    app: FastAPI, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directory.settings import get_settings

    add_listings(
        app,
        listing_row(id="uk-line"),
        listing_row(id="wales-line", service_area="wales", support_types="financial"),
        centre_row(id="leeds", support_types="emotional;carers"),
        centre_row(id="glasgow", postcode="G12 0YN", support_types="hospice"),
    )
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    output = CliRunner().invoke(cli, ["report", "coverage"]).output
    get_settings.cache_clear()
    assert "Listings: 4 (1 UK-wide)" in output
    assert "  England              1" in output and "  Scotland             1" in output
    assert "  Wales: emotional, practical, family, information, wellbeing, end-of-life" in output  # no address there
    assert "  England: practical, information, wellbeing, end-of-life" in output
