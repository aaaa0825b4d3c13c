"""Moderation as a state machine, conflicts, racing approvals, the audit log and revert, the importer's conflict
rule, and the moderators' command line: against the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from fastapi import FastAPI
from sqlmodel import func, select

from directory import db
from directory.errors import Conflict, InvalidListing
from directory.listings import audit, catalogue
from directory.listings.models import AuditEvent
from directory.moderation import change_history, decisions, states, submissions
from directory.moderation.models import Submission
from tests.conftest import add_listings, listing_row
from tests.moderation_support import EDITABLE, TODAY, approve, change, current, moderator_actor, session_of


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


# The importer never silently overwrites what moderators changed


# The command line
