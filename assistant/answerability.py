"""Whether the documents answer a question: a calibrated decision over the answer step's own evidence.

The scope rules (assistant/scope.py) catch what a score cannot see (an unknown year, a programme the documents
never name). Everything else used to be one cut-off on the draft's relevance, and plausible questions whose
answer the documents do not hold (a procedure, a tax rule, one town's amount) were answered with the nearest
line. This module scores the evidence with a logistic regression fitted on every labelled question set
(`grant-assistant train-answerability`; unanswerable questions against answerable ones the answer step answers
right, see assistant/answerability_train.py), and refuses when the calibrated probability of "not answerable"
passes a threshold chosen with each question set held out whole: the most correct refusals minus refused right
answers, with at most MAX_FALSE_REFUSALS of the right answers refused. Serving reads `data/answerability.json`
only.

Features (all from what the answer step has already computed; no model call):
- relevance: the draft's share of the question's words found in the quoted lines and their headings
- best_score: the unit ranker's probability for the key line
- unseen_share: share of the question's idf-weighted words that occur nowhere in the documents
- passage_coverage: share found in the best passage (section and text)
- rare_missing: the question's rarest word (highest idf) is absent from every retrieved passage
- asks_figure_unmet: the question asks for a kind of fact (amount, date, …) that no quoted line states
- focus_unseen: share of the asking sentence's words (not the asker's story before it) found nowhere in the
  documents: a term of the sentence that asks is the focus, a word of the story before it is context
- focus_uncited: share of the asking sentence's words missing from the quoted lines and their headings
- card_probability: the fact-card match's probability for its most likely card (assistant/facts.py; 0 when no card
  is a candidate, NaN when the match was fitted for another embedding model: then its training mean is used)
- wording: what the asking sentence's own content words say (assistant/asked_wording.py), from the wording model
  stored in the same file; NaN while training collects the other features (training fills it out of fold)
"""
# Measured and left out: whether the question asks yes/no (grouped CV at ≤ 3 % false refusals: 9/57 correct
# refusals with it, 12/57 without). A verdict the documents settle (assistant/verdict.py) overrides a refusal in
# the answer path instead: the rule about the asker's case is then stated.
# Measured and left out: whether a figure asked in a unit of its own (何日, 何団体, 採択率 …) has a number in that unit
# in the quoted lines (grouped CV on 523 questions at ≤ 3 % false refusals, seeds 14/1/2: 18/24/19 of 96 refused
# with it, 22/25/21 without). The fact-card probability stays: 22/25/21 with it, 13/15/12 without.
# Measured and left out: the highest e5 cosine between the asking sentence and any unit (grouped CV at ≤ 3 %
# false refusals: 11/56 correct refusals with it, 12/56 without) — and it costs a question embedding.

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import asked_wording
from assistant.asked_wording import WordingModel

if TYPE_CHECKING:
    from assistant.answer import Draft
    from assistant.index import LoadedIndex
    from assistant.question import Question
    from assistant.types import Passage

MODEL_PATH = Path(__file__).parent / "data" / "answerability.json"
FEATURES: tuple[str, ...] = (
    "relevance", "best_score", "unseen_share", "passage_coverage", "rare_missing", "asks_figure_unmet",
    "focus_unseen", "focus_uncited", "card_probability", "wording",
    "follow_up",  # the turn carries its topic from the conversation (an elliptic follow-up of an answered turn)
)
# Of the answerable questions, the share whose right answer may be refused (the 3 %). Questions the answer
# step gets wrong anyway are refused at no loss and do not count against it; the closing figures give both.
MAX_FALSE_REFUSALS = 0.03


def features(asked: Question, passages: Sequence[Passage], draft: Draft, index: LoadedIndex,
             use_synonyms: bool = True, card_probability: float = math.nan,
             wording: WordingModel | None = None) -> list[float]:
    from assistant.answer import _has_fact, _unit_tokens, expected_type, term_weights
    from assistant.japanese import normalise_key, query_tokens

    question = asked.text
    # the words of the sentence that asks: a story about the asker's town before it (its 公民館, its 議会) is no
    # sign that the documents cannot answer
    asking = asking_text(asked)
    weights = term_weights(query_tokens(asking, use_synonyms), index.idf)
    total = sum(weights.values()) or 1.0
    vocabulary = index.keyword.vocab_dict
    unseen = sum(w for t, w in weights.items() if t not in vocabulary) / total
    top = _unit_tokens(f"{passages[0].chunk.section}\n{passages[0].text}") if passages else frozenset()
    coverage = sum(w for t, w in weights.items() if t in top) / total
    seen_somewhere = [t for t in weights if t in vocabulary]
    rare_missing = 0.0
    if seen_somewhere:
        rarest = max(seen_somewhere, key=index.idf)
        retrieved = frozenset().union(*(_unit_tokens(f"{p.chunk.section}\n{p.text}") for p in passages))
        rare_missing = float(rarest not in retrieved)
    wanted = expected_type(question)
    unmet = float(wanted is not None and not any(_has_fact(wanted[1], normalise_key(c.quote), asked.key)
                                                 for c in draft.citations))
    focus = {t: w for t, w in term_weights([t for t in query_tokens(asking, False)
                                            if len(t) >= 2], index.idf).items()}
    focus_total = sum(focus.values()) or 1.0
    focus_unseen = sum(w for t, w in focus.items() if t not in vocabulary and not _is_bigram(t, focus)) / focus_total
    cited = frozenset().union(*(_unit_tokens(f"{c.section}\n{c.quote}") for c in draft.citations)) if draft.citations else frozenset()
    focus_uncited = sum(w for t, w in focus.items() if t not in cited) / focus_total
    leaning = wording.probability(asking_text(asked)) if wording is not None else math.nan
    return [draft.relevance, draft.best_score, unseen, coverage, rare_missing, unmet, focus_unseen, focus_uncited,
            card_probability, leaning, float(bool(asked.carried))]


def asking_text(asked: Question) -> str:
    """What the features of the asking sentence read: the sentence that asks (the whole question when none is told
    apart) — with the sentence before it when it names nothing itself (「…と伺いました。どのような場合でしょう？」)."""
    from assistant.answer import term_weights
    from assistant.japanese import query_tokens
    from assistant.question_parts import split_sentences

    if not asked.asking:
        return asked.text
    # an ask made as an addition (「…も載っていれば」「あわせて…も」) presupposes the ask before it
    added_on = bool(_ADDED_ASK.search(asked.asking))
    if term_weights([t for t in query_tokens(asked.asking, False) if len(t) >= 2]) and not added_on:
        return asked.asking
    sentences = split_sentences(asked.text)
    at = next((i for i, s in enumerate(sentences) if asked.asking.strip() in s), 0)
    return "".join(sentences[max(0, at - 1) : at + 1]) if at else asked.text


_ADDED_ASK = re.compile(r"^(?:あわせて|併せて|また|それと|あと|ついでに)|も(?:載って|書いて|記載|あれば|わかれば|分かれば|教えて|知りたい)")


def _is_bigram(token: str, tokens: dict[str, float]) -> bool:
    """A joined pair of two other tokens (the tokenizer adds them): unseen as a pair says little."""
    return any(token.startswith(a) and token[len(a):] in tokens for a in tokens if a != token and len(a) < len(token))


@dataclass(frozen=True)
class Answerability:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # refuse when P(not answerable) ≥ this
    # Training means: a feature that cannot be computed (NaN: no fact-card match for this embedding model) is
    # taken at its mean, so that it tips the decision neither way.
    means: tuple[float, ...] = ()
    wording: WordingModel | None = None

    def probability(self, vector: Sequence[float]) -> float:
        filled = [x if not math.isnan(x) else self.means[i] if i < len(self.means) else 0.0 for i, x in enumerate(vector)]
        z = self.bias + sum(w * x for w, x in zip(self.weights, filled, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def refuses(self, vector: Sequence[float]) -> bool:
        return self.probability(vector) >= self.threshold


def read_fitted(path: Path, features: Sequence[str], command: str) -> tuple[dict[str, Any], WordingModel | None]:
    """A fitted model file's data and its wording model, refused when fitted on other features than `features`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != tuple(features):
        raise ValueError(f"{path}: fitted on other features than today's; run `grant-assistant {command}`")
    return data, asked_wording.from_dict(data["wording"]) if "wording" in data else None


def load(path: Path) -> Answerability:
    data, wording = read_fitted(path, FEATURES, "train-answerability")
    return Answerability(tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data["threshold"]),
                         tuple(float(m) for m in data.get("means", ())), wording)


@lru_cache(maxsize=2)
def _shipped(path: str) -> Answerability | None:
    return load(Path(path)) if Path(path).exists() else None


_override: Answerability | None = None
_disabled = False
# Training sets this to a list: the answer step appends each question's feature vector and asking text to it.
observed: list[tuple[list[float], str]] | None = None


def current() -> Answerability | None:
    """The decision answers use: an override set by training, else the shipped file, else none (only the
    relevance floor and the scope rules refuse)."""
    if _disabled:
        return None
    return _override if _override is not None else _shipped(str(MODEL_PATH))


def set_override(model: Answerability | None, disabled: bool = False) -> None:
    """Cross-validation answers with a fold's model, or with none (disabled) while collecting features."""
    global _override, _disabled
    _override, _disabled = model, disabled


def to_json(model: Answerability, meta: dict[str, Any]) -> str:
    data = {"features": list(FEATURES), "weights": list(model.weights), "bias": model.bias,
            "threshold": model.threshold, "means": list(model.means), **meta}
    if model.wording is not None:
        data["wording"] = model.wording.to_dict()
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
