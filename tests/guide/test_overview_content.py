"""Checks on the plain-English overview templates.

1. No run of 8 words from the seed text appears in any overview template
   (both sides normalised: lowercase, punctuation removed). The pages must
   be written in our own words.
2. Every key fact from the seed is mentioned somewhere in the overview.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).parents[2]
TEMPLATE_DIR = REPO_ROOT / "templates" / "guide"
SEED_DIR = REPO_ROOT.parent / "shared" / "seed"

SLUGS = (
    "what-it-is",
    "where-it-spreads",
    "signs-and-symptoms",
    "tests",
    "treatment",
    "getting-support",
    "get-help-urgently",
)

KEYWORDS = (
    "bone",
    "liver",
    "lung",
    "brain",
    "CT",
    "MRI",
    "PET",
    "biopsy",
    "chemotherapy",
    "radiotherapy",
    "surgery",
    "hormone therapy",
    "targeted",
    "bisphosphonates",
    "breathless",
    "nausea",
    "headache",
    "weight loss",
)

RUN_LENGTH = 8


def normalise(text: str) -> list[str]:
    """Lowercase, drop apostrophes, turn other punctuation into spaces, split."""
    text = html.unescape(text).lower()
    text = re.sub(r"['\u2018\u2019]", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return text.split()


def strip_markup(template: str) -> str:
    """Remove Jinja tags and HTML tags, keeping only the visible words."""
    template = re.sub(r"\{[%#{].*?[%#}]\}", " ", template, flags=re.S)
    return re.sub(r"<[^>]+>", " ", template)


def word_runs(words: list[str], n: int = RUN_LENGTH) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def template_texts() -> dict[str, str]:
    return {slug: strip_markup((TEMPLATE_DIR / f"{slug}.html").read_text(encoding="utf-8")) for slug in SLUGS}


def test_all_overview_templates_exist():
    missing = [s for s in SLUGS if not (TEMPLATE_DIR / f"{s}.html").is_file()]
    assert not missing, f"missing overview templates: {missing}"


def test_no_eight_word_run_copied_from_seed():
    seed_files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not seed_files:
        pytest.skip(f"seed text not found in {SEED_DIR}; cannot check for copied wording")
    seed_runs: set[tuple[str, ...]] = set()
    for path in seed_files:
        seed_runs |= word_runs(normalise(path.read_text(encoding="utf-8")))

    copied = {
        slug: sorted(" ".join(run) for run in word_runs(normalise(text)) & seed_runs)
        for slug, text in template_texts().items()
    }
    copied = {slug: runs for slug, runs in copied.items() if runs}
    assert not copied, f"8-word runs copied from the seed: {copied}"


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_seed_fact_keyword_is_covered(keyword):
    all_text = " ".join(" ".join(normalise(t)) for t in template_texts().values())
    # Whole-word start, so "lung" matches "lungs" and "headache" matches
    # "headaches", but "ct" does not match inside a word like "doctor".
    words = r"\s+".join(re.escape(w) for w in normalise(keyword))
    assert re.search(rf"\b{words}", all_text), f"keyword {keyword!r} not found in overview"
