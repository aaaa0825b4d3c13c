"""The CSV importer: all-or-nothing validation with a line per problem, idempotent re-import, updates, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from directory import db
from directory.cli import app as cli
from directory.listings import importer
from directory.listings.models import Location, Service
from directory.listings.schema import COLUMNS
from tests.conftest import centre_row, listing_row


def csv_text(*rows: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, *rows: dict[str, str]) -> Path:
    path.write_text(csv_text(*rows), encoding="utf-8")
    return path


def service_count(database_url: str) -> int:
    with Session(db.make_engine(database_url)) as session:
        return session.exec(select(func.count()).select_from(Service)).one()


@pytest.fixture
def run_cli(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from directory.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(cli, [str(arg) for arg in args])
    get_settings.cache_clear()


def test_a_valid_file_imports_every_listing(run_cli, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "good.csv", listing_row(), centre_row())
    result = run_cli("import", path)
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    assert service_count(database_url) == 2


def test_the_centre_is_placed_on_the_map_from_its_postcode(run_cli, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("import", write_csv(tmp_path / "good.csv", centre_row()))
    with Session(db.make_engine(database_url)) as session:
        location = session.exec(select(Location)).one()
    assert location.nation == "england"
    assert 53.7 < location.latitude < 53.9 and -1.7 < location.longitude < -1.4  # Leeds


@pytest.mark.parametrize(
    ("column", "bad_value", "reason"),
    [
        ("postcode", "XX1 1XX", "not in a postcode district"),
        ("postcode", "not a postcode", "not a full UK postcode"),
        ("support_types", "emotional;hugs", "'hugs' is not a known support type"),
        ("website", "example dot org", "not a web address"),
        ("phone", "call us", "not a UK phone number"),
        ("name", "", "is required"),
        ("last_verified", "25/11/2026", "YYYY-MM-DD"),
        ("schedules", "MONTHLY;BYDAY=3XX;11:00-13:00;in person", "cannot read 'BYDAY=3XX'"),
        ("schedules", "FORTNIGHTLY;BYDAY=TH;11:00-13:00;in person", "must start with WEEKLY or MONTHLY"),
        ("schedules", "MONTHLY;BYDAY=3TH;13:00-11:00;in person", "closes before it opens"),
        ("schedules", "MONTHLY;BYDAY=3TH;11:00-13:00", "needs how people attend"),
        ("schedules", "WEEKLY;BYDAY=3TH;11:00-13:00;in person", "use MONTHLY for 3TH"),
        ("schedules", "WEEKLY;INTERVAL=2;BYDAY=TH;11:00-13:00;in person", "INTERVAL needs DTSTART"),
        ("schedules", "MONTHLY;BYDAY=3TH;11:00-13:00;in person;EXDATE=2026-02-30", "not a real date"),
        ("schedules", "MONTHLY;BYDAY=3TH;11:00-25:00;in person", "cannot read '11:00-25:00'"),
        ("closed_until", "next week", "YYYY-MM-DD"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_row_and_column(
    run_cli,
    database_url: str,
    tmp_path: Path,
    column: str,
    bad_value: str,
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    path = write_csv(tmp_path / "bad.csv", listing_row(), centre_row(**{column: bad_value}))
    result = run_cli("import", path)
    assert result.exit_code == 1
    problem_lines = [line for line in result.output.splitlines() if "row 3" in line]
    assert len(problem_lines) == 1
    assert f"column {column}" in problem_lines[0] and reason in problem_lines[0]
    assert "nothing was imported" in result.output
    assert service_count(database_url) == 0


def test_every_problem_in_every_row_is_reported_and_nothing_is_imported(
    run_cli,
    database_url: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    rows = [
        listing_row(id="first", phone="012"),
        listing_row(id="second", delivery_modes="by pigeon", email="nobody"),
        listing_row(id="third"),
    ]
    result = run_cli("import", write_csv(tmp_path / "bad.csv", *rows))
    lines = [line for line in result.output.splitlines() if ": row " in line]
    assert [line.split(": ", 1)[1].split(":")[0] for line in lines] == [
        "row 2, column phone",
        "row 3, column delivery_modes",
        "row 3, column email",
    ]
    assert service_count(database_url) == 0


def test_an_in_person_service_needs_a_place_to_be(tmp_path: Path) -> None:
    with pytest.raises(importer.ImportRejected) as rejected:
        importer.read_listings(csv_text(centre_row(address="", postcode="", town="")))
    assert "town" in {problem.column for problem in rejected.value.problems}
    with pytest.raises(importer.ImportRejected) as rejected:
        importer.read_listings(csv_text(centre_row(address="")))  # a postcode but no street address
    assert "address" in {problem.column for problem in rejected.value.problems}
    with pytest.raises(importer.ImportRejected) as rejected:
        importer.read_listings(csv_text(centre_row(postcode="")))  # a street address but no postcode
    assert "postcode" in {problem.column for problem in rejected.value.problems}


def test_an_in_person_service_with_only_its_town_is_placed_at_the_towns_centre() -> None:
    (listing,) = importer.read_listings(csv_text(centre_row(address="", postcode="", town="Harrogate")))
    assert listing.approximate and listing.town == "Harrogate"
    with pytest.raises(importer.ImportRejected) as rejected:
        importer.read_listings(csv_text(centre_row(address="", postcode="", town="Nowhereville")))
    assert "not a town we can place" in str(rejected.value.problems[0])


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(importer.ImportRejected) as rejected:
        importer.read_listings(csv_text(listing_row(), listing_row()))
    assert any("ids must be unique" in problem.reason for problem in rejected.value.problems)


def test_a_missing_column_is_reported() -> None:
    text = csv_text(listing_row()).replace("opening_hours", "hours")
    with pytest.raises(importer.ImportRejected) as rejected:
        importer.read_listings(text)
    assert any(problem.column == "opening_hours" for problem in rejected.value.problems)


def test_importing_the_same_file_twice_changes_nothing(run_cli, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "good.csv", listing_row(), centre_row())
    run_cli("import", path)
    with Session(db.make_engine(database_url)) as session:
        before = {s.id: (s.version, s.updated_at) for s in session.exec(select(Service))}
    result = run_cli("import", path)
    assert "0 created, 0 updated, 2 unchanged" in result.output
    with Session(db.make_engine(database_url)) as session:
        after = {s.id: (s.version, s.updated_at) for s in session.exec(select(Service))}
    assert after == before


def test_an_edited_row_updates_its_listing(run_cli, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("import", write_csv(tmp_path / "v1.csv", listing_row(), centre_row()))
    result = run_cli("import", write_csv(tmp_path / "v2.csv", listing_row(phone="01632 960999"), centre_row()))
    assert "0 created, 1 updated, 1 unchanged" in result.output
    with Session(db.make_engine(database_url)) as session:
        service = session.get(Service, "example-helpline")
        assert service is not None and service.phone == "01632 960999" and service.version == 2


def test_export_writes_what_import_reads(run_cli, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("import", write_csv(tmp_path / "in.csv", listing_row(support_types="financial"), centre_row()))
    exported = tmp_path / "out.csv"
    assert run_cli("export", exported).exit_code == 0
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["example-centre-leeds", "example-helpline"]
    assert rows[1]["support_types"] == "practical;financial"
    assert rows[0]["latitude"] == ""  # worked out from the postcode, so not written back as if given
    assert "0 created, 0 updated, 2 unchanged" in run_cli("import", exported).output


def test_a_file_that_is_not_utf8_gets_a_clear_message(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_text(listing_row(name="Caf\u00e9")).encode("latin-1"))
    result = run_cli("import", path)
    assert result.exit_code == 1 and "not UTF-8" in result.output
