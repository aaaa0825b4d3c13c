"""Moderation as a state machine, conflicts, racing approvals, the audit log and revert, the importer's conflict
rule, and the moderators' command line: against the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from directory import db
from directory.cli import app as cli
from directory.errors import Conflict, InvalidListing
from directory.listings import audit, catalogue, importer
from directory.listings.models import AuditEvent, Service
from directory.moderation import auth, change_history, decisions, states, submissions
from directory.moderation.models import Moderator, Submission
from tests.conftest import add_listings, listing_row
from tests.listings.test_importer import write_csv

TODAY = date.today()
EDITABLE = {key: value for key, value in listing_row().items() if key not in ("id", "organisation_id", "last_verified")}


def session_of(app: FastAPI) -> Session:
    return Session(app.state.engine)


def moderator_actor(app: FastAPI, email: str = "mod@example.org") -> audit.Actor:
    with db.session_scope(app.state.engine) as session:
        moderator = auth.create_moderator(session, email, "a long enough password")
        return audit.Actor(f"Moderator {moderator.email}", moderator.id)


def change(app: FastAPI, **fields: str) -> str:
    """Suggest a change to some fields of example-helpline; returns the reference."""
    with db.session_scope(app.state.engine) as session:
        service = catalogue.require_service(session, "example-helpline")
        row = audit.listing_row(catalogue.listing_of(service)) | fields
        return submissions.submit_change(session, service, row, today=TODAY).reference


def approve(app: FastAPI, reference: str, actor: audit.Actor, **options: object) -> tuple[int, str] | None:
    """Approve in a transaction of its own; the audit event's (version, actor), or None if nothing changed."""
    with db.session_scope(app.state.engine) as session:
        submission = submissions.find_by_reference(session, reference)
        service = catalogue.get_service(session, submission.service_id)
        version = options.pop("seen_version", service.version if service else None)
        event = decisions.approve(session, submission, actor=actor, seen_version=version, today=TODAY, **options)  # type: ignore[arg-type]
        return (event.version, event.actor) if event else None


def current(app: FastAPI, service_id: str = "example-helpline") -> Service:
    with session_of(app) as session:
        service = catalogue.require_service(session, service_id)
        session.expunge_all()
        return service


def test_the_allowed_transitions_table_only_lets_pending_submissions_be_decided() -> None:
    pending, approved, rejected = (states.SubmissionStatus(s) for s in ("pending", "approved", "rejected"))
    assert states.ALLOWED_TRANSITIONS[pending] == {approved, rejected}
    assert not states.ALLOWED_TRANSITIONS[approved] and not states.ALLOWED_TRANSITIONS[rejected]


def test_a_decided_submission_cannot_be_decided_again(app: FastAPI) -> None:
    add_listings(app, listing_row())
    actor = moderator_actor(app)
    reference = change(app, phone="01632 960999")
    with db.session_scope(app.state.engine) as session:
        decisions.reject(session, submissions.find_by_reference(session, reference), moderator_id=actor.moderator_id,
                          reason="Could not confirm this on their website.")  # fmt: skip
    with pytest.raises(states.AlreadyDecided, match="already been rejected"):
        approve(app, reference, actor)
    assert current(app).phone == "01632 960000"


def test_approving_applies_the_change_marks_it_checked_and_audits_it_in_one_transaction(app: FastAPI) -> None:
    add_listings(app, listing_row(last_verified="2025-01-01"))
    actor = moderator_actor(app)
    reference = change(app, phone="01632 960999", opening_hours="Every day, 8am to 8pm")
    event = approve(app, reference, actor)
    service = current(app)
    assert (service.phone, service.opening_hours, service.last_verified, service.version) == (
        "01632 960999", "Every day, 8am to 8pm", TODAY, 2)  # fmt: skip
    assert event == (2, "Moderator mod@example.org")
    with session_of(app) as session:
        entry = change_history.entries(session, "example-helpline")[0]
        assert entry.submission_reference == reference
        assert {c.field: (c.old, c.new) for c in entry.changes}["phone"] == ("01632 960000", "01632 960999")
        assert session.exec(select(Submission.status)).one() == "approved"


def test_an_invalid_suggestion_is_refused_with_every_problem_and_nothing_stored(app: FastAPI) -> None:
    add_listings(app, listing_row())
    with pytest.raises(InvalidListing) as refused:
        change(app, phone="12345", website="not a web address", name="")
    assert {problem.column for problem in refused.value.problems} == {"phone", "website", "name"}
    with session_of(app) as session:
        assert session.exec(select(func.count()).select_from(Submission)).one() == 0


def test_a_suggestion_made_against_an_older_version_shows_the_conflict_instead_of_overwriting(app: FastAPI) -> None:
    add_listings(app, listing_row())
    actor = moderator_actor(app)
    first, second = change(app, phone="01632 960111"), change(app, opening_hours="Weekends only")
    approve(app, first, actor)
    with pytest.raises(audit.StaleVersion, match="changed since the suggestion was made"):
        approve(app, second, actor)
    assert current(app).opening_hours == "Monday to Friday, 9am to 5pm"
    with session_of(app) as session:
        review = decisions.review(session, submissions.find_by_reference(session, second))
        assert review.conflict and review.submission.status == "pending"
        assert [(c.field, c.old, c.new) for c in review.changed_since] == [("phone", "01632 960000", "01632 960111")]
        assert review.merged["phone"] == "01632 960111" and review.merged["opening_hours"] == "Weekends only"
        merged = review.merged
    approve(app, second, actor, edited=merged)  # the moderator saw the current version and edited the merge
    assert (current(app).phone, current(app).opening_hours) == ("01632 960111", "Weekends only")


def test_approving_after_someone_else_changed_the_listing_since_the_page_was_opened_is_refused(app: FastAPI) -> None:
    add_listings(app, listing_row())
    actor = moderator_actor(app)
    reference = change(app, phone="01632 960111")
    with pytest.raises(audit.StaleVersion, match="after you opened the page"):
        approve(app, reference, actor, seen_version=0)
    with session_of(app) as session:
        assert submissions.find_by_reference(session, reference).status == "pending"


def test_two_moderators_approving_one_submission_at_once_exactly_one_wins(app: FastAPI) -> None:
    add_listings(app, listing_row())
    first, second = moderator_actor(app, "one@example.org"), moderator_actor(app, "two@example.org")
    reference = change(app, phone="01632 960222")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def race(actor: audit.Actor) -> None:
        start.wait()
        try:
            approve(app, reference, actor, seen_version=1)
            outcomes.append("applied")
        except states.AlreadyDecided as told:
            outcomes.append(f"told: {told.message}")

    threads = [threading.Thread(target=race, args=(actor,)) for actor in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcome.split(":")[0] for outcome in outcomes) == ["applied", "told"]
    with session_of(app) as session:
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 1
        assert catalogue.require_service(session, "example-helpline").version == 2


def test_two_suggestions_for_one_listing_approved_at_once_never_clobber_each_other(app: FastAPI) -> None:
    add_listings(app, listing_row())
    actors = moderator_actor(app, "one@example.org"), moderator_actor(app, "two@example.org")
    references = change(app, phone="01632 960111"), change(app, opening_hours="Weekends only")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def race(reference: str, actor: audit.Actor) -> None:
        start.wait()
        try:
            approve(app, reference, actor, seen_version=1)
            outcomes.append("applied")
        except audit.StaleVersion:
            outcomes.append("conflict shown")

    threads = [threading.Thread(target=race, args=pair) for pair in zip(references, actors, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["applied", "conflict shown"]
    service = current(app)
    assert service.version == 2
    assert (service.phone, service.opening_hours) != ("01632 960111", "Weekends only")  # one applied, not both
    with session_of(app) as session:
        statuses = sorted(session.exec(select(Submission.status)).all())
    assert statuses == ["approved", "pending"]


def test_a_new_service_is_published_with_ids_made_from_its_names(app: FastAPI) -> None:
    add_listings(app, listing_row())  # its organisation, Example Charity, already exists
    actor = moderator_actor(app)
    raw = EDITABLE | {"name": "Example Helpline", "organisation_name": "example charity"}
    with db.session_scope(app.state.engine) as session:
        reference = submissions.submit_new_service(session, raw, today=TODAY).reference
    approve(app, reference, actor)
    service = current(app, "example-helpline-2")
    assert service.organisation_id == "example-charity" and service.version == 1


def test_a_moderator_can_choose_a_new_services_id_and_a_taken_id_is_refused(app: FastAPI) -> None:
    add_listings(app, listing_row())
    actor = moderator_actor(app)
    with db.session_scope(app.state.engine) as session:
        reference = submissions.submit_new_service(session, EDITABLE | {"name": "Peer Group"}, today=TODAY).reference
    proposed = EDITABLE | {"name": "Peer Group", "organisation_id": "example-charity"}
    with pytest.raises(Conflict, match="exists now"):
        approve(app, reference, actor, edited=proposed | {"id": "example-helpline"})
    approve(app, reference, actor, edited=proposed | {"id": "leeds-peer-group"})
    assert current(app, "leeds-peer-group").name == "Peer Group"
    with session_of(app) as session:
        assert submissions.find_by_reference(session, reference).service_id == "leeds-peer-group"


def test_a_report_is_closed_with_a_note_or_dealt_with_by_editing_the_listing(app: FastAPI) -> None:
    add_listings(app, listing_row())
    actor = moderator_actor(app)
    with db.session_scope(app.state.engine) as session:
        service = catalogue.require_service(session, "example-helpline")
        report = submissions.submit_report(session, service, "out-of-date", message="The number changed.").reference
        with pytest.raises(Exception, match="Tell us what is wrong"):
            submissions.submit_report(session, service, "something-else", message="")
    with pytest.raises(Exception, match="edit the listing"):
        approve(app, report, actor)
    approve(app, report, actor, edited=EDITABLE | {"phone": "01632 960333"})
    assert current(app).phone == "01632 960333"


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


# The importer never silently overwrites what moderators changed


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


# The command line


@pytest.fixture
def run_cli(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from directory.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield lambda *args, input=None: CliRunner().invoke(cli, [str(arg) for arg in args], input=input)
    get_settings.cache_clear()


def test_moderators_are_added_from_the_command_line_with_a_long_enough_password(run_cli, app: FastAPI) -> None:  # type: ignore[no-untyped-def]
    short = run_cli("moderators", "add", "new@example.org", input="too short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    added = run_cli("moderators", "add", "New@Example.org", input="a long enough password\n")
    assert added.exit_code == 0, added.output
    again = run_cli("moderators", "add", "new@example.org", input="a long enough password\n")
    assert again.exit_code == 1 and "already a moderator" in again.output
    with session_of(app) as session:
        moderator = session.exec(select(Moderator)).one()
        assert moderator.email == "new@example.org" and moderator.password_hash.startswith("$argon2")
        assert auth.authenticate(session, "new@example.org", "a long enough password") is not None
        assert auth.authenticate(session, "new@example.org", "a wrong password!!") is None
    assert run_cli("moderators", "remove", "new@example.org").exit_code == 0
    with session_of(app) as session:
        assert auth.authenticate(session, "new@example.org", "a long enough password") is None


def test_directory_stale_lists_listings_not_checked_within_the_setting(run_cli, app: FastAPI, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old = (TODAY - timedelta(days=400)).isoformat()
    add_listings(
        app,
        listing_row(id="old-line", name="Old Line", last_verified=old),
        listing_row(last_verified=TODAY.isoformat()),
    )
    result = run_cli("stale")
    assert result.exit_code == 0
    assert "old-line" in result.output and "example-helpline" not in result.output
    from directory.settings import get_settings

    monkeypatch.setenv("STALE_AFTER_DAYS", "500")
    get_settings.cache_clear()
    assert "Every listing was checked in the last 500 days" in run_cli("stale").output
