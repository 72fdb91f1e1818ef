"""`grant-assistant train-answerability [FILES…] [--out PATH] [--folds N] [--seed N]`: fit the refusal decision.

Every labelled question (dev, own, held-out A, the blind batches) is asked as `grant-assistant eval` asks it,
with the decision switched off; each one that reaches the answer step with a relevant enough draft gives its
feature vector (`answerability.features`), its label (a refusal item or not) and whether the answer it got
then was right (the eval's own scoring).

What the decision is for: a refusal is right for an unanswerable question and costs the officer an answer only
when the answer would have been right. An answerable question the answer step gets wrong anyway is refused at no
loss (the officer gets the contact line instead of a wrong line), so those questions are left out of the fit: they
are neither what answerable evidence looks like nor what a missing answer looks like. A logistic regression
(standardised, no class weights, so its output is a calibrated probability) of "unanswerable" against "answered
right" is cross-validated with each question set held out whole (and with grouped k-fold by question for the
record); the threshold maximises correct refusals minus refused right answers on the held-out sets, with at most
MAX_FALSE_REFUSALS of the answerable questions' right answers refused. The figures at that threshold are written
beside the weights. Same data and seed → byte-identical file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import answerability, asked_wording
from assistant.answerability import FEATURES, MAX_FALSE_REFUSALS, MODEL_PATH, Answerability
from assistant.train import DIGITS, FOLDS, LABELLED_FILES, SEED, history_before, items_of, question_set_paths

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.settings import Settings

C = 1.0
# The refusal decision learns from every labelled set.
FILES = LABELLED_FILES


def collect(assistant: Assistant, paths: Sequence[Path]) -> tuple[list[list[float]], list[int], list[str], list[int], list[str]]:
    """Feature vectors (the wording feature still NaN), labels (1 = should be refused), groups ("set:item"),
    whether the answer given without the decision was right, and the asking text, for each question that reaches
    the answer step."""
    from assistant.eval import answer_correct

    vectors, labels, groups, right, askings = [], [], [], [], []
    answerability.set_override(None, disabled=True)
    try:
        for path, item in items_of(paths):
            if item.category == "robustness":
                continue
            history = history_before(assistant, item)
            answerability.observed = []
            answer = assistant.ask(item.question, history, phrase=False)
            if answerability.observed:
                vector, asking = answerability.observed[-1]
                vectors.append(vector)
                askings.append(asking)
                labels.append(int(item.should_refuse))
                groups.append(f"{path.stem}:{item.id}")
                right.append(int(not item.should_refuse and answer_correct(item, answer.text, answer.status.value)))
            answerability.observed = None
    finally:
        answerability.observed = None
        answerability.set_override(None)
    return vectors, labels, groups, right, askings


WORDING = FEATURES.index("wording")


def with_wording(vectors: Sequence[Sequence[float]], askings: Sequence[str], labels: Sequence[int],
                 blocks: Sequence[str], seed: int, column: int = WORDING) -> list[list[float]]:
    """The vectors with their wording feature out of fold: each block's (a question set's, or a fold's) from a
    wording model fitted on the other blocks, so that the regression learns how much an unseen question's
    wording says, not how well the wording model remembers its own training questions."""
    out = [list(v) for v in vectors]
    for block in sorted(set(blocks)):
        inside = [i for i, b in enumerate(blocks) if b == block]
        outside = [i for i, b in enumerate(blocks) if b != block]
        if len({labels[i] for i in outside}) < 2:
            continue  # nothing to learn from: the feature stays NaN and takes its mean
        model = asked_wording.fit([askings[i] for i in outside], [labels[i] for i in outside], seed)
        for i in inside:
            out[i][column] = model.probability(askings[i])
    return out


def fitted_on(labels: Sequence[int], right: Sequence[int]) -> list[int]:
    """The questions the regression learns from: the unanswerable ones and the answerable ones answered right."""
    return [i for i, (y, r) in enumerate(zip(labels, right, strict=True)) if y or r]


def fit(vectors: Sequence[Sequence[float]], labels: Sequence[int], seed: int = SEED, c: float = C) -> Answerability:
    """Logistic regression on standardised features, folded back to raw feature units (threshold 0.5 until
    cross-validation sets it)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.array(vectors, dtype=float)
    means = np.nanmean(x, axis=0)
    x = np.where(np.isnan(x), means, x)  # a feature not computed for a question: its mean (as serving does)
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=5000, random_state=seed).fit(scaler.transform(x), np.array(labels))
    scale = [s if s else 1.0 for s in scaler.scale_]
    raw = [float(w) / s for w, s in zip(model.coef_[0], scale, strict=True)]
    bias = float(model.intercept_[0]) - sum(w * m for w, m in zip(raw, scaler.mean_, strict=True))
    return Answerability(tuple(round(w, DIGITS) for w in raw), round(bias, DIGITS), 0.5,
                         tuple(round(float(m), DIGITS) for m in means))


def out_of_fold(vectors: list[list[float]], labels: list[int], groups: list[str], folds: int, seed: int,
                by_batch: bool = False, right: Sequence[int] | None = None,
                askings: Sequence[str] | None = None) -> list[float]:
    """Out-of-fold probabilities for every question: grouped k-fold by question, or (by_batch) each question set
    held out whole, as a batch nobody has seen is met at first sight (groups are "set:item"). With `right`, each
    fold is fitted on its unanswerable and answered-right questions only (`fitted_on`). With `askings`, the
    wording feature is nested: the held-out questions' from a wording model fitted on the fold's training
    questions, the training questions' out of fold within them (`with_wording`)."""
    learns = set(fitted_on(labels, right)) if right is not None else set(range(len(vectors)))
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    probabilities = [0.0] * len(vectors)
    batches = [g.split(":", 1)[0] for g in groups]
    splits = (LeaveOneGroupOut().split(vectors, labels, groups=batches) if by_batch and len(set(batches)) > 1 else
              GroupKFold(n_splits=min(folds, len(set(groups))), shuffle=True, random_state=seed).split(vectors, labels, groups=groups))
    for train, test in splits:
        rows = {i: vectors[i] for i in train}
        held_out = {i: vectors[i] for i in test}
        if askings is not None:
            inner = [batches[i] if by_batch else str(hash_group(groups[i]) % folds) for i in train]
            nested = with_wording([vectors[i] for i in train], [askings[i] for i in train], [labels[i] for i in train],
                                  inner, seed)
            rows = dict(zip(train, nested, strict=True))
            wording = asked_wording.fit([askings[i] for i in train], [labels[i] for i in train], seed)
            held_out = {i: [*vectors[i][:WORDING], wording.probability(askings[i]), *vectors[i][WORDING + 1:]]
                        for i in test}
        learning = [i for i in train if i in learns]
        model = fit([rows[i] for i in learning], [labels[i] for i in learning], seed)
        for i in test:
            probabilities[i] = model.probability(held_out[i])
    return probabilities


def hash_group(group: str) -> int:
    """A stable fold number source for a question group (Python's hash of a string changes per process)."""
    import zlib

    return zlib.crc32(group.encode("utf-8"))


def choose_threshold(probabilities: Sequence[float], labels: Sequence[int], right: Sequence[int] | None = None,
                     max_false: float = MAX_FALSE_REFUSALS) -> tuple[float, dict[str, Any]]:
    """The threshold (refuse when p ≥ it) with the most correct refusals minus refused right answers, among those
    refusing at most `max_false` of the answerable questions' right answers (ties: the higher threshold, fewer
    refusals). Without `right` every answerable question counts as answered right."""
    right = list(right) if right is not None else [int(not y) for y in labels]
    answerable = sum(1 for y in labels if not y)
    allowed = max_false * answerable
    best: tuple[int, float] = (0, 1.0 + 1e-9)  # refusing nothing
    # ties refused together: a threshold sits just under one question's probability
    for t in sorted({p for p in probabilities}, reverse=True):
        caught = sum(1 for p, y in zip(probabilities, labels, strict=True) if y and p >= t)
        lost = sum(1 for p, y, r in zip(probabilities, labels, right, strict=True) if not y and r and p >= t)
        if lost > allowed:
            break  # lower thresholds only refuse more
        if caught - lost > best[0]:
            best = (caught - lost, t)
    threshold = round(max(best[1] - 1e-9, 1e-6), DIGITS)
    refused = [p >= threshold for p in probabilities]
    unanswerable = len(labels) - answerable
    false = sum(1 for f, y in zip(refused, labels, strict=True) if f and not y)
    caught = sum(1 for f, y in zip(refused, labels, strict=True) if f and y)
    stats = {
        "answerable": answerable,
        "answered_right": sum(r for y, r in zip(labels, right, strict=True) if not y),
        "unanswerable": unanswerable,
        "false_refusals": false,
        "false_refusal_rate": round(false / max(1, answerable), 4),
        "right_answers_refused": sum(1 for f, y, r in zip(refused, labels, right, strict=True) if f and not y and r),
        "correct_refusals": caught,
        "correct_refusal_rate": round(caught / max(1, unanswerable), 4),
    }
    return threshold, stats


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, help="labelled question sets (default: FILES)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help=f"model file (default {MODEL_PATH})")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--seed", type=int, default=SEED)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.core import build_assistant

    paths = question_set_paths(args.files, FILES)
    if paths is None:
        return 2
    assistant = build_assistant(settings)
    vectors, labels, groups, right, askings = collect(assistant, paths)
    if len(set(labels)) < 2:
        print("error: the question sets need both answerable and refusal items that reach the answer step", file=sys.stderr)
        return 2
    # The threshold comes from holding out one question set at a time: on fresh batches, false refusals ran far
    # above what question-level folds predicted (their wording differs from the sets the model was fitted on).
    probabilities = out_of_fold(vectors, labels, groups, args.folds, args.seed, by_batch=True, right=right,
                                askings=askings)
    threshold, stats = choose_threshold(probabilities, labels, right)
    _, question_stats = choose_threshold(out_of_fold(vectors, labels, groups, args.folds, args.seed, right=right,
                                                     askings=askings), labels, right)
    learns = fitted_on(labels, right)
    batches = [g.split(":", 1)[0] for g in groups]
    vectors = with_wording(vectors, askings, labels, batches, args.seed)
    model = fit([vectors[i] for i in learns], [labels[i] for i in learns], args.seed)
    wording = asked_wording.fit(askings, labels, args.seed)
    model = Answerability(model.weights, model.bias, threshold, model.means, wording)
    print(f"{len(vectors)} questions reach the answer step ({sum(labels)} should be refused); each set held out "
          f"in turn, at threshold {threshold:.3f}: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    print(f"(grouped {args.folds}-fold by question at its own threshold: "
          + ", ".join(f"{k} {v}" for k, v in question_stats.items()) + ")")
    meta = {"model": f"StandardScaler + LogisticRegression(C={C}) of unanswerable against answered right, "
                     "folded to raw feature units; its wording feature out of fold by question set, from TF-IDF "
                     f"character {asked_wording.NGRAM_SIZES} n-grams of the asking sentence's content runs + "
                     f"class-balanced LogisticRegression(C={asked_wording.C})",
            "seed": args.seed, "cv_held_out_set": stats, "cv_grouped_by_question": {"folds": args.folds, **question_stats},
            "trained_on": {p.name: sum(g.startswith(f"{p.stem}:") for g in groups) for p in paths}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(answerability.to_json(model, meta), encoding="utf-8")
    for name, w in sorted(zip(FEATURES, model.weights, strict=True), key=lambda p: -abs(p[1])):
        print(f"  {name:<18} {w:+.3f}")
    print(f"wrote {args.out}")
    return 0
