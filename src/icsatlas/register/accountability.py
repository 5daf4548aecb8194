"""How accountable each type of body is: eight sourced criteria and a score from them.

Scoring (documented in docs/explanation/accountability.md): each criterion scores
1 for ``yes``, 0.5 for ``partial`` and 0 for ``no``; the score is the mean over the eight
criteria, times 100. Every criterion weighs the same: no published basis for weighting one
above another was found, and equal weights keep the score easy to recompute by hand.
A value whose certainty is ``uncertain`` still counts, and is flagged wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from icsatlas import yamlio
from icsatlas.errors import NotFoundError
from icsatlas.register.model import CERTAINTIES, ORG_TYPES

VALUES = {"yes": 1.0, "partial": 0.5, "no": 0.0}
CRITERIA = (
    "public_body",
    "meets_in_public",
    "publishes_papers",
    "subject_to_foi",
    "elected_members",
    "duty_to_consult",
    "health_scrutiny",
    "duty_of_candour",
)


@dataclass(frozen=True)
class Answer:
    """One criterion for one type of body: yes, partial or no, with its source."""

    criterion: str
    value: str
    certainty: str
    source: str
    note: str = ""

    @property
    def points(self) -> float:
        return VALUES[self.value]


@dataclass(frozen=True)
class Profile:
    """The accountability profile of a type of body."""

    holder_type: str
    label: str
    answers: tuple[Answer, ...]

    @property
    def score(self) -> float:
        return round(100 * sum(a.points for a in self.answers) / len(self.answers), 1)

    def answer(self, criterion: str) -> Answer:
        return next(a for a in self.answers if a.criterion == criterion)

    @property
    def uncertain(self) -> list[str]:
        return [a.criterion for a in self.answers if a.certainty == "uncertain"]


@dataclass(frozen=True)
class Criterion:
    criterion: str
    label: str
    question: str


@cache
def criteria() -> dict[str, Criterion]:
    raw = _load().data["criteria"]
    return {c: Criterion(c, raw[c]["label"], raw[c]["question"]) for c in CRITERIA}


@cache
def profiles() -> dict[str, Profile]:
    """Every holder type's profile, checked: all eight criteria, known values, a source."""
    located = _load()
    found = {}
    for holder_type, spec in located.data["profiles"].items():
        where = ("profiles", holder_type)
        if holder_type not in ORG_TYPES:
            raise located.error(where, f"unknown holder type {holder_type!r}")
        answers = []
        for criterion in CRITERIA:
            item = spec.get(criterion)
            if not isinstance(item, dict):
                raise located.error(where, f"missing criterion {criterion!r}")
            if item.get("value") not in VALUES or item.get("certainty") not in CERTAINTIES:
                raise located.error(
                    (*where, criterion),
                    "value must be yes|partial|no with a certainty of verified|reported|uncertain",
                )
            if not item.get("source"):
                raise located.error((*where, criterion), "every answer needs a source")
            answers.append(
                Answer(
                    criterion,
                    item["value"],
                    item["certainty"],
                    item["source"],
                    item.get("note", ""),
                )
            )
        found[holder_type] = Profile(
            holder_type, spec.get("label", ORG_TYPES[holder_type]), tuple(answers)
        )
    return found


def profile(holder_type: str) -> Profile:
    try:
        return profiles()[holder_type]
    except KeyError:
        raise NotFoundError(f"no accountability profile for {holder_type!r}") from None


def _load() -> yamlio.Located:
    return yamlio.load(str(resources.files("icsatlas.register") / "accountability.yaml"))
