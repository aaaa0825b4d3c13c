"""Place names and postcodes as people type them, in every nation: spellings, short and former names, Welsh, Gaelic
and Irish names, typos, names shared by several places, split districts, postcodes that do not exist, and places
outside the UK."""

from __future__ import annotations

import pytest

from directory.geography import gazetteer, geocoding
from directory.geography.nations import Nation


def resolve(text: str) -> geocoding.ResolvedPlace | geocoding.Ambiguous:
    return geocoding.resolve(text, geocoding.OfflineGeocoder(gazetteer.gazetteer()))


def place(text: str) -> geocoding.ResolvedPlace:
    found = resolve(text)
    assert isinstance(found, geocoding.ResolvedPlace), f"{text!r} gave {found}"
    return found


@pytest.mark.parametrize(
    ("typed", "meant", "nation"),
    [
        ("Kings Lynn", "King's Lynn", Nation.ENGLAND),
        ("kings-lynn", "King's Lynn", Nation.ENGLAND),
        ("Saint Davids", "Saint Davids", Nation.WALES),
        ("St Davids", "Saint Davids", Nation.WALES),
        ("St. Andrews", "Saint Andrews", Nation.SCOTLAND),
        ("Stratford on Avon", "Stratford-upon-Avon", Nation.ENGLAND),
        ("stratford-upon-avon", "Stratford-upon-Avon", Nation.ENGLAND),
        ("Bo'ness", "Bo’ness", Nation.SCOTLAND),
        ("Hull", "Kingston upon Hull", Nation.ENGLAND),
        ("Southend", "Southend-on-Sea", Nation.ENGLAND),
        ("Weston-super-Mare", "Weston-super-Mare", Nation.ENGLAND),
        ("Caerdydd", "Cardiff", Nation.WALES),
        ("Abertawe", "Swansea", Nation.WALES),
        ("Wrecsam", "Wrexham", Nation.WALES),
        ("Caerfyrddin", "Carmarthen", Nation.WALES),
        ("Glaschu", "Glasgow", Nation.SCOTLAND),
        ("Dùn Èideann", "Edinburgh", Nation.SCOTLAND),
        ("Dun Eideann", "Edinburgh", Nation.SCOTLAND),
        ("Inbhir Nis", "Inverness", Nation.SCOTLAND),
        ("Obar Dheathain", "Aberdeen", Nation.SCOTLAND),
        ("Londonderry", "Derry", Nation.NORTHERN_IRELAND),
        ("Béal Feirste", "Belfast", Nation.NORTHERN_IRELAND),
        ("BELFAST", "Belfast", Nation.NORTHERN_IRELAND),
        ("  penzance ", "Penzance", Nation.ENGLAND),
    ],
)
def test_names_as_people_write_them_find_the_place(typed: str, meant: str, nation: Nation) -> None:
    found = place(typed)
    assert found.label.startswith(meant) and found.nation is nation and found.precision == "place"


@pytest.mark.parametrize(("typed", "first"), [("Newcastle", "Newcastle upon Tyne"), ("Stoke", "Stoke-on-Trent")])
def test_a_name_shared_by_a_city_and_a_small_place_offers_the_choice_largest_first(typed: str, first: str) -> None:
    found = resolve(typed)
    assert isinstance(found, geocoding.Ambiguous) and found.choices[0].startswith(first)
    assert len(found.choices) >= 2
    assert isinstance(resolve(found.choices[-1]), geocoding.ResolvedPlace)  # every choice resolves on its own


@pytest.mark.parametrize("name", ["Bangor", "Newport", "Richmond", "Gillingham", "Ashford"])
def test_places_of_the_same_name_are_offered_largest_first(name: str) -> None:
    found = resolve(name)
    assert isinstance(found, geocoding.Ambiguous)
    populations = [
        max(p.population for p in gazetteer.gazetteer().find_places(choice)) for choice in found.choices
    ]  # fmt: skip
    assert populations == sorted(populations, reverse=True)


@pytest.mark.parametrize(
    ("typo", "suggested"),
    [("Scarbrough", "Scarborough"), ("Edinbrugh", "Edinburgh"), ("Abrdeen", "Aberdeen"), ("Penzanse", "Penzance"),
     ("Swanesa", "Swansea"), ("Belfsat", "Belfast"), ("Invernes", "Inverness"), ("Cardif", "Cardiff")],
)  # fmt: skip
def test_a_misspelt_town_gets_did_you_mean(typo: str, suggested: str) -> None:
    with pytest.raises(geocoding.UnknownPlace) as raised:
        resolve(typo)
    assert raised.value.suggestions and raised.value.suggestions[0].startswith(suggested)
    assert "Did you mean" in raised.value.message


def test_nonsense_gets_no_suggestion_but_a_clear_message() -> None:
    with pytest.raises(geocoding.UnknownPlace, match="Check the spelling") as raised:
        resolve("Qwxyzzy")
    assert raised.value.suggestions == ()


@pytest.mark.parametrize(
    ("typed", "where"),
    [("IM1 1AA", "Isle of Man"), ("JE2 4WE", "Jersey"), ("GY1 1AA", "Guernsey"), ("D02 X285", "Ireland"),
     ("90210", "outside the UK"), ("75001", "outside the UK"), ("Dublin", "Ireland"), ("Paris", "France"),
     ("Douglas, Isle of Man", None)],
)  # fmt: skip
def test_crown_dependencies_and_other_countries_are_told_the_directory_covers_the_uk(
    typed: str, where: str | None
) -> None:
    with pytest.raises((geocoding.OutsideUK, geocoding.UnknownPlace)) as raised:
        resolve(typed)
    if where is not None:
        assert isinstance(raised.value, geocoding.OutsideUK) and where in raised.value.message
        assert "UK only" in raised.value.message


@pytest.mark.parametrize("parent", ["EC1", "EC4", "W1", "SW1", "WC1", "WC2"])
def test_a_split_central_london_district_written_without_its_letter_is_placed(parent: str) -> None:
    found = place(parent)
    assert found.precision == "district" and found.origin == f"from the centre of {parent}"
    assert 51.45 < found.latitude < 51.55


def test_a_well_formed_postcode_that_does_not_exist_is_named_and_its_district_offered() -> None:
    with pytest.raises(geocoding.UnknownPostcode, match="could not find the postcode LS1 9QQ") as raised:
        resolve("ls19qq")
    assert raised.value.district == "LS1"


def test_a_full_postcode_is_placed_at_its_own_point_and_says_so() -> None:
    found = place("SW1A 1AA")
    assert (found.latitude, found.longitude) == (51.50101, -0.14159)
    assert found.precision == "postcode" and found.origin == "from SW1A 1AA"


def test_a_northern_ireland_postcode_is_honestly_at_its_districts_centre() -> None:
    found = place("BT9 7AB")
    district = gazetteer.gazetteer().district("BT9")
    assert district is not None and (found.latitude, found.longitude) == (district.latitude, district.longitude)
    assert found.precision == "district" and found.origin == "from the centre of BT9"
    assert found.nation is Nation.NORTHERN_IRELAND


def test_belfasts_districts_no_longer_all_share_one_point() -> None:
    points = {
        (d.latitude, d.longitude) for code, d in gazetteer.gazetteer().districts.items() if code in {f"BT{n}" for n in range(1, 18)}
    }  # fmt: skip
    assert len(points) >= 12
