"""The condition guide: plain-English pages about secondary breast cancer, in reading order.

Each page's body lives in ``templates/guide/<slug>.html``. The wording is our own; the facts come from the project's
seed text and from the public pages listed as each page's sources (NHS, NICE, Breast Cancer Now, Macmillan, Cancer
Research UK, Marie Curie, nidirect), which a reviewer re-reads by the next review date. The guide informs and
signposts: it never diagnoses, and it sends people to their own care team.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A public page that a guide page's facts come from."""

    publisher: str
    title: str
    url: str


@dataclass(frozen=True)
class OverviewPage:
    """One guide page: its URL slug, heading, contents-list summary and sources."""

    slug: str
    title: str
    summary: str
    sources: tuple[Source, ...]


BCN_WHAT_IT_IS = Source(
    "Breast Cancer Now",
    "Secondary breast cancer: our work and what it means",
    "https://breastcancernow.org/about-us/what-we-do/our-work-in-secondary-breast-cancer/information-about-our-work-secondary-breast-cancer",
)
BCN_TREATMENT = Source(
    "Breast Cancer Now",
    "Treatment for secondary breast cancer",
    "https://breastcancernow.org/information-support/facing-breast-cancer/secondary-metastatic-breast-cancer/secondary-breast-cancer-treatment",
)
BCN_BRAIN = Source(
    "Breast Cancer Now",
    "Secondary (metastatic) breast cancer in the brain",
    "https://breastcancernow.org/about-breast-cancer/secondary-breast-cancer/secondary-breast-cancer-treatment/secondary-metastatic-breast-cancer-in-the-brain/",
)
MACMILLAN_MSCC = Source(
    "Macmillan Cancer Support",
    "Metastatic spinal cord compression (MSCC)",
    "https://www.macmillan.org.uk/cancer-information-and-support/impacts-of-cancer/metastatic-spinal-cord-compression",
)
NICE_MSCC = Source(
    "NICE",
    "Diagnosing metastatic spinal cord compression (information for the public)",
    "https://www.nice.org.uk/guidance/cg75/ifp/chapter/Diagnosing-metastatic-spinal-cord-compression",
)
CRUK_MSCC = Source(
    "Cancer Research UK",
    "What spinal cord compression is",
    "https://www.cancerresearchuk.org/about-cancer/coping-with-cancer/coping-physically/spinal/what-spinal-cord-compression-is",
)
CRUK_TEMPERATURE = Source(
    "Cancer Research UK",
    "Why call the doctor if I have a temperature?",
    "https://www.cancerresearchuk.org/about-cancer/cancers-in-general/cancer-questions/why-call-the-doctor-if-i-have-a-temperature",
)
NHS_INFECTION = Source(
    "The Christie NHS Foundation Trust",
    "Infection and fever advice (acute oncology)",
    "https://christie.nhs.uk/patients-and-visitors/services/acute-oncology/infection-and-fever-advice",
)
CRUK_CALCIUM = Source(
    "Cancer Research UK",
    "High calcium in people with cancer",
    "https://www.cancerresearchuk.org/about-cancer/coping/physically/blood-calcium/high-calcium-people-cancer",
)
MARIE_CURIE_CALCIUM = Source(
    "Marie Curie",
    "Hypercalcaemia",
    "https://mariecurie.org.uk/professionals/palliative-care-knowledge-zone/hypercalcaemia",
)
NIDIRECT_SERVICES = Source(
    "nidirect (Northern Ireland)",
    "How to use your health services",
    "https://www.nidirect.gov.uk/articles/how-use-your-health-services",
)

URGENT_SOURCES = (MACMILLAN_MSCC, NICE_MSCC, CRUK_TEMPERATURE, NHS_INFECTION, CRUK_CALCIUM, BCN_BRAIN,
                  NIDIRECT_SERVICES)  # fmt: skip

PAGES: tuple[OverviewPage, ...] = (
    OverviewPage(
        slug="what-it-is",
        title="What secondary breast cancer is",
        summary="What secondary breast cancer means, and other names you may hear for it.",
        sources=(BCN_WHAT_IT_IS, BCN_TREATMENT),
    ),
    OverviewPage(
        slug="where-it-spreads",
        title="Where it can spread",
        summary="The parts of the body that breast cancer spreads to most often.",
        sources=(BCN_WHAT_IT_IS, BCN_BRAIN),
    ),
    OverviewPage(
        slug="signs-and-symptoms",
        title="Signs and symptoms",
        summary="Common signs to look out for, and who to tell if you notice them.",
        sources=(BCN_BRAIN, MACMILLAN_MSCC),
    ),
    OverviewPage(
        slug="tests",
        title="Tests",
        summary="The scans and other tests used to find out if breast cancer has spread.",
        sources=(BCN_TREATMENT, NICE_MSCC),
    ),
    OverviewPage(
        slug="treatment",
        title="Treatment: aims and options",
        summary="What treatment tries to do, and the main types you may be offered.",
        sources=(BCN_TREATMENT, BCN_WHAT_IT_IS),
    ),
    OverviewPage(
        slug="getting-support",
        title="Getting support",
        summary="Why support matters for you and the people close to you, and how to find it.",
        sources=(BCN_WHAT_IT_IS, BCN_TREATMENT),
    ),
    OverviewPage(
        slug="get-help-urgently",
        title="When to get help urgently",
        summary="Warning signs that need help the same day, and who to call.",
        sources=(*URGENT_SOURCES[:6], CRUK_MSCC, MARIE_CURIE_CALCIUM, NIDIRECT_SERVICES),
    ),
)

LAST_REVIEWED = datetime.date(2026, 12, 2)  # every page re-read against its sources on this day
NEXT_REVIEW = datetime.date(2027, 6, 2)  # six months on: treatments and services change

_BY_SLUG = {page.slug: page for page in PAGES}


def find_page(slug: str) -> OverviewPage | None:
    """Return the page with this slug, or ``None`` if there is no such page."""
    return _BY_SLUG.get(slug)
