"""Coverage-aware search: nearby and remote groups, nations, filters, keywords; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from geopy.location import Location as GeopyLocation
from sqlmodel import Session

from directory.geography import distance, gazetteer, geocoding
from directory.listings.models import Location, ServiceAtLocation, public_uuid
from directory.search import engine
from directory.search.query import SearchQuery, SearchResults
from tests.conftest import add_listings, centre_row, listing_row

FAR_PAST = date(2000, 1, 1)


def place(query: str) -> geocoding.ResolvedPlace:
    found = geocoding.resolve(query, geocoding.OfflineGeocoder(gazetteer.gazetteer()))
    assert isinstance(found, geocoding.ResolvedPlace), found
    return found


def run(app: FastAPI, where: str, **query: object) -> SearchResults:
    with Session(app.state.engine) as session:
        return engine.search(session, place(where), SearchQuery(**query), stale_before=FAR_PAST)  # type: ignore[arg-type]


def nearby_ids(results: SearchResults) -> list[str]:
    return [hit.card.id for hit in results.nearby]


def remote_ids(results: SearchResults) -> list[str]:
    return [hit.card.id for hit in results.remote]


@pytest.fixture
def yorkshire(app: FastAPI) -> FastAPI:
    """Centres at increasing distances from Leeds city centre, and national lines."""
    add_listings(
        app,
        centre_row(id="leeds-centre", name="Leeds Centre", postcode="LS1 3EX"),
        centre_row(id="headingley-group", name="Headingley Group", postcode="LS6 3HN", support_types="peer-support"),
        centre_row(id="bradford-centre", name="Bradford Centre", town="Bradford", postcode="BD1 1HY"),
        centre_row(id="york-hospice", name="York Hospice", town="York", postcode="YO24 1GL", support_types="hospice"),
        centre_row(id="glasgow-centre", name="Glasgow Centre", town="Glasgow", postcode="G12 0YN"),
        listing_row(id="uk-helpline", name="UK Helpline"),
        listing_row(
            id="england-money-line", name="England Money Line", service_area="england", support_types="financial"
        ),
        listing_row(id="scotland-line", name="Scotland Line", service_area="scotland"),
        listing_row(
            id="wales-line", name="Wales Line", service_area="wales", delivery_modes="phone;online", languages="Welsh"
        ),
        listing_row(id="ni-line", name="Northern Ireland Line", service_area="northern-ireland"),
        listing_row(
            id="ayrshire-line", name="Ayrshire Line", service_area="areas", area_name="Ayrshire", area_postcodes="KA"
        ),
    )
    return app


@pytest.mark.parametrize("query", ["LS1 3EX", "ls13ex", "LS1", "Leeds", "  leeds "])
def test_postcode_outward_code_and_town_find_the_same_services_nearest_first(yorkshire: FastAPI, query: str) -> None:
    results = run(yorkshire, query)
    assert nearby_ids(results) == ["leeds-centre", "headingley-group", "bradford-centre", "york-hospice"]
    distances = [hit.distance_miles for hit in results.nearby]
    assert distances == sorted(distances) and distances[0] < 1 and 20 < distances[-1] < 25  # type: ignore[type-var,operator]


def test_national_services_are_never_mixed_into_the_nearby_list(yorkshire: FastAPI) -> None:
    results = run(yorkshire, "LS1 3EX")
    assert remote_ids(results) == ["england-money-line", "uk-helpline"]  # the nation's own first, then UK-wide
    assert all(hit.distance_miles is None for hit in results.remote)
    assert "anyone in England by phone" in results.remote[0].reason


@pytest.mark.parametrize(
    ("postcode", "nation_line", "local"),
    [
        ("LS1 3EX", "england-money-line", "leeds-centre"),
        ("G12 8QQ", "scotland-line", "glasgow-centre"),
        ("CF10 3AT", "wales-line", None),
        ("BT9 7AB", "ni-line", None),
    ],
)
def test_each_nation_gets_its_own_services_and_none_restricted_to_another(
    yorkshire: FastAPI, postcode: str, nation_line: str, local: str | None
) -> None:
    results = run(yorkshire, postcode)
    found = set(nearby_ids(results)) | set(remote_ids(results))
    assert nation_line in found and "uk-helpline" in found
    other_nations = {"england-money-line", "scotland-line", "wales-line", "ni-line"} - {nation_line}
    assert not found & other_nations
    if local:
        assert local in nearby_ids(results)


def test_a_scotland_only_service_never_appears_in_belfast_even_at_100_miles(app: FastAPI) -> None:
    add_listings(app, centre_row(id="stranraer-centre", name="Stranraer", postcode="DG9 7AA", service_area="scotland",
                                 delivery_modes="in-person;phone"))  # fmt: skip
    results = run(app, "BT9 7AB", radius_miles=100)
    assert "stranraer-centre" not in nearby_ids(results) + remote_ids(results)
    assert "stranraer-centre" in nearby_ids(run(app, "KA7 1AA", radius_miles=100))


def test_a_regional_service_reaches_only_its_postcode_areas(yorkshire: FastAPI) -> None:
    assert "ayrshire-line" in remote_ids(run(yorkshire, "KA7 1AA"))
    assert "ayrshire-line" not in remote_ids(run(yorkshire, "G12 8QQ"))
    remote = remote_ids(run(yorkshire, "KA7 1AA"))  # equally specific: nation-wide phone lines, then the local one
    assert remote.index("scotland-line") < remote.index("ayrshire-line")


def test_the_radius_limits_the_nearby_list(yorkshire: FastAPI) -> None:
    assert nearby_ids(run(yorkshire, "LS1 3EX", radius_miles=5)) == ["leeds-centre", "headingley-group"]
    assert "glasgow-centre" not in nearby_ids(run(yorkshire, "LS1 3EX", radius_miles=100))
    assert "york-hospice" in nearby_ids(run(yorkshire, "LS1 3EX", radius_miles=50))


def test_a_service_with_several_locations_shows_its_nearest(app: FastAPI) -> None:
    add_listings(app, centre_row(id="two-sites", name="Two Sites", postcode="YO24 1GL"))
    with Session(app.state.engine) as session:
        near_leeds = Location(id="two-sites-leeds", uuid=public_uuid("location", "two-sites-leeds"),
                              organisation_id="example-charity", address="2 Example Road", town="Leeds",
                              postcode="LS6 3HN", latitude=53.8196, longitude=-1.5818, nation="england")  # fmt: skip
        session.add(near_leeds)
        session.add(ServiceAtLocation(id="two-sites-at-leeds", uuid=public_uuid("sal", "two-sites-at-leeds"),
                                      service_id="two-sites", location_id="two-sites-leeds"))  # fmt: skip
        session.commit()
    results = run(app, "LS1 3EX")
    assert nearby_ids(results) == ["two-sites"]
    assert results.nearby[0].place.postcode == "LS6 3HN"  # type: ignore[union-attr]
    assert results.nearby[0].distance_miles < 3  # type: ignore[operator]


def test_filters_combine_any_within_a_facet_and_all_across_facets(app: FastAPI) -> None:
    add_listings(
        app,
        listing_row(id="a", name="Counselling by phone", support_types="counselling", audiences="partners-family",
                    description="Talk to a counsellor about feelings."),
        listing_row(id="b", name="Benefits online", support_types="financial", delivery_modes="online",
                    description="Help with benefits and grants."),
        listing_row(id="c", name="Family counselling online", support_types="counselling;children-young-people",
                    delivery_modes="online", audiences="children", description="Counselling for teenagers."),
        centre_row(id="d", name="Drop-in centre", support_types="emotional;financial", description="Drop in for a chat."),
    )  # fmt: skip

    def ids(**query: object) -> list[str]:
        results = run(app, "LS1 3EX", **query)
        return sorted(nearby_ids(results) + remote_ids(results))

    assert ids(support=("emotional",)) == ["a", "c", "d"]  # a parent finds its children
    assert ids(support=("emotional", "practical")) == ["a", "b", "c", "d"]
    assert ids(support=("emotional", "practical"), delivery=("online",)) == ["b", "c"]
    assert ids(support=("emotional", "practical"), delivery=("online", "in-person")) == ["b", "c", "d"]
    assert ids(support=("emotional",), delivery=("online",), audience=("children",)) == ["c"]
    assert ids(keywords="counselling") == ["a", "c"]
    assert ids(keywords="counsel teen") == ["c"]  # every word, as a prefix
    assert ids(support=("practical",), keywords="benefits") == ["b", "d"]  # "benefits" also names money advice
    assert ids(support=("family",), delivery=("phone",)) == []
    assert ids(keywords="\"'%_*-") == ["a", "b", "c", "d"]  # nothing searchable: no keyword filter
    assert ids(keywords='<script>" OR 1=1 --') == []  # query syntax is never passed through


def test_hidden_or_withdrawn_services_are_not_found(app: FastAPI) -> None:
    add_listings(app, centre_row(), listing_row())
    with Session(app.state.engine) as session:
        from directory.listings.models import Service

        for service_id in ("example-centre-leeds", "example-helpline"):
            service = session.get(Service, service_id)
            service.status = "inactive"  # type: ignore[union-attr]
        session.commit()
    results = run(app, "LS1 3EX")
    assert results.total == 0


def test_pages_of_results(app: FastAPI) -> None:
    add_listings(app, *[listing_row(id=f"line-{n:02}", name=f"Line {n:02}") for n in range(25)])
    first, second = run(app, "LS1", per_page=20), run(app, "LS1", page=2, per_page=20)
    assert first.remote_total == 25 and len(first.remote) == 20 and len(second.remote) == 5 and first.pages == 2


def test_stale_listings_come_after_fresher_ones_in_the_same_distance_band(app: FastAPI) -> None:
    add_listings(
        app,
        centre_row(id="old", name="Old", postcode="LS1 3EX", last_verified="2020-01-01"),
        centre_row(id="fresh-nearby", name="Fresh nearby", postcode="LS6 3HN"),
        centre_row(id="fresh-far", name="Fresh far", postcode="YO24 1GL"),
    )
    with Session(app.state.engine) as session:
        results = engine.search(session, place("LS1 3EX"), SearchQuery(), stale_before=date(2025, 1, 1))
        assert nearby_ids(results) == ["fresh-nearby", "old", "fresh-far"]
        assert [hit.stale for hit in results.nearby] == [False, True, False]


@pytest.mark.parametrize(
    ("miles", "text"),
    [
        (0.04, "less than a quarter of a mile"),
        (0.24, "less than a quarter of a mile"),
        (0.26, "0.3 miles"),
        (0.44, "0.4 miles"),
        (1.0, "1 mile"),
        (4.26, "4.3 miles"),
        (12.4, "12 miles"),
    ],  # fmt: skip
)
def test_distances_are_written_the_nhs_way(miles: float, text: str) -> None:
    assert distance.describe_miles(miles) == text


def test_the_offline_geocoder_speaks_geopys_interface() -> None:
    geocoder = geocoding.OfflineGeocoder(gazetteer.gazetteer())
    leeds = geocoder.geocode("LS1 3EX")
    assert isinstance(leeds, GeopyLocation) and leeds.raw["nation"] == "england"
    assert len(geocoder.geocode("Bangor", exactly_one=False)) == 2
    assert geocoder.geocode("Nowhere-on-Sea") is None
    assert 21 < distance.distance_miles(leeds.point[:2], (53.9576, -1.0827)) < 23  # Leeds to York, as the crow flies


def test_a_loaded_postcode_table_wins_over_the_bundled_points() -> None:
    table = {"LS1 3EX": (53.7996, -1.5491)}
    geocoder = geocoding.OfflineGeocoder(gazetteer.gazetteer(), full_postcodes=table.get)
    exact = geocoding.resolve("ls1 3ex", geocoder)
    assert isinstance(exact, geocoding.ResolvedPlace) and exact.precision == "postcode" and exact.latitude == 53.7996
    bundled = geocoding.resolve("LS1 4AP", geocoder)
    assert isinstance(bundled, geocoding.ResolvedPlace) and bundled.precision == "postcode"
    assert (bundled.latitude, bundled.longitude) == (53.79546, -1.55572)


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("LS1 3E", geocoding.InvalidPostcode, "not a valid UK postcode"),
        ("ZZ9 9ZZ", geocoding.InvalidPostcode, "could not find the postcode"),
        ("Atlantis", geocoding.UnknownPlace, "could not find a UK place called 'Atlantis'"),
    ],
)
def test_bad_locations_get_clear_messages(text: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        geocoding.resolve(text, geocoding.OfflineGeocoder(gazetteer.gazetteer()))


@pytest.mark.parametrize("name", ["Bangor", "Newport", "Richmond"])
def test_ambiguous_places_offer_a_choice_that_resolves(name: str) -> None:
    geocoder = geocoding.OfflineGeocoder(gazetteer.gazetteer())
    found = geocoding.resolve(name, geocoder)
    assert isinstance(found, geocoding.Ambiguous) and len(found.choices) >= 2
    resolved = [geocoding.resolve(choice, geocoder) for choice in found.choices]
    assert all(isinstance(choice, geocoding.ResolvedPlace) for choice in resolved)
    assert len({(choice.latitude, choice.longitude) for choice in resolved}) == len(resolved)  # type: ignore[union-attr]


def test_bangor_offers_wales_and_northern_ireland() -> None:
    found = geocoding.resolve("Bangor", geocoding.OfflineGeocoder(gazetteer.gazetteer()))
    assert isinstance(found, geocoding.Ambiguous)
    assert {choice.rsplit(", ", 1)[1] for choice in found.choices} == {"Wales", "Northern Ireland"}
