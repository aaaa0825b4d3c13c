"""The `directory` command line: import, export and database housekeeping. Each command is one transaction."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import select

from directory import db
from directory.errors import DirectoryError
from directory.geography import full_postcodes
from directory.listings import catalogue, coverage, importer
from directory.listings.models import Service
from directory.listings.taxonomy import SUPPORT_TYPES
from directory.moderation import auth, freshness
from directory.search import statistics
from directory.settings import get_settings

app = typer.Typer(
    help="Manage the Secondary Breast Cancer Support Directory.", no_args_is_help=True, pretty_exceptions_enable=False
)


def _engine():
    settings = get_settings()
    db.upgrade_database(settings.database_url)
    return db.make_engine(settings.database_url)


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="CSV file in the format of data/README.md")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite listings changed through moderation (audited)")
    ] = False,
) -> None:
    """Validate every row of PATH and import it; if any row has a problem, report them all and import nothing.

    A listing changed through moderation since its last import is reported as a conflict and nothing is imported,
    unless --force is given (each overwrite is then recorded in the listing's history)."""
    if not path.is_file():
        typer.echo(f"No such file: {path}", err=True)
        raise typer.Exit(2)
    try:
        listings = importer.read_listings(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        typer.echo(f"{path} is not UTF-8 text. Save it as 'CSV UTF-8' and try again.", err=True)
        raise typer.Exit(1) from None
    except importer.ImportRejected as rejected:
        for problem in rejected.problems:
            typer.echo(f"{path}: {problem}", err=True)
        typer.echo(f"{len(rejected.problems)} problem(s) found; nothing was imported.", err=True)
        raise typer.Exit(1) from None
    try:
        with db.session_scope(_engine()) as session:
            report = importer.import_listings(session, listings, force=force, source=path.name)
    except importer.ImportConflicts as refused:
        for conflict in refused.conflicts:
            typer.echo(f"{path}: {conflict}", err=True)
        typer.echo(f"{len(refused.conflicts)} listing(s) were changed through moderation since they were last "
                   "imported; nothing was imported. Use --force to overwrite them.", err=True)  # fmt: skip
        raise typer.Exit(1) from None
    typer.echo(f"Imported {path}: {report.summary()}.")


@app.command("export")
def export_command(
    path: Annotated[Path, typer.Argument(help="Where to write the CSV ('-' for standard output)")],
) -> None:
    """Write every listing in the database to PATH in the importer's CSV format."""
    with db.session_scope(_engine()) as session:
        text = importer.export_text(session)
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")
        typer.echo(f"Exported {text.count(chr(10)) - 1} listings to {path}.")


postcodes_app = typer.Typer(help="Optional full-postcode precision.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for moderators.", no_args_is_help=True)
app.add_typer(postcodes_app, name="postcodes")
app.add_typer(report_app, name="report")


@postcodes_app.command("load")
def postcodes_load_command(
    path: Annotated[Path, typer.Argument(help="ONS Postcode Directory or Code-Point Open CSV")],
) -> None:
    """Load full postcodes with coordinates; searches by full postcode then use them instead of district centres."""
    if not path.is_file():
        typer.echo(f"No such file: {path}", err=True)
        raise typer.Exit(2)
    try:
        with db.session_scope(_engine()) as session:
            count = full_postcodes.load(session, full_postcodes.read_postcode_file(path))
    except (full_postcodes.PostcodeFileError, ValueError, IndexError) as error:
        typer.echo(f"Could not load {path}: {error}. Nothing was changed.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Loaded {count} postcodes from {path}.")


@report_app.command("coverage")
def report_coverage_command() -> None:
    """Listings per nation, support type and delivery mode, and the support types with no local service."""
    with db.session_scope(_engine()) as session:
        listings = [catalogue.listing_of(service) for service in session.exec(select(Service))]
    typer.echo(coverage.render(coverage.coverage(listings)))


@report_app.command("gaps")
def report_gaps_command(
    days: Annotated[int, typer.Option(help="Only searches in the last DAYS days (0 for all)")] = 0,
) -> None:
    """Outward codes and support types where searches found no service nearby: the gaps to fill."""
    since = date.today() - timedelta(days=days) if days else None
    with db.session_scope(_engine()) as session:
        found = statistics.gaps(session, since=since)
    if not found:
        typer.echo("No searches without a nearby service.")
        return
    typer.echo(f"{'outward code':<13}{'support type':<26}{'searches':>9}  last searched")
    for gap in found:
        label = SUPPORT_TYPES.label(gap.support) if gap.support else "(any)"
        typer.echo(f"{gap.outward_code:<13}{label:<26}{gap.searches:>9}  {gap.last_day.isoformat()}")


moderators_app = typer.Typer(help="Moderator accounts.", no_args_is_help=True)
app.add_typer(moderators_app, name="moderators")


def _new_password() -> str:
    """Asked twice at a terminal; one line from standard input otherwise (for scripts)."""
    if sys.stdin.isatty():
        return str(typer.prompt(f"Password (at least {auth.MIN_PASSWORD_LENGTH} characters)", hide_input=True,
                                confirmation_prompt=True))  # fmt: skip
    return sys.stdin.readline().rstrip("\r\n")


@moderators_app.command("add")
def moderators_add_command(
    email: Annotated[str, typer.Argument(help="The moderator's email, used to sign in")],
) -> None:
    """Create a moderator account (passwords are stored as argon2 hashes)."""
    try:
        password = _new_password()
        auth.check_password_rules(password)
        with db.session_scope(_engine()) as session:
            auth.create_moderator(session, email, password)
    except DirectoryError as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Added moderator {auth.normalise_email(email)}.")


@moderators_app.command("remove")
def moderators_remove_command(email: Annotated[str, typer.Argument(help="The moderator's email")]) -> None:
    """Stop a moderator signing in and end their sessions now (their past decisions stay in the audit log)."""
    with db.session_scope(_engine()) as session:
        found = auth.deactivate_moderator(session, email)
    if not found:
        typer.echo(f"There is no moderator {email}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"{auth.normalise_email(email)} can no longer sign in.")


@app.command("stale")
def stale_command() -> None:
    """Listings not checked in the last STALE_AFTER_DAYS days, the longest unchecked first."""
    days = get_settings().stale_after_days
    with db.session_scope(_engine()) as session:
        found = freshness.stale_listings(session, today=date.today(), stale_after_days=days)
    if not found:
        typer.echo(f"Every listing was checked in the last {days} days.")
        return
    typer.echo(f"{len(found)} listing(s) not checked in the last {days} days:")
    for listing in found:
        typer.echo(f"{listing.last_verified.isoformat()}  {listing.id}  {listing.name} ({listing.organisation_name})")


@app.command("migrate")
def migrate_command() -> None:
    """Upgrade the database schema to the latest version."""
    db.upgrade_database(get_settings().database_url)
    typer.echo("The database is up to date.")


if __name__ == "__main__":
    app()
