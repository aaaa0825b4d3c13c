"""The audit log: restoring a version exactly, and CSV imports that would overwrite moderated listings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI

from directory import db
from directory.listings import audit, catalogue, importer
from directory.moderation import change_history
from tests.conftest import add_listings, listing_row
from tests.listings.test_importer import write_csv
from tests.moderation_support import approve, change, current, moderator_actor, session_of


def test_revert_restores_the_earlier_values_exactly_and_is_itself_in_the_history(app: FastAPI) -> None:
    add_listings(app, listing_row(latitude="53.8007554", longitude="-1.5490774", postcode="LS1 3EX", town="Leeds",
                                  address="1 Example Street", last_verified="2025-06-01"))  # fmt: skip
    actor = moderator_actor(app)
    with session_of(app) as session:
        original = catalogue.listing_of(catalogue.require_service(session, "example-helpline"))
    approve(app, change(app, phone="01632 960444", name="Renamed Helpline"), actor)
    approve(app, change(app, description="Rewritten.", languages="Welsh"), actor)
    assert current(app).version == 3
    with db.session_scope(app.state.engine) as session:
        assert audit.revert(session, "example-helpline", 1, actor=actor, seen_version=3).version == 4
    with session_of(app) as session:
        assert catalogue.listing_of(catalogue.require_service(session, "example-helpline")) == original
        newest = change_history.entries(session, "example-helpline")[0]
        assert newest.event.action == "reverted" and newest.event.note == "Restored version 1"
        assert {c.field for c in newest.changes} == {"name", "phone", "description", "languages", "last_verified"}
        assert audit.restorable_versions(session, "example-helpline") == [4, 3, 2, 1]


def test_revert_refuses_when_the_listing_changed_after_the_history_was_read(app: FastAPI) -> None:
    add_listings(app, listing_row())
    actor = moderator_actor(app)
    approve(app, change(app, phone="01632 960444"), actor)
    with db.session_scope(app.state.engine) as session, pytest.raises(audit.StaleVersion):
        audit.revert(session, "example-helpline", 1, actor=actor, seen_version=1)


def test_importing_a_csv_over_a_moderated_listing_reports_the_conflict_and_changes_nothing(
    app: FastAPI,
    run_cli,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    csv = write_csv(tmp_path / "directory.csv", listing_row(id="other-line", name="Other Line"), listing_row())
    assert run_cli("import", csv).exit_code == 0
    approve(app, change(app, phone="01632 960555"), moderator_actor(app))

    refused = run_cli("import", write_csv(csv, listing_row(id="other-line", name="Other Line Renamed"), listing_row()))
    assert refused.exit_code == 1
    assert "row 3, id example-helpline: changed through moderation" in refused.output
    assert (current(app).phone, current(app, "other-line").name) == ("01632 960555", "Other Line")

    forced = run_cli("import", "--force", csv)
    assert forced.exit_code == 0 and "1 moderated listing(s) overwritten" in forced.output
    assert current(app).phone == "01632 960000"
    with session_of(app) as session:
        assert change_history.entries(session, "example-helpline")[0].event.action == "import-forced"
    assert run_cli("import", csv).exit_code == 0  # imported again: no longer a conflict


def test_a_csv_that_agrees_with_the_moderated_listing_is_no_conflict(app: FastAPI) -> None:
    add_listings(app, listing_row())
    approve(app, change(app, phone="01632 960555"), moderator_actor(app))
    with session_of(app) as session:
        agreed = catalogue.listing_of(catalogue.require_service(session, "example-helpline"))
    with db.session_scope(app.state.engine) as session:
        report = importer.import_listings(session, [agreed, replace(agreed, id="new-line", name="New Line")])
    assert report.unchanged == ["example-helpline"] and report.created == ["new-line"]
