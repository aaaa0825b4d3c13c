"""Merge the research files into data/organisations.csv (run from the repository root; rerunnable).

Each file under data/research/v2/ (one per nation or kind of service) holds complete rows in the CSV's columns.
The merge keeps every row once, gives each organisation one set of organisation fields (the value most of its rows
agree on, else the longest), maps organisation ids that name the same organisation to one, and sorts by id.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
ORGANISATION_FIELDS = ("organisation_name", "organisation_website", "organisation_description", "charity_number")
SAME_ORGANISATION = {"macmillan-cancer-support": "macmillan"}
NOT_LISTINGS = {"districts-by-council.csv", "bt-districts-places.csv"}


def research_rows() -> tuple[list[str], list[dict[str, str]]]:
    header: list[str] = []
    rows: list[dict[str, str]] = []
    for path in sorted(HERE.glob("*.csv")):
        if path.name in NOT_LISTINGS:
            continue
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            header = header or list(reader.fieldnames or [])
            if list(reader.fieldnames or []) != header:
                sys.exit(f"{path.name}: its header differs from the others")
            rows += list(reader)
    return header, rows


def canonical(rows: list[dict[str, str]]) -> None:
    by_organisation: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        row["organisation_id"] = SAME_ORGANISATION.get(row["organisation_id"], row["organisation_id"])
        by_organisation[row["organisation_id"]].append(row)
    for members in by_organisation.values():
        for field in ORGANISATION_FIELDS:
            values = Counter(row[field] for row in members if row[field].strip())
            if values:
                best = max(values, key=lambda value: (values[value], len(value)))
                for row in members:
                    row[field] = best


def main() -> int:
    header, rows = research_rows()
    ids = Counter(row["id"] for row in rows)
    if repeated := [id_ for id_, count in ids.items() if count > 1]:
        sys.exit(f"ids in more than one file: {', '.join(repeated)}")
    canonical(rows)
    rows.sort(key=lambda row: row["id"])
    with (ROOT / "data" / "organisations.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote data/organisations.csv: {len(rows)} listings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
