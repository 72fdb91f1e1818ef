"""The score of an answer unit: a dot product of its named features (`answer.unit_features`) with weights.

Two sets of weights exist:
- `HAND_WEIGHTS`, the values that were written by hand in `draft_answer` before any training (kept so the
  learned model can always be compared with them: `GRANT_ASSISTANT_UNIT_RANKER=hand`);
- the learned ones, fitted by `grant-assistant train` (logistic regression on units labelled by gold quotes)
  and stored in `assistant/data/unit_ranker.json`. Serving reads that file only: no scikit-learn at answer
  time; a learned score is the logistic of the dot product, a probability in 0..1, so the relative cut-offs
  of `draft_answer` (a further line at ≥ 0.75 × the best) apply to it as they did to the hand scores.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "data" / "unit_ranker.json"
MODEL_VERSION = 1
ENV_CHOICE = "GRANT_ASSISTANT_UNIT_RANKER"  # "hand" forces the hand weights; a path loads that file

# Order matters: a feature vector is a list in this order, and a model file lists the names it was fitted on.
FEATURE_NAMES: tuple[str, ...] = (
    # signals the hand-written scoring already used
    "overlap",  # idf-weighted overlap with the question (context words at 0.7), BM25-style length-normalised
    "passage_score",  # the retrieval score of the unit's passage
    "topic_share",  # follow-ups: share of the carried topic's weight found in the unit or its context
    "kind_hit",  # the question asks a kind of fact (amount, rate, date …) and the unit states one
    "kind_miss",  # … and the unit states none
    "quantity_hit",  # count of the question's quantity phrases (「50人以上」) stated exactly
    "quantity_conflict",  # count of those stated with the same figure but another comparator
    "names_present",  # every programme the question names appears in the unit's section/context/text
    "other_measure",  # the unit names another of the documents' measures than the one asked about
    "enumerates",  # a list question, and the unit is an enumeration
    "defines",  # a 「Xとは」 question, and the unit starts by defining X
    "heading_or_short",  # a heading, or under 6 characters without a label
    "contents_row",  # a table-of-contents row (measure, ministry, page) when no department is asked for
    "grant_same",  # the unit is about the grant type asked for
    "grant_other",  # … about the other grant type
    "grant_both",  # … names the asked type among others
    # general signals, no hand weight
    "inv_rank",  # 1 / passage rank
    "position",  # where the unit starts in its passage, 0 (top) .. 1 (bottom)
    "log_length",  # log(1 + characters)
    "coverage",  # share of the question's content-word weight found in the unit's own words
    "context_coverage",  # share found only in its heading / column / row label
    "has_number",  # the unit states a figure
    "labelled_cell",  # a table cell shown with its row/column label
    "prev_overlap",  # share of the question's weight found in the line above
    "next_overlap",  # … in the line below
    # meaning (e5 vectors of the question and of the unit in context, built at ingest: assistant/unit_vectors.py)
    "meaning",  # cosine(question, unit)
    "meaning_margin",  # that cosine minus the best one among the candidate units (0 for the closest)
)

MEANING: tuple[str, ...] = ("meaning", "meaning_margin")

HAND_WEIGHTS: dict[str, float] = {
    "overlap": 1.0,
    "passage_score": 1.5,
    "topic_share": 5.0,
    "kind_hit": 4.0,
    "kind_miss": -2.0,
    "quantity_hit": 2.0,
    "quantity_conflict": -2.0,
    "names_present": 2.5,
    "other_measure": -2.5,
    "defines": 4.0,
    "heading_or_short": -2.5,
    "contents_row": -4.0,
    "grant_same": 1.5,
}
# Hand weights deleted after measuring that answers do not need them (eval sum over dev, own, held-out A and both
# blind batches unchanged at 395 with the evidence windows): enumerates +2.0, grant_other -3.0, grant_both +1.0.
# The features stay, for the all-features regression to weigh. (Deleting quantity_hit cost 1, names_present 3:
# kept; topic_share alone was neutral but with the three others cost 1: kept.)


@dataclass(frozen=True)
class LinearRanker:
    """score = bias + Σ weight × feature; `probability` turns it into a logistic probability (learned models)."""

    weights: tuple[float, ...]
    bias: float = 0.0
    probability: bool = False
    name: str = "hand"

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float], bias: float = 0.0, probability: bool = False,
                     name: str = "hand", names: Sequence[str] = FEATURE_NAMES) -> LinearRanker:
        unknown = set(weights) - set(names)
        if unknown:
            raise ValueError(f"unknown features: {sorted(unknown)}")
        return cls(tuple(float(weights.get(n, 0.0)) for n in names), float(bias), probability, name)

    def uses(self, *names: str) -> bool:
        """Whether any of these features has a weight (the meaning features cost a question embedding)."""
        return any(self.weights[FEATURE_NAMES.index(n)] for n in names)

    def decision(self, vector: Sequence[float]) -> float:
        total = self.bias
        for w, x in zip(self.weights, vector, strict=True):
            if w:
                total += w * x
        return total

    def score(self, vector: Sequence[float]) -> float:
        z = self.decision(vector)
        if not self.probability:
            return z
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


HAND = LinearRanker.from_mapping(HAND_WEIGHTS)


def load_model(path: Path) -> LinearRanker:
    """A model file written by `grant-assistant train`; its feature names must be today's."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != MODEL_VERSION:
        raise ValueError(f"{path}: model version {data.get('version')}, expected {MODEL_VERSION}")
    names = tuple(data["features"])
    if names != FEATURE_NAMES:
        raise ValueError(f"{path}: fitted on other features than today's; run `grant-assistant train`")
    return LinearRanker(tuple(float(w) for w in data["weights"]), float(data["bias"]), True, f"learned:{path.name}")


@lru_cache(maxsize=4)
def _cached(choice: str) -> LinearRanker:
    if choice == "hand":
        return HAND
    path = Path(choice) if choice else MODEL_PATH
    if not path.exists():
        return HAND  # no trained model shipped: the hand weights
    return load_model(path)


_override: LinearRanker | None = None


def current() -> LinearRanker:
    """The ranker answers use: an override set by training, else $GRANT_ASSISTANT_UNIT_RANKER, else the
    shipped model file, else the hand weights."""
    if _override is not None:
        return _override
    return _cached(os.environ.get(ENV_CHOICE, ""))


def set_override(ranker: LinearRanker | None) -> None:
    """Used by cross-validation to answer with a fold's model; None restores the normal choice."""
    global _override
    _override = ranker
