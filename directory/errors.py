"""The domain's own exceptions. Each carries what a person needs to fix the problem; `app.py` maps them once to
kind HTML pages and once to JSON errors with a field name."""

from __future__ import annotations

from dataclasses import dataclass


class DirectoryError(Exception):
    status_code = 400
    title = "Something needs fixing"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DirectoryError):
    status_code = 404
    title = "Page not found"


class Conflict(DirectoryError):
    status_code = 409
    title = "Someone else changed this first"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of a listing (a CSV row or a form)."""

    column: str
    reason: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}column {self.column}: {self.reason}"


class InvalidListing(DirectoryError):
    """A listing (from a CSV row, a form or the API) failed validation; `problems` lists every reason."""

    status_code = 422

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems), field=problems[0].column)
        self.problems = problems
