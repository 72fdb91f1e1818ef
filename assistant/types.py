"""The typed values that travel from retrieval to the UI: Passage, Citation, Rule, Calculation, Answer.

`Answer` is frozen and checks its own invariants on construction, so an answer whose `[n]` marker
points nowhere cannot exist (paper-qa's rule: an answer may only cite evidence it was given).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal

MARKER_RE = re.compile(r"\[(\d{1,3})\]")


class Status(StrEnum):
    ANSWERED = "answered"
    CALCULATED = "calculated"
    CLARIFICATION_NEEDED = "clarification_needed"
    UNANSWERABLE = "unanswerable"
    GUARDRAIL = "guardrail"

    @property
    def refused(self) -> bool:
        return self in (Status.UNANSWERABLE, Status.GUARDRAIL)


@dataclass(frozen=True)
class Turn:
    """One message of the chat history, most recent last."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class Chunk:
    """A piece of a cleaned document, as stored in both indexes.

    `start`/`end` are character offsets into the cleaned text of `source`: the chunk's text is exactly
    `cleaned[start:end]`.
    """

    chunk_id: str
    source: str
    title: str
    fiscal_year: str
    section: str
    text: str
    start: int
    end: int

    def metadata(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "fiscal_year": self.fiscal_year,
            "section": self.section,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and rank (1-based)."""

    chunk: Chunk
    score: float
    rank: int

    @property
    def chunk_id(self) -> str:
        return self.chunk.chunk_id

    @property
    def text(self) -> str:
        return self.chunk.text


@dataclass(frozen=True)
class Citation:
    """What `[marker]` in an answer points to: a verbatim quote inside chunk `chunk_id`."""

    marker: int
    chunk_id: str
    source: str
    title: str
    fiscal_year: str
    section: str
    quote: str
    score: float


@dataclass(frozen=True)
class Rule:
    """One parameter of a calculator, quoted from the corpus.

    `value` is exact (int yen, int count, or Fraction for rates); `quote` is a verbatim substring of the
    cleaned text of `source`.
    """

    name: str
    value: int | Fraction | str | tuple[int, ...] | tuple[str, ...]
    unit: str
    quote: str
    source: str
    section: str
    note: str = ""

    def display_value(self) -> str:
        if isinstance(self.value, Fraction):
            return f"{self.value.numerator}/{self.value.denominator}"
        if isinstance(self.value, tuple):
            return "・".join(str(v) for v in self.value)
        return str(self.value)


@dataclass(frozen=True)
class Step:
    """One step of a calculation program: what it does (in the officer's terms), its inputs, its result and
    the rule it applies (None for plain arithmetic: a sum, a difference)."""

    kind: str  # sum | cap | rate | count_limit | difference | band | rank | gate
    label: str
    inputs: Mapping[str, Any]
    result: Any
    rule: Rule | None = None


@dataclass(frozen=True)
class Calculation:
    """A calculator's result: how a number came about, with the rules it used.

    `inputs` and `result` hold JSON-serialisable values (int, str, bool); `summary` is the key fact as one
    Japanese sentence (e.g. 「国費は4,500万円です。」); `formula` the human formula.
    """

    kind: str
    inputs: Mapping[str, Any]
    result: Mapping[str, Any]
    formula: str
    summary: str
    rules: tuple[Rule, ...] = ()
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The one answer type, from the core to the API, UI and eval."""

    text: str
    status: Status
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    calculation: Calculation | None = None
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    search_query: str = ""

    def __post_init__(self) -> None:
        markers = [c.marker for c in self.citations]
        if len(markers) != len(set(markers)):
            raise ValueError(f"duplicate citation markers: {markers}")
        cited = {int(m) for m in MARKER_RE.findall(self.text)}
        dangling = cited - set(markers)
        if dangling:
            raise ValueError(f"answer cites markers with no citation: {sorted(dangling)}")
        if self.status is Status.CALCULATED and self.calculation is None:
            raise ValueError("a calculated answer needs its calculation")

    @property
    def refused(self) -> bool:
        return self.status.refused
