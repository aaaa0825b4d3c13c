"""The controlled vocabularies: support types (two levels), audiences, delivery modes, service areas, cost, referral.

Every code used in the CSV, the database, the forms and the API is defined here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from directory.errors import DirectoryError
from directory.geography.nations import Nation


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    parent: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """A taxonomy: its id (also the ORUK taxonomy id), a name, and its terms in display order."""

    id: str
    name: str
    description: str
    terms: tuple[Term, ...]

    def codes(self) -> frozenset[str]:
        return self._codes

    def label(self, code: str) -> str:
        return self._by_code[code].label

    def labels(self, codes: Iterable[str]) -> str:
        """'Phone, Online': the labels of these codes, as a list reads."""
        return ", ".join(self._by_code[code].label for code in codes)

    def by_code(self) -> dict[str, Term]:
        return self._by_code

    @cached_property
    def _codes(self) -> frozenset[str]:
        return frozenset(term.code for term in self.terms)

    @cached_property
    def _by_code(self) -> dict[str, Term]:
        return {term.code: term for term in self.terms}

    def top_level(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.parent is None)

    def children(self, code: str) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.parent == code)

    def expand(self, codes: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
        """A code with its children: searching for 'practical' also finds 'financial' and 'grants'."""
        found = set(codes)
        found.update(term.code for term in self.terms if term.parent in found)
        return frozenset(found)

    def chosen(self, values: list[str], field: str) -> list[str]:
        """Codes a person chose (from a query string), in vocabulary order; an unknown one is refused, naming the
        field."""
        unknown = [value for value in values if value not in self.codes()]
        if unknown:
            raise DirectoryError(
                f"'{unknown[0][:40]}' is not a {self.name.lower()} we know. Choose from the list on the page.",
                field=field,
            )
        wanted = set(values)
        return [term.code for term in self.terms if term.code in wanted]

    def with_parents(self, codes: list[str] | tuple[str, ...]) -> list[str]:
        """The codes plus the parents they imply, in vocabulary order."""
        wanted = set(codes)
        wanted.update(self.by_code()[code].parent or code for code in codes)
        return [term.code for term in self.terms if term.code in wanted]


SUPPORT_TYPES = Vocabulary(
    id="support-type",
    name="Support type",
    description="The kind of help a service gives.",
    terms=(
        Term("emotional", "Emotional support", description="Someone to talk to about how you feel."),
        Term("counselling", "Counselling", "emotional"),
        Term("peer-support", "Peer support", "emotional", "Meeting or talking with others in a similar situation."),
        Term("practical", "Practical support", description="Help with money, work, travel, appearance and daily life."),
        Term("financial", "Money and benefits advice", "practical"),
        Term("grants", "Grants", "practical"),
        Term("work", "Work and employment rights", "practical"),
        Term("travel-insurance", "Travel insurance", "practical"),
        Term("appearance", "Wigs and appearance", "practical"),
        Term("transport", "Transport", "practical"),
        Term("family", "Family support", description="Support for partners, children, carers and the bereaved."),
        Term("children-young-people", "Children and young people", "family"),
        Term("carers", "Carers", "family"),
        Term("bereavement", "Bereavement", "family"),
        Term("information", "Information", description="Reliable information about secondary breast cancer."),
        Term("nurse-advice", "Specialist nurses", "information"),
        Term("advocacy", "Advocacy", "information"),
        Term("wellbeing", "Wellbeing", description="Looking after your body and mind."),
        Term("complementary-therapies", "Complementary therapies", "wellbeing"),
        Term("physical-activity", "Physical activity", "wellbeing"),
        Term("end-of-life", "End-of-life care", description="Care and support towards the end of life."),
        Term("palliative-care", "Palliative care", "end-of-life"),
        Term("hospice", "Hospice care", "end-of-life"),
    ),
)

AUDIENCES = Vocabulary(
    id="audience",
    name="Audience",
    description="Who a service is for.",
    terms=(
        Term("living-with-secondary", "People living with secondary breast cancer"),
        Term("partners-family", "Partners and family"),
        Term("children", "Children and young people"),
        Term("carers", "Carers"),
        Term("professionals", "Health professionals"),
    ),
)

DELIVERY_MODES = Vocabulary(
    id="delivery-mode",
    name="Delivery mode",
    description="How a service is delivered.",
    terms=(
        Term("in-person", "In person"),
        Term("phone", "By phone"),
        Term("online", "Online"),
    ),
)

VOCABULARIES = (SUPPORT_TYPES, AUDIENCES, DELIVERY_MODES)

# Words people search with that name a term without appearing in its label: a keyword that names a support type,
# audience or delivery mode finds the services tagged with it, whatever their descriptions say.
TERM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "emotional": ("talk", "talking", "feelings", "listening", "worry", "anxiety", "lonely"),
    "counselling": ("counsellor", "counsellors", "counseling", "counselor", "therapist", "therapy"),
    "peer-support": ("group", "groups", "meet", "meetup", "others", "buddy", "befriending"),
    "financial": ("money", "benefit", "benefits", "debt", "finance", "pip", "welfare"),
    "grants": ("grant", "funding"),
    "work": ("job", "employment", "employer"),
    "travel-insurance": ("insurance", "holiday"),
    "appearance": ("wig", "wigs", "hair", "headwear", "scarf", "makeup", "skin"),
    "transport": ("lift", "lifts", "driver", "parking"),
    "children-young-people": ("child", "children", "kids", "teenager", "teenagers", "teen", "young"),
    "carers": ("carer", "caring"),
    "bereavement": ("bereaved", "grief", "grieving", "loss"),
    "nurse-advice": ("nurse", "nurses", "helpline"),
    "advocacy": ("advocate", "rights"),
    "complementary-therapies": ("massage", "reflexology", "reiki", "aromatherapy", "therapies", "relaxation"),
    "physical-activity": ("exercise", "walking", "yoga", "fitness", "swimming"),
    "palliative-care": ("palliative", "symptoms", "pain"),
    "hospice": ("hospices",),
    "partners-family": ("partner", "husband", "wife", "relatives"),
    "online": ("video", "zoom", "chat", "forum"),
    "phone": ("telephone", "call", "ring"),
    "in-person": ("drop", "visit", "centre", "center"),
}
# Forms of a word that stemming does not join (porter stems "counselling" to "counsel", "counsellor" to itself).
WORD_FORMS: tuple[frozenset[str], ...] = (
    frozenset({"counselling", "counseling", "counsellor", "counsellors", "counselor", "counsel"}),
    frozenset({"bereavement", "bereaved", "grief", "grieving"}),
    frozenset({"carer", "carers", "caring"}),
    frozenset({"child", "children", "kids"}),
    frozenset({"therapy", "therapies", "therapist", "therapists"}),
    frozenset({"wig", "wigs"}),
    frozenset({"benefit", "benefits"}),
)
GENERIC_WORDS = frozenset({"and", "the", "for", "with", "support", "people", "care", "help", "service", "services"})
# Not a published taxonomy: the postcode areas/districts a regional service covers, stored beside the terms so
# that search can find them through the same index.
POSTCODE_AREA = "postcode-area"
REMOTE_DELIVERY = frozenset({"phone", "online"})


class ServiceArea(StrEnum):
    """Where a service is available: the UK, one nation, only some postcode areas (`areas`, with `area_postcodes`:
    offered by any delivery mode only to people inside them), or `local`: a place-based service offered to people
    near it, by distance."""

    UK = "uk"
    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern-ireland"
    AREAS = "areas"
    LOCAL = "local"

    @property
    def label(self) -> str:
        return SERVICE_AREA_LABELS[self]

    def covers(self, nation: Nation) -> bool:
        return self is ServiceArea.UK or self.value == nation.value


SERVICE_AREA_LABELS = {
    ServiceArea.UK: "The whole UK",
    ServiceArea.ENGLAND: "England",
    ServiceArea.SCOTLAND: "Scotland",
    ServiceArea.WALES: "Wales",
    ServiceArea.NORTHERN_IRELAND: "Northern Ireland",
    ServiceArea.AREAS: "Some areas only",
    ServiceArea.LOCAL: "Local area",
}


class Specificity(StrEnum):
    """How specific a service is to the people this directory is for: search ranks the more specific first."""

    SECONDARY_BREAST_CANCER = "secondary-breast-cancer"
    BREAST_CANCER = "breast-cancer"
    ANY_CANCER = "any-cancer"
    LIFE_LIMITING_ILLNESS = "life-limiting-illness"
    ANYONE = "anyone"

    @property
    def label(self) -> str:
        return SPECIFICITY_LABELS[self]

    @property
    def rank(self) -> int:
        """0 for secondary breast cancer, then breast cancer, any cancer, any life-limiting illness, anyone."""
        return list(Specificity).index(self)


def specificity_rank(value: str) -> int:
    """A stored specificity's rank (an unknown value ranks last): the one ordering search uses."""
    return _RANKS.get(value, len(_RANKS))


_RANKS = {specificity.value: specificity.rank for specificity in Specificity}


SPECIFICITY_WORDS = (
    (Specificity.SECONDARY_BREAST_CANCER,
     ("secondary breast", "metastatic breast", "stage 4 breast", "stage four breast", "advanced breast")),
    (Specificity.BREAST_CANCER, ("breast cancer",)),
    (Specificity.ANY_CANCER, ("cancer",)),
    (Specificity.LIFE_LIMITING_ILLNESS, ("life-limiting", "life limiting", "terminal", "palliative", "hospice")),
)  # fmt: skip


def likely_specificity(text: str) -> Specificity:
    """The narrowest specificity the words of a suggestion name, for one sent without it: a moderator checks it in
    the review (the diff shows it) before anything is published."""
    lowered = " ".join(text.lower().split())
    for specificity, phrases in SPECIFICITY_WORDS:
        if any(phrase in lowered for phrase in phrases):
            return specificity
    return Specificity.ANYONE


SPECIFICITY_LABELS = {
    Specificity.SECONDARY_BREAST_CANCER: "For people with secondary breast cancer",
    Specificity.BREAST_CANCER: "For people with breast cancer",
    Specificity.ANY_CANCER: "For anyone affected by cancer",
    Specificity.LIFE_LIMITING_ILLNESS: "For anyone with a life-limiting illness",
    Specificity.ANYONE: "For anyone",
}


class Cost(StrEnum):
    FREE = "free"
    PAID = "paid"
    VARIES = "varies"

    @property
    def label(self) -> str:
        return {"free": "Free", "paid": "There is a charge", "varies": "Some parts may cost money"}[self.value]


class Referral(StrEnum):
    SELF = "self"
    PROFESSIONAL = "professional"
    SELF_OR_PROFESSIONAL = "self-or-professional"

    @property
    def label(self) -> str:
        return {
            "self": "Contact them yourself",
            "professional": "Ask a health or care professional to refer you",
            "self-or-professional": "Contact them yourself, or ask a professional to refer you",
        }[self.value]
