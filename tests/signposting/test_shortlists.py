"""The shortlist, share codes and the words of a support sheet, on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from itsdangerous import URLSafeSerializer
from sqlmodel import Session

from directory import db
from directory.errors import NotFound
from directory.listings import catalogue
from directory.listings.listing import parse_listing
from directory.listings.models import Service
from directory.listings.timetable import UK
from directory.signposting import share_codes, shared_lists, sheets, shortlists
from directory.signposting.models import SharedList
from directory.signposting.shortlists import Shortlist
from tests.conftest import centre_row, listing_row

SECRET = "a-test-secret-key-that-is-long-enough-0123"

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = db.make_engine(database_url)
    with db.session_scope(engine) as session:
        for row in (listing_row(), centre_row(), listing_row(id="gone-line", name="Gone Line")):
            catalogue.save_listing(session, parse_listing(row))
        yield session
    engine.dispose()


def test_adding_keeps_the_nurses_order_and_ignores_a_repeat() -> None:
    shortlist = shortlists.add(shortlists.add(Shortlist(), "b"), "a")
    assert shortlists.add(shortlist, "b").service_ids == ("b", "a")


def test_moving_swaps_with_the_neighbour_and_stops_at_either_end() -> None:
    shortlist = Shortlist(("a", "b", "c"))
    assert shortlists.move(shortlist, "c", -1).service_ids == ("a", "c", "b")
    assert shortlists.move(shortlist, "a", 1).service_ids == ("b", "a", "c")
    assert shortlists.move(shortlist, "a", -1) == shortlist
    assert shortlists.move(shortlist, "c", 1) == shortlist
    assert shortlists.remove(shortlist, "b").service_ids == ("a", "c")


def test_a_thirty_first_service_is_refused_and_the_list_is_unchanged() -> None:
    full = Shortlist(tuple(f"service-{number}" for number in range(30)), "Keep this note")
    with pytest.raises(shortlists.ListFull, match="already has 30 services, the most a list can hold"):
        shortlists.add(full, "one-more")
    assert len(full) == 30 and "one-more" not in full


def test_a_note_over_1000_characters_is_refused() -> None:
    with pytest.raises(shortlists.NoteTooLong, match="1,000 characters or fewer. It has 1,001"):
        shortlists.with_note(Shortlist(("a",)), "x" * 1001)
    assert shortlists.with_note(Shortlist(("a",)), "x" * 1000).note == "x" * 1000


def test_line_breaks_from_a_browser_count_as_one_character() -> None:
    note = "\r\n".join(["y" * 99] * 10)  # 990 characters and 9 line breaks, sent as CR LF
    assert len(shortlists.with_note(Shortlist(), note).note) == 999


def test_any_change_forgets_the_saved_copy_it_no_longer_matches() -> None:
    saved = Shortlist(("a", "b"), "note", code="7KX39QFD2MWA")
    assert shortlists.add(saved, "c").code == ""
    assert shortlists.remove(saved, "a").code == ""
    assert shortlists.move(saved, "b", -1).code == ""
    assert shortlists.with_note(saved, "new note").code == ""
    assert shortlists.with_note(saved, "note").code == "7KX39QFD2MWA"


def test_the_cookie_round_trips_and_holds_only_ids_note_and_code() -> None:
    shortlist = Shortlist(("example-helpline", "example-centre-leeds"), "Ring on Monday", "7KX39QFD2MWA")
    token = shortlists.encode(shortlist, SECRET)
    assert shortlists.decode(token, SECRET) == shortlist
    assert set(URLSafeSerializer(SECRET, salt="shortlist").loads(token)) == {"ids", "note", "code"}


@pytest.mark.parametrize(
    "payload",
    [
        {"ids": "abc", "note": ""},
        {"ids": [f"s{number}" for number in range(31)], "note": ""},
        {"ids": ["a"], "note": "x" * 1001},
        {"ids": ["a", "a"], "note": ""},
        {"ids": [1], "note": ""},
        {"note": ""},
        ["a"],
        {"ids": ["a"], "note": "", "code": "not-a-code"},
    ],
)
def test_a_signed_cookie_that_breaks_the_rules_is_refused(payload: object) -> None:
    token = URLSafeSerializer(SECRET, salt="shortlist").dumps(payload)
    with pytest.raises(shortlists.TamperedList):
        shortlists.decode(str(token), SECRET)


def test_a_changed_or_forged_cookie_is_refused_with_a_clear_message() -> None:
    token = shortlists.encode(Shortlist(("example-helpline",)), SECRET)
    forged = URLSafeSerializer("someone-elses-key", salt="shortlist").dumps({"ids": ["x"], "note": ""})
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), str(forged), "garbage", ""):
        with pytest.raises(shortlists.TamperedList, match="We have started a new, empty list"):
            shortlists.decode(bad, SECRET)


def test_a_list_too_big_for_a_cookie_is_refused_before_the_browser_drops_it() -> None:
    chance = random.Random(5)
    ids = tuple("".join(chance.choices(string.ascii_lowercase, k=110)) for _ in range(30))  # hard to compress
    note = "".join(chr(chance.randint(0x4E00, 0x9FFF)) for _ in range(1000))
    with pytest.raises(shortlists.ListTooLarge, match="Please shorten the note"):
        shortlists.encode(Shortlist(ids, note), SECRET)


def test_share_codes_are_60_bits_of_crockford_base32_grouped_for_reading() -> None:
    codes = {share_codes.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[0-9ABCDEFGHJKMNPQRSTVWXYZ]{12}", code) for code in codes)
    assert share_codes.format_code("7KX39QFD2MWA") == "7KX3-9QFD-2MWA"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("7KX3-9QFD-2MWA", "7KX39QFD2MWA"), ("7kx3 9qfd 2mwa", "7KX39QFD2MWA"), ("IL0O-9QFD-2MWA", "11009QFD2MWA"),
     ("7KX3-9QFD", None), ("7KX3-9QFD-2MWU", None), ("../../etc/passwd", None), ("", None)],
)  # fmt: skip
def test_codes_as_typed_are_read_forgivingly(typed: str, code: str | None) -> None:
    assert share_codes.normalise_code(typed) == code


def test_sharing_saves_a_copy_that_opens_by_its_code(session: Session) -> None:
    shortlist = Shortlist(("example-centre-leeds", "example-helpline"), "Ring on Monday")
    shared = shared_lists.share(session, shortlist, today=date(2026, 11, 25))
    row = session.get(SharedList, shared.code)
    assert row is not None and json.loads(row.service_ids) == ["example-centre-leeds", "example-helpline"]
    copy = shared_lists.open_shared(session, share_codes.format_code(shared.code).lower())
    assert copy.shortlist == shared and copy.created_on == date(2026, 11, 25)
    assert shared_lists.share(session, shared, today=date(2026, 11, 26)) == shared  # saved already: no new copy


def test_an_unknown_code_is_a_not_found(session: Session) -> None:
    for code in ("0000-0000-0000", "nonsense"):
        with pytest.raises(NotFound, match="could not find a list at that address"):
            shared_lists.open_shared(session, code)


def test_only_listed_services_can_be_added(session: Session) -> None:
    session.get(Service, "gone-line").status = "withdrawn"  # type: ignore[union-attr]
    for service_id in ("no-such-service", "gone-line"):
        with pytest.raises(NotFound):
            shortlists.add_service(session, Shortlist(), service_id)
    assert shortlists.add_service(session, Shortlist(), "example-helpline").service_ids == ("example-helpline",)


def test_services_removed_since_stay_in_place_as_no_longer_listed(session: Session) -> None:
    shortlist = Shortlist(("example-helpline", "gone-line", "deleted-line", "example-centre-leeds"))
    session.get(Service, "gone-line").status = "withdrawn"  # type: ignore[union-attr]
    listed = sheets.entries(session, shortlist)
    assert [entry.service_id for entry in listed] == list(shortlist.service_ids)
    assert [entry.listing is not None for entry in listed] == [True, False, False, True]
    assert listed[1].former_name == "Gone Line"
    text = sheets.plain_text(listed, note="", made_on=date(2026, 11, 25), now=NOW)
    assert "2. Gone Line (no longer listed in the directory)" in text
    assert "3. A service (no longer listed in the directory)" in text


def test_plain_text_carries_what_a_person_needs_to_get_started(session: Session) -> None:
    listed = sheets.entries(session, Shortlist(("example-centre-leeds", "example-helpline")))
    text = sheets.plain_text(listed, note="Ring on Monday.", made_on=date(2026, 11, 25), now=NOW,
                                  link="https://example.org/l/7KX3-9QFD-2MWA")  # fmt: skip
    assert text.startswith("Support services for you (25 November 2026)")
    assert "1. Example Centre Leeds (Example Charity)" in text and "2. Example Helpline (Example Charity)" in text
    assert "Phone: 01632 960001" in text and "Opening hours: Monday to Friday, 9am to 5pm" in text
    assert "Address: 1 Example Street, Leeds, LS1 3EX" in text  # in person: its address
    assert text.count("Address:") == 1  # the helpline has none
    assert "How to start: Contact them yourself" in text
    assert "Notes from your nurse:\nRing on Monday." in text
    assert "See this list online: https://example.org/l/7KX3-9QFD-2MWA" in text


def test_what_a_service_offers_is_its_first_sentence_cut_to_fit() -> None:
    assert sheets.summary("Short and clear. More detail follows.") == "Short and clear."
    long = "A free group for people with secondary breast cancer, led by a counsellor, where you can talk, listen and learn."
    cut = sheets.summary(long, limit=80)
    assert cut.endswith("…") and len(cut) <= 81 and long.startswith(cut[:-1])


def test_the_qr_code_is_inline_svg_without_style_attributes() -> None:
    svg = sheets.qr_code_svg("https://example.org/l/7KX3-9QFD-2MWA")
    assert svg.startswith('<svg role="img" ') and "viewBox" in svg
    assert "style" not in svg and "<script" not in svg
    assert "<title>QR code for https://example.org/l/7KX3-9QFD-2MWA</title>" in svg
