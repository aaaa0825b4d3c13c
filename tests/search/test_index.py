"""The in-memory search index answers as the database would: every committed change to a listing is in the next
search of every process (each app has its own index; here, two apps over one database), a rolled-back change
never is, and a large index is rebuilt beside the searches, which go on meanwhile."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from directory import db
from directory.app import create_app
from directory.listings import catalogue
from directory.listings.listing import parse_listing
from directory.listings.models import Service
from directory.search import index
from tests.conftest import add_listings, centre_row, listing_row, make_settings
from tests.search.test_engine import nearby_ids, remote_ids, run


@pytest.fixture
def other_process(database_url: str) -> FastAPI:
    """A second app over the same database: another worker process, with an index of its own."""
    return create_app(make_settings(database_url))


def test_a_change_made_by_another_process_is_in_the_next_search(app: FastAPI, other_process: FastAPI) -> None:
    add_listings(app, centre_row(id="leeds-centre", name="Leeds Centre"), listing_row(id="uk-line", name="UK Line"))
    assert nearby_ids(run(app, "LS1 3EX")) == ["leeds-centre"]
    assert remote_ids(run(app, "LS1 3EX")) == ["uk-line"]

    # The other process moves the centre to Glasgow, limits the line to Scotland and adds a new centre.
    add_listings(
        other_process,
        centre_row(id="leeds-centre", name="Leeds Centre", town="Glasgow", postcode="G12 8QQ"),
        listing_row(id="uk-line", name="UK Line", service_area="scotland"),
        centre_row(id="new-centre", name="New Centre", postcode="LS6 3HN"),
    )
    found = run(app, "LS1 3EX")
    assert nearby_ids(found) == ["new-centre"] and remote_ids(found) == []
    assert nearby_ids(run(app, "G12 8QQ")) == ["leeds-centre"] and remote_ids(run(app, "G12 8QQ")) == ["uk-line"]


def test_a_card_shows_the_listing_as_it_is_now(app: FastAPI, other_process: FastAPI) -> None:
    add_listings(app, centre_row(id="leeds-centre", name="Leeds Centre", phone="01632 960001"))
    assert run(app, "LS1 3EX").nearby[0].card.phone == "01632 960001"  # the card is kept with the index
    add_listings(other_process, centre_row(id="leeds-centre", name="Leeds Centre Renamed", phone="01632 960009"))
    card = run(app, "LS1 3EX").nearby[0].card
    assert (card.name, card.phone) == ("Leeds Centre Renamed", "01632 960009")


def test_a_service_no_longer_active_is_not_found(app: FastAPI) -> None:
    add_listings(app, centre_row(id="leeds-centre", name="Leeds Centre"))
    assert nearby_ids(run(app, "LS1 3EX")) == ["leeds-centre"]
    with db.session_scope(app.state.engine) as session:
        service = session.get(Service, "leeds-centre")
        assert service is not None
        service.status = "inactive"
    assert nearby_ids(run(app, "LS1 3EX")) == []


def test_a_rolled_back_change_is_never_found(app: FastAPI) -> None:
    add_listings(app, centre_row(id="leeds-centre", name="Leeds Centre"))
    assert nearby_ids(run(app, "LS1 3EX")) == ["leeds-centre"]
    with Session(app.state.engine) as session:
        catalogue.save_listing(session, parse_listing(centre_row(id="new-centre", name="New", postcode="LS6 3HN")))
        session.flush()
        seen_inside = index.current(session)  # the writing transaction sees its own change
        assert "new-centre" in seen_inside.by_id
        session.rollback()
    assert nearby_ids(run(app, "LS1 3EX")) == ["leeds-centre"]
    add_listings(app, centre_row(id="other-centre", name="Other", postcode="LS6 3HN"))
    assert nearby_ids(run(app, "LS1 3EX")) == ["leeds-centre", "other-centre"]


def test_a_large_index_is_rebuilt_beside_the_searches(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    add_listings(app, centre_row(id="leeds-centre", name="Leeds Centre"))
    assert nearby_ids(run(app, "LS1 3EX")) == ["leeds-centre"]
    monkeypatch.setattr(index, "BUILD_BESIDE_OVER", 0)
    add_listings(app, centre_row(id="new-centre", name="New Centre", postcode="LS6 3HN"))
    assert nearby_ids(run(app, "LS1 3EX")) in (["leeds-centre"], ["leeds-centre", "new-centre"])  # not waited for
    index.wait_for_rebuilds()
    assert nearby_ids(run(app, "LS1 3EX")) == ["leeds-centre", "new-centre"]


def test_the_app_builds_its_index_as_it_starts(app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    add_listings(app, listing_row(id="uk-line", name="UK Line"))
    with TestClient(app):
        with Session(app.state.engine) as session:
            built = index._indexes.get(app.state.engine)
            assert built is not None and built is index.current(session) and "uk-line" in built.by_id
