"""The random audit of 30 listings against the evidence kept for them (run from the repository root).

For each sampled row (seed below), every checkable fact (phone, email, postcode, street address, town, charity
number, times, website) is looked for in the words recorded from its source pages (`*-snippets.jsonl`) and in its
cited addresses. The output is the worksheet audit-3-2026-12-01.md is written from; each "not found" was then read
by hand against the excerpts and marked supported, unsupported (blanked) or contradicted (corrected).
"""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

SEED = 20261201
SAMPLE = 30
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def snippets() -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for path in sorted(HERE.glob("*-snippets.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found.setdefault(record["id"], []).append(record)
    return found


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def facts(row: dict[str, str]) -> list[tuple[str, str]]:
    checked = [(field, row[field]) for field in ("phone", "email", "postcode", "charity_number", "town") if row[field]]
    if row["address"]:
        checked.append(("address", row["address"].split(",")[-1].strip()))
    for time_text in re.findall(r"\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{2}:\d{2}", row["opening_hours"]):
        checked.append(("opening_hours", time_text))
    if row["website"]:
        checked.append(("website", re.sub(r"^https?://(www\.)?", "", row["website"]).split("/")[0]))
    return checked


def supported(field: str, value: str, evidence: str) -> bool:
    text = evidence.lower()
    if field == "phone":
        return digits(value) in digits(evidence.replace("+44", "0"))
    if field == "opening_hours":
        return value.lower().replace(" ", "") in text.replace(" ", "")
    return value.lower() in text


def main() -> None:
    rows = list(csv.DictReader((ROOT / "data" / "organisations.csv").open(encoding="utf-8")))
    chosen = random.Random(SEED).sample(rows, SAMPLE)
    evidence = snippets()
    for row in chosen:
        kept = evidence.get(row["id"], [])
        words = " ".join(item["excerpt"] + " " + item["url"] for item in kept) + " " + row["source_url"]
        print(f"\n## {row['id']} ({len(kept)} excerpts)")
        for field, value in facts(row):
            mark = "supported" if supported(field, value, words) else "NOT FOUND"
            print(f"- {field}: {value!r}: {mark}")


if __name__ == "__main__":
    main()
