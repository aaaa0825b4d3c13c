"""Plain-English overview pages about secondary breast cancer.

Each page has a short title and a one-sentence summary for the contents
list. The body text lives in ``templates/overview/<slug>.html``, which
extends ``overview/_page.html``. ``PAGES`` is in reading order.

The wording is our own, based on the facts in the project's seed text.
It gives general information only and does not replace advice from the
reader's own care team.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class OverviewPage:
    """One overview page: its URL slug, heading and contents-list summary."""

    slug: str
    title: str
    summary: str


PAGES: tuple[OverviewPage, ...] = (
    OverviewPage(
        slug="what-it-is",
        title="What secondary breast cancer is",
        summary="What secondary breast cancer means, and other names you may hear for it.",
    ),
    OverviewPage(
        slug="where-it-spreads",
        title="Where it can spread",
        summary="The parts of the body that breast cancer spreads to most often.",
    ),
    OverviewPage(
        slug="signs-and-symptoms",
        title="Signs and symptoms",
        summary="Common signs to look out for, and who to tell if you notice them.",
    ),
    OverviewPage(
        slug="tests",
        title="Tests",
        summary="The scans and other tests used to find out if breast cancer has spread.",
    ),
    OverviewPage(
        slug="treatment",
        title="Treatment: aims and options",
        summary="What treatment tries to do, and the main types you may be offered.",
    ),
    OverviewPage(
        slug="getting-support",
        title="Getting support",
        summary="Why support matters for you and the people close to you, and how to find it.",
    ),
)

LAST_REVIEWED = datetime.date(2026, 11, 25)

_BY_SLUG = {page.slug: page for page in PAGES}


def find_page(slug: str) -> OverviewPage | None:
    """Return the page with this slug, or ``None`` if there is no such page."""
    return _BY_SLUG.get(slug)
