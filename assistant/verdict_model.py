"""The learned yes/no verdict: whether the asker's case is covered, when no stated rule settles it.

`assistant/verdict.py` reads the rule about the case from the lines (an exclusion list, a requirement, an
exception) and says はい or いいえ when one matches; most coverage questions match none, and the answer then
quoted lines without saying whether the case is covered. Officers asking 「…は対象になりますか」 mostly ask about
cases the documents leave out, so silence loses the answer far more often than a wrong word would.

This model gives the verdict the rules leave open: a logistic regression, fitted by `grant-assistant
train-verdict` on every labelled eligibility question, of "not covered" over features of the case and of the
lines the answer found:
- what the weaker rules said (`verdict.listed`, `verdict.permitted`), and what the stated rules said;
- the asker's own framing (presumes it is not covered; asks to confirm a statement);
- the answer's key line: does it exclude, permit, or set a limit;
- how much of the case's words the best excluding line and the best permitting line hold;
- the question's words (a character n-gram model, `assistant/asked_wording.py`, fitted out of fold by question set
  in training), since what officers ask about (staff costs, a facility of their own, a company in town) says much
  of whether it is covered.
Above its upper threshold the answer says いいえ, under its lower one はい, between them nothing (the quoted lines
stand alone). Thresholds and the choice of when the model may overrule a weaker rule come from cross-validation
with each question set held out whole. Serving reads `assistant/data/verdict_model.json`; no scikit-learn.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant import asked_wording, verdict
from assistant.japanese import normalise_key

MODEL_PATH = Path(__file__).parent / "data" / "verdict_model.json"
ENV_CHOICE = "GRANT_ASSISTANT_VERDICT_MODEL"  # "off" answers with the stated rules only; a path loads that file

FEATURES: tuple[str, ...] = (
    "rule_stated",  # +1 a stated rule (exclusion, requirement, exception, condition) says not covered, −1 covered
    "rule_weak",  # the same for the weaker readings (`listed`, `permitted`)
    "presumes_not",  # the asker presumes the case is not covered (「対象外ですよね」「無理でしょうか」)
    "confirmation",  # the asker states something and asks whether it is so
    "key_excludes",  # the answer's key line excludes (対象外, 除く, できない …)
    "key_permits",  # … permits (可能, 対象となり得る, 対象とする …)
    "key_limits",  # … sets a limit or a condition (以内, 未満, 上限, 限る, 場合)
    "excluding_share",  # share of the case's words held by the best line that excludes
    "permitting_share",  # … by the best line that permits or lists what is covered
    "wording",  # P(not covered) from the question's own words
)

# What an excluding / permitting / limiting line says, on the search key of the line: the stated rules' own words
# (verdict._FORBIDS, verdict._PERMITS), and the other forms of them a line of a list uses.
_EXCLUDES = re.compile(verdict._FORBIDS.pattern + r"|除き|できません|対象とならない|対象としない")
_PERMITS = re.compile(verdict._PERMITS.pattern + r"|交付対象|取組例|対象経費")
_LIMITS = re.compile(r"以内|未満|以下|上限|限る|限り|場合")
_NOT_EXCLUDED = verdict._NOT_EXCLUDED

LEADS = {  # the verdict's first sentence; the lines that follow are the evidence
    "いいえ": "資料の記載からは対象外と考えられます（次の記載をご確認ください）",
    "はい": "資料の記載からは対象となり得ます（次の記載をご確認ください）",
}


def _share(terms: set[str], line: str) -> float:
    if not terms:
        return 0.0
    held = verdict._shared(terms, verdict._compound_key(line))
    return min(1.0, sum(len(t) for t in held) / sum(len(t) for t in terms))


def _sign(found: verdict.Verdict | None) -> float:
    if found is None:
        return 0.0
    return 1.0 if found.word == "いいえ" else -1.0 if found.word == "はい" else 0.0


def features(question: str, lines: Sequence[tuple[str, str]], key_line: str, stated: verdict.Verdict | None,
             weak: verdict.Verdict | None, wording: asked_wording.WordingModel | None) -> list[float]:
    """The feature vector (FEATURES' order) of a coverage question and the lines the answer found. `stated` and
    `weak` are the rules' verdicts before they are turned round to the asker's framing (はい = covered)."""
    from assistant.question_parts import asking_sentence

    asking = normalise_key(asking_sentence(question))
    terms = verdict._case_terms(question)
    key = normalise_key(key_line)
    excluding = permitting = 0.0
    for line, _section in lines:
        k = normalise_key(line)
        share = _share(terms, line)
        if _EXCLUDES.search(k) and not _NOT_EXCLUDED.search(k):
            excluding = max(excluding, share)
        elif _PERMITS.search(k) or _NOT_EXCLUDED.search(k):
            permitting = max(permitting, share)
    return [
        _sign(stated),
        _sign(weak),
        float(bool(verdict._PRESUMES_NOT.search(asking))),
        float(bool(verdict._CONFIRMATION.search(normalise_key(question)))),
        float(bool(_EXCLUDES.search(key)) and not _NOT_EXCLUDED.search(key)),
        float(bool(_PERMITS.search(key) or _NOT_EXCLUDED.search(key))),
        float(bool(_LIMITS.search(key))),
        excluding,
        permitting,
        wording.probability(question) if wording is not None else 0.5,
    ]


@dataclass(frozen=True)
class VerdictModel:
    weights: tuple[float, ...]
    bias: float
    says_no: float  # いいえ when P(not covered) ≥ this
    says_yes: float  # はい when P(not covered) ≤ this
    overrules_weak: bool  # a confident model overrules the weaker rules' opposite verdict
    wording: asked_wording.WordingModel | None = None

    def probability(self, vector: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, vector, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def word(self, vector: Sequence[float]) -> str | None:
        p = self.probability(vector)
        return "いいえ" if p >= self.says_no else "はい" if p <= self.says_yes else None


def load(path: Path) -> VerdictModel:
    from assistant.answerability import read_fitted

    data, wording = read_fitted(path, FEATURES, "train-verdict")
    return VerdictModel(tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data["says_no"]),
                        float(data["says_yes"]), bool(data["overrules_weak"]), wording)


def to_json(model: VerdictModel, meta: dict[str, Any]) -> str:
    data = {"features": list(FEATURES), "weights": list(model.weights), "bias": model.bias,
            "says_no": model.says_no, "says_yes": model.says_yes, "overrules_weak": model.overrules_weak, **meta}
    if model.wording is not None:
        data["wording"] = model.wording.to_dict()
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@lru_cache(maxsize=4)
def _load_cached(path: str) -> VerdictModel | None:
    return load(Path(path)) if Path(path).exists() else None


_override: VerdictModel | None = None
_disabled = False
# Training sets this to a list: each coverage question's answer step appends what the fit and its simulation need.
observed: list[dict[str, Any]] | None = None


def current() -> VerdictModel | None:
    """The model answers use: a training override, else the file named by the environment, else the shipped
    file; none when switched off (the stated rules alone)."""
    if _disabled:
        return None
    if _override is not None:
        return _override
    choice = os.environ.get(ENV_CHOICE, "")
    if choice == "off":
        return None
    return _load_cached(choice or str(MODEL_PATH))


def set_override(model: VerdictModel | None, disabled: bool = False) -> None:
    global _override, _disabled
    _override, _disabled = model, disabled
