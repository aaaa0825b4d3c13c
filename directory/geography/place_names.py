"""Place names as people write them: one folded form for matching, the alias table, and "did you mean".

`fold` makes the spellings people use agree: case, accents, apostrophes ("Kings Lynn" is "King's Lynn"), hyphens
and full stops, "St"/"Saint", "upon"/"on" and "&"/"and". `data/gazetteer/aliases.csv` adds what folding cannot:
short names (Hull), former names, and the Welsh, Scottish Gaelic and Irish names of places, each with its source.
Typo suggestions use rapidfuzz's edit-distance ratio over every known name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

WORD_FORMS = {"saint": "st", "upon": "on", "&": "and"}
APOSTROPHES = re.compile(r"['’‘`´]")
SUGGESTION_SCORE = 80  # out of 100: "Scarbrough" -> "Scarborough" is 95, "Leeds" -> "Lewes" is 60
SUGGESTION_WINDOW = 4  # offer the runners-up only when they are nearly as close as the best


def fold(text: str) -> str:
    """'St. Helen's', 'Saint Helens' and 'st helens' all fold to 'st helens'."""
    ascii_text = unicodedata.normalize("NFKD", APOSTROPHES.sub("", text)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+|&", ascii_text.lower())
    return " ".join(WORD_FORMS.get(word, word) for word in words)


@dataclass(frozen=True)
class Alias:
    alias: str
    place: str
    nation: str
    kind: str  # short, former, welsh, gaelic, irish, spelling
    source_url: str


def read_aliases(path: Path) -> dict[str, list[Alias]]:
    """Folded alias -> the places it names (an alias can name several: 'Newcastle')."""
    aliases: dict[str, list[Alias]] = {}
    with open(path, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            alias = Alias(row["alias"], row["place"], row["nation"], row["kind"], row["source_url"])
            aliases.setdefault(fold(alias.alias), []).append(alias)
    return aliases


def read_outside_uk(path: Path) -> dict[str, str]:
    """Folded name -> the country of a place outside the UK that has no UK namesake worth preferring."""
    outside: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            outside.setdefault(fold(row["name"]), row["country"])
    return outside


def closest(query: str, names: Iterable[str], *, limit: int = 3) -> list[str]:
    """The known folded names nearest to a misspelt one, best first (only those nearly as close as the best)."""
    found = process.extract(fold(query), list(names), scorer=fuzz.ratio, limit=limit, score_cutoff=SUGGESTION_SCORE)
    best = found[0][1] if found else 0
    return [name for name, score, _ in found if score >= best - SUGGESTION_WINDOW]
