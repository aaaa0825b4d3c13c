"""The four nations of the UK: where a person is, and where a nation-wide service is available."""

from __future__ import annotations

from enum import StrEnum


class Nation(StrEnum):
    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        return NATION_LABELS[self]


NATION_LABELS = {
    Nation.ENGLAND: "England",
    Nation.SCOTLAND: "Scotland",
    Nation.WALES: "Wales",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}
