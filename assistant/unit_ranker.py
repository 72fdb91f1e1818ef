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
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

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


    def scores(self, vectors: Sequence[Sequence[float]]) -> list[float]:
        """The scores of one question's candidate units (a linear score needs no other unit; see TreeRanker)."""
        return [self.score(v) for v in vectors]


HAND = LinearRanker.from_mapping(HAND_WEIGHTS)


def relative_columns(vectors: Sequence[Sequence[float]]) -> list[list[float]]:
    """Each unit's features followed by the same features minus their best value among the question's candidates.

    A feature's value says little on its own (an overlap of 3 is the best a short question gets and a poor one for
    a long question); how far a unit is from the question's best unit says what ranking needs. Both halves go to
    the trees, which find where the split lies on each."""
    if not vectors:
        return []
    best = [max(column) for column in zip(*vectors, strict=True)]
    return [[*v, *(x - b for x, b in zip(v, best, strict=True))] for v in vectors]


RELATIVE_NAMES: tuple[str, ...] = (*FEATURE_NAMES, *(f"{n}_vs_best" for n in FEATURE_NAMES))


# A tree model's node arrays and the type of their entries (one entry per node; `roots`: each tree's first node).
_NODE_ARRAYS: dict[str, type] = {"feature": int, "threshold": float, "left": int, "right": int, "value": float,
                                 "leaf": bool, "missing_left": bool, "roots": int}


@dataclass(frozen=True, eq=False)
class TreeRanker:
    """Gradient-boosted trees over `relative_columns` (fitted by `grant-assistant train --columns trees`), stored
    as flat node arrays so that serving needs numpy only: score = logistic(baseline + Σ leaf values)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]
    leaf: tuple[bool, ...]
    missing_left: tuple[bool, ...]
    roots: tuple[int, ...]
    baseline: float
    name: str = "trees"

    def to_data(self) -> dict[str, Any]:
        """The node arrays and baseline as a model file stores them (`from_data` reads them back)."""
        return {**{name: list(getattr(self, name)) for name in _NODE_ARRAYS}, "baseline": self.baseline}

    @classmethod
    def from_data(cls, data: Mapping[str, Any], name: str = "trees") -> TreeRanker:
        arrays = {field: tuple(kind(x) for x in data[field]) for field, kind in _NODE_ARRAYS.items()}
        return cls(**arrays, baseline=float(data["baseline"]), name=name)

    def uses(self, *names: str) -> bool:
        """Whether any split reads these features, as themselves or relative to the best unit."""
        wanted = {RELATIVE_NAMES.index(n) for n in names} | {RELATIVE_NAMES.index(f"{n}_vs_best") for n in names}
        return any(not is_leaf and f in wanted for f, is_leaf in zip(self.feature, self.leaf, strict=True))

    def scores(self, vectors: Sequence[Sequence[float]]) -> list[float]:
        import numpy as np

        if not vectors:
            return []
        arrays = self._arrays
        x = np.asarray(relative_columns(vectors), dtype=float)
        node = np.broadcast_to(np.asarray(self.roots), (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        while True:
            inner = ~arrays["leaf"][node]
            if not inner.any():
                break
            value = x[rows, arrays["feature"][node]]
            left = np.where(np.isnan(value), arrays["missing_left"][node], value <= arrays["threshold"][node])
            node = np.where(inner, np.where(left, arrays["left"][node], arrays["right"][node]), node)
        z = self.baseline + arrays["value"][node].sum(axis=1)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]

    @cached_property
    def _arrays(self) -> dict[str, Any]:
        """The node tuples as numpy arrays, built on first use (cached_property writes the instance dict, which a
        frozen dataclass allows)."""
        import numpy as np

        return {"feature": np.asarray(self.feature, dtype=np.intp), "threshold": np.asarray(self.threshold),
                "left": np.asarray(self.left, dtype=np.intp), "right": np.asarray(self.right, dtype=np.intp),
                "value": np.asarray(self.value), "leaf": np.asarray(self.leaf, dtype=bool),
                "missing_left": np.asarray(self.missing_left, dtype=bool)}

    def score(self, vector: Sequence[float]) -> float:
        """A unit scored alone, as the best of its own candidates (tests and single-unit callers)."""
        return self.scores([vector])[0]


Ranker = LinearRanker | TreeRanker


def load_model(path: Path) -> Ranker:
    """A model file written by `grant-assistant train`; its feature names must be today's."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != MODEL_VERSION:
        raise ValueError(f"{path}: model version {data.get('version')}, expected {MODEL_VERSION}")
    names = tuple(data["features"])
    if names != FEATURE_NAMES:
        raise ValueError(f"{path}: fitted on other features than today's; run `grant-assistant train`")
    if data.get("kind") == "trees":
        return TreeRanker.from_data(data["trees"], f"learned:{path.name}")
    return LinearRanker(tuple(float(w) for w in data["weights"]), float(data["bias"]), True, f"learned:{path.name}")


@lru_cache(maxsize=4)
def _cached(choice: str) -> Ranker:
    if choice == "hand":
        return HAND
    path = Path(choice) if choice else MODEL_PATH
    if not path.exists():
        return HAND  # no trained model shipped: the hand weights
    return load_model(path)


_override: Ranker | None = None


def current() -> Ranker:
    """The ranker answers use: an override set by training, else $GRANT_ASSISTANT_UNIT_RANKER, else the
    shipped model file, else the hand weights."""
    if _override is not None:
        return _override
    return _cached(os.environ.get(ENV_CHOICE, ""))


def set_override(ranker: Ranker | None) -> None:
    """Used by cross-validation to answer with a fold's model; None restores the normal choice."""
    global _override
    _override = ranker
