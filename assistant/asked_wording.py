"""What the asking sentence's own words say about whether the documents hold its answer.

The refusal decision's other features look at the evidence (how much of the question the quoted lines cover).
Questions the documents leave unanswered have a shape of their own whatever the evidence: they ask for a
procedure, a count of uses, a name list, an opening time, a future or latest figure, an internal criterion —
about a subject the documents do mention, so the evidence looks good. Held out one question set at a time, a
bag of character n-grams of the asking sentence's content words (kanji, katakana, latin, digits: the asker's
kana endings and politeness say nothing about the documents) fitted by logistic regression caught about twice
the unanswerable questions at the same cost in right answers as the evidence features alone (measured on the
refusal decision's training data; see assistant/answerability_train.py). Its probability is one feature of that
decision, fitted on the others' out-of-fold output, never a decision on its own.

Scoring is plain Python over the fitted vocabulary (no scikit-learn at serving time); training uses
scikit-learn's TfidfVectorizer with this module's analyzer, so both read the same n-grams.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NGRAM_SIZES = (2, 3, 4)
MIN_DOCUMENT_FREQUENCY = 2  # an n-gram of one question only is that question's, not a shape of asking
C = 1.0
DIGITS = 6
# Content runs of the search key (NFKC: 全角 digits and letters become plain; only the key, never quoted text).
_CONTENT_RUN = re.compile(r"[一-龥々〆ヵヶァ-ヴーA-Za-z0-9]+")


def content_runs(asking: str) -> list[str]:
    """The asking sentence's runs of content characters, in order."""
    return _CONTENT_RUN.findall(unicodedata.normalize("NFKC", asking).lower())


def ngrams(asking: str) -> list[str]:
    """Character n-grams within each content run, the run padded by a space on each side (so that a run's start
    and end are n-grams of their own, as scikit-learn's char_wb does)."""
    grams: list[str] = []
    for run in content_runs(asking):
        padded = f" {run} "
        for n in NGRAM_SIZES:
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True)
class WordingModel:
    idf: Mapping[str, float]
    weights: Mapping[str, float]
    bias: float

    def probability(self, asking: str) -> float:
        """P(unanswerable) from the asking sentence's words: sublinear tf × idf, l2-normalised, linear, logistic."""
        counts = Counter(g for g in ngrams(asking) if g in self.idf)
        values = {g: (1.0 + math.log(n)) * self.idf[g] for g, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        z = self.bias + sum(v / norm * self.weights.get(g, 0.0) for g, v in values.items())
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def to_dict(self) -> dict[str, Any]:
        return {"bias": self.bias, "ngrams": {g: [self.idf[g], self.weights.get(g, 0.0)] for g in sorted(self.idf)}}


def from_dict(data: Mapping[str, Any]) -> WordingModel:
    grams = data["ngrams"]
    return WordingModel({g: float(v[0]) for g, v in grams.items()}, {g: float(v[1]) for g, v in grams.items()},
                        float(data["bias"]))


def fit(askings: Sequence[str], labels: Sequence[int], seed: int, c: float = C) -> WordingModel:
    """TF-IDF of `ngrams` and a class-balanced logistic regression (refusal items are a fifth of the data)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=ngrams, min_df=MIN_DOCUMENT_FREQUENCY, sublinear_tf=True)
    x = vectorizer.fit_transform(list(askings))
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=seed).fit(x, list(labels))
    names = vectorizer.get_feature_names_out()
    idf = {str(g): round(float(v), DIGITS) for g, v in zip(names, vectorizer.idf_, strict=True)}
    weights = {str(g): round(float(w), DIGITS) for g, w in zip(names, model.coef_[0], strict=True)}
    return WordingModel(idf, weights, round(float(model.intercept_[0]), DIGITS))
