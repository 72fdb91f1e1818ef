"""`grant-assistant train-answerability [FILES…] [--out PATH] [--folds N] [--seed N]`: fit the refusal decision.

Every labelled question (dev, own, held-out A, the blind batches) is asked as `grant-assistant eval` asks it,
with the decision switched off; each one that reaches the answer step with a relevant enough draft gives its
feature vector (`answerability.features`) and its label (a refusal item or not). A logistic regression
(standardised, no class weights, so its output is a calibrated probability) is cross-validated with grouped
k-fold by question and with each question set held out whole; the threshold is the lowest probability, out of
the held-out set, at which at most MAX_FALSE_REFUSALS of the answerable questions are refused, and the figures
at that threshold are written beside the weights. Same data and seed → byte-identical file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import answerability
from assistant.answerability import FEATURES, MAX_FALSE_REFUSALS, MODEL_PATH, Answerability
from assistant.train import DEFAULT_FILES, DIGITS, FOLDS, SEED

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.settings import Settings

C = 1.0


def collect(assistant: Assistant, paths: Sequence[Path]) -> tuple[list[list[float]], list[int], list[str]]:
    from assistant.eval import load_items
    from assistant.types import Turn

    vectors, labels, groups = [], [], []
    answerability.set_override(None, disabled=True)
    try:
        for path in paths:
            items, problems = load_items(path)
            for problem in problems:
                print(f"skipped malformed line: {problem}", file=sys.stderr)
            for item in items:
                if item.category == "robustness":
                    continue
                history: list[Turn] = []
                for turn in item.turns[:-1]:
                    earlier = assistant.ask(turn, history, phrase=False)
                    history += [Turn("user", turn), Turn("assistant", earlier.text)]
                answerability.observed = []
                assistant.ask(item.question, history, phrase=False)
                if answerability.observed:
                    vectors.append(answerability.observed[-1])
                    labels.append(int(item.should_refuse))
                    groups.append(f"{path.stem}:{item.id}")
                answerability.observed = None
    finally:
        answerability.observed = None
        answerability.set_override(None)
    return vectors, labels, groups


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
                by_batch: bool = False) -> list[float]:
    """Out-of-fold probabilities: grouped k-fold by question, or (by_batch) each question set held out whole,
    as a batch nobody has seen is met at first sight (groups are "set:item")."""
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    probabilities = [0.0] * len(vectors)
    batches = [g.split(":", 1)[0] for g in groups]
    splits = (LeaveOneGroupOut().split(vectors, labels, groups=batches) if by_batch and len(set(batches)) > 1 else
              GroupKFold(n_splits=min(folds, len(set(groups))), shuffle=True, random_state=seed).split(vectors, labels, groups=groups))
    for train, test in splits:
        model = fit([vectors[i] for i in train], [labels[i] for i in train], seed)
        for i in test:
            probabilities[i] = model.probability(vectors[i])
    return probabilities


def choose_threshold(probabilities: Sequence[float], labels: Sequence[int],
                     max_false: float = MAX_FALSE_REFUSALS) -> tuple[float, dict[str, Any]]:
    """The lowest threshold refusing at most `max_false` of the answerable questions (ties refused together)."""
    answerable = sorted((p for p, y in zip(probabilities, labels, strict=True) if not y), reverse=True)
    allowed = int(max_false * len(answerable))
    # refuse p ≥ t: t just above the (allowed+1)-th highest answerable probability
    threshold = (answerable[allowed] + 1e-9) if allowed < len(answerable) else 0.0
    threshold = max(threshold, 1e-6)
    refusals = [p for p, y in zip(probabilities, labels, strict=True) if y]
    stats = {
        "answerable": len(answerable),
        "unanswerable": len(refusals),
        "false_refusals": sum(p >= threshold for p in answerable),
        "false_refusal_rate": round(sum(p >= threshold for p in answerable) / max(1, len(answerable)), 4),
        "correct_refusals": sum(p >= threshold for p in refusals),
        "correct_refusal_rate": round(sum(p >= threshold for p in refusals) / max(1, len(refusals)), 4),
    }
    return round(threshold, DIGITS), stats


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, help="labelled question sets (default: as `train`)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help=f"model file (default {MODEL_PATH})")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--seed", type=int, default=SEED)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.core import build_assistant

    paths = list(args.files or [Path(f) for f in DEFAULT_FILES])
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    assistant = build_assistant(settings)
    vectors, labels, groups = collect(assistant, paths)
    if len(set(labels)) < 2:
        print("error: the question sets need both answerable and refusal items that reach the answer step", file=sys.stderr)
        return 2
    # The threshold comes from holding out one question set at a time: on fresh batches, false refusals ran far
    # above what question-level folds predicted (their wording differs from the sets the model was fitted on).
    probabilities = out_of_fold(vectors, labels, groups, args.folds, args.seed, by_batch=True)
    threshold, stats = choose_threshold(probabilities, labels)
    _, question_stats = choose_threshold(out_of_fold(vectors, labels, groups, args.folds, args.seed), labels)
    model = fit(vectors, labels, args.seed)
    model = Answerability(model.weights, model.bias, threshold, model.means)
    print(f"{len(vectors)} questions reach the answer step ({sum(labels)} should be refused); each set held out "
          f"in turn, at threshold {threshold:.3f}: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    print(f"(grouped {args.folds}-fold by question at its own threshold: "
          + ", ".join(f"{k} {v}" for k, v in question_stats.items()) + ")")
    meta = {"model": f"StandardScaler + LogisticRegression(C={C}), folded to raw feature units",
            "seed": args.seed, "cv_held_out_set": stats, "cv_grouped_by_question": {"folds": args.folds, **question_stats},
            "trained_on": {p.name: sum(g.startswith(f"{p.stem}:") for g in groups) for p in paths}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(answerability.to_json(model, meta), encoding="utf-8")
    for name, w in sorted(zip(FEATURES, model.weights, strict=True), key=lambda p: -abs(p[1])):
        print(f"  {name:<18} {w:+.3f}")
    print(f"wrote {args.out}")
    return 0
