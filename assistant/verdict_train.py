"""`grant-assistant train-verdict [FILES…] [--out PATH] [--seed N]`: fit the learned yes/no verdict.

Every labelled eligibility question (dev, own, held-out A, the blind batches) is asked as `grant-assistant eval`
asks it, with the model switched off; each one whose answer step reads a coverage question gives its feature
vector (`verdict_model.features`) and three answers composed from the same lines: led by いいえ, led by はい,
and as the stated and weaker rules answer it today. The eval's own scoring of those answers is the label: a
question is a "not covered" example when only the いいえ answer is right, a "covered" one when only the はい
answer is; when both or neither are right the word does not matter and the question is left out of the fit.

A logistic regression (standardised, folded to raw units) of "not covered" is cross-validated with each question
set held out whole (a fresh batch is a new writer's wording; the wording feature is fitted out of fold the same
way). The two thresholds and whether the model may overrule a weaker rule are chosen on those held-out
probabilities for the most right answers, ties going to the more cautious choice (fewer verdicts). The figures
at that choice, against today's rules on the same questions, are written beside the weights. Same data and seed →
byte-identical file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import asked_wording, verdict_model
from assistant.train import LABELLED_FILES, SEED, history_before, items_of, question_set_paths
from assistant.verdict_model import FEATURES, MODEL_PATH, VerdictModel

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.settings import Settings

C = 1.0
WORDING = FEATURES.index("wording")
FILES = LABELLED_FILES
GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))  # candidate thresholds on P(not covered)


@dataclass(frozen=True)
class Case:
    group: str  # "set:item"
    vector: list[float]
    question: str
    stated: bool  # a stated rule settled it (the model is not asked then)
    weak: str | None  # the weaker rules' word, if any
    right_no: bool  # the answer led by いいえ is right
    right_yes: bool
    right_today: bool  # the answer as the rules give it

    @property
    def label(self) -> int | None:
        if self.right_no != self.right_yes:
            return int(self.right_no)
        return None

    def outcome(self, word: str | None, overrules_weak: bool) -> bool:
        """Whether the answer is right when the model says `word` (None: it abstains)."""
        if self.stated or word is None or (self.weak is not None and (not overrules_weak or self.weak == word)):
            return self.right_today
        return self.right_no if word == "いいえ" else self.right_yes


def collect(assistant: Assistant, paths: Sequence[Path]) -> list[Case]:
    from assistant.eval import answer_correct

    cases = []
    verdict_model.set_override(None, disabled=True)
    try:
        for path, item in items_of(paths):
            if item.category == "eligibility":
                history = history_before(assistant, item)
                verdict_model.observed = []
                answer = assistant.ask(item.question, history, phrase=False)
                seen, verdict_model.observed = verdict_model.observed, None
                if not seen or answer.status.value != "answered":
                    continue
                record = seen[-1]
                compose = record["compose"]

                def right(text: str, it: Any = item) -> bool:
                    return answer_correct(it, text, "answered")

                cases.append(Case(f"{path.stem}:{item.id}", record["vector"], record["question"], record["stated"],
                                  record["weak"], right(compose("いいえ")), right(compose("はい")),
                                  right(answer.text)))
    finally:
        verdict_model.observed = None
        verdict_model.set_override(None)
    return cases


def fit(vectors: Sequence[Sequence[float]], labels: Sequence[int], seed: int = SEED, c: float = C) -> tuple[list[float], float]:
    """Logistic regression on standardised features, folded back to raw units (weights, bias): the refusal
    decision's fit."""
    from assistant.answerability_train import fit as logistic_fit

    model = logistic_fit(vectors, labels, seed, c)
    return list(model.weights), model.bias


def out_of_fold(cases: Sequence[Case], seed: int) -> list[float]:
    """P(not covered) for each case from a model fitted without its question set (wording feature included, itself
    fitted out of fold within the training sets)."""
    batches = [c.group.split(":", 1)[0] for c in cases]
    probabilities = [0.5] * len(cases)
    for held in sorted(set(batches)):
        train = [i for i, b in enumerate(batches) if b != held and cases[i].label is not None]
        test = [i for i, b in enumerate(batches) if b == held]
        if len({cases[i].label for i in train}) < 2:
            continue
        vectors = _wording_out_of_fold([cases[i] for i in train], seed)
        weights, bias = fit(vectors, [cases[i].label or 0 for i in train], seed)
        wording = asked_wording.fit([cases[i].question for i in train], [cases[i].label or 0 for i in train], seed)
        model = VerdictModel(tuple(weights), bias, 1.0, 0.0, False)
        for i in test:
            vector = [*cases[i].vector[:WORDING], wording.probability(cases[i].question), *cases[i].vector[WORDING + 1:]]
            probabilities[i] = model.probability(vector)
    return probabilities


def _wording_out_of_fold(cases: Sequence[Case], seed: int) -> list[list[float]]:
    """The cases' vectors with the wording feature from a model fitted without their question set."""
    from assistant.answerability_train import with_wording

    vectors = [[*c.vector[:WORDING], 0.5, *c.vector[WORDING + 1:]] for c in cases]
    return with_wording(vectors, [c.question for c in cases], [c.label or 0 for c in cases],
                        [c.group.split(":", 1)[0] for c in cases], seed, column=WORDING)


def choose(cases: Sequence[Case], probabilities: Sequence[float]) -> tuple[float, float, bool, int]:
    """(says_no, says_yes, overrules_weak, right answers) with the most right answers; ties: fewer verdicts."""
    best: tuple[int, int, float, float, bool] | None = None
    for overrules in (False, True):
        for no in GRID:
            for yes in (g for g in GRID if g < no):
                words = ["いいえ" if p >= no else "はい" if p <= yes else None for p in probabilities]
                right = sum(c.outcome(w, overrules) for c, w in zip(cases, words, strict=True))
                spoken = sum(w is not None for w in words)
                key = (right, -spoken, no, -yes, not overrules)
                if best is None or key > (best[0], best[1], best[2], -best[3], not best[4]):
                    best = (right, -spoken, no, yes, overrules)
    assert best is not None
    return best[2], best[3], best[4], best[0]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, help="labelled question sets (default: every labelled set)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help=f"model file (default {MODEL_PATH})")
    parser.add_argument("--seed", type=int, default=SEED)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.core import build_assistant

    paths = question_set_paths(args.files, FILES)
    if paths is None:
        return 2
    cases = collect(build_assistant(settings), paths)
    labelled = [c for c in cases if c.label is not None]
    if len({c.label for c in labelled}) < 2:
        print("error: the question sets need eligibility questions answered right only by いいえ and only by はい",
              file=sys.stderr)
        return 2
    probabilities = out_of_fold(cases, args.seed)
    says_no, says_yes, overrules, right = choose(cases, probabilities)
    today = sum(c.right_today for c in cases)
    words = ["いいえ" if p >= says_no else "はい" if p <= says_yes else None for p in probabilities]
    stats = {"coverage_questions": len(cases), "labelled": len(labelled), "not_covered": sum(c.label == 1 for c in labelled),
             "right_today": today, "right_with_model": right,
             "verdicts_given": sum(w is not None and not c.stated for c, w in zip(cases, words, strict=True))}
    wording = asked_wording.fit([c.question for c in labelled], [c.label or 0 for c in labelled], args.seed)
    vectors = _wording_out_of_fold(labelled, args.seed)
    weights, bias = fit(vectors, [c.label or 0 for c in labelled], args.seed)
    model = VerdictModel(tuple(weights), bias, says_no, says_yes, overrules, wording)
    meta = {"model": f"StandardScaler + LogisticRegression(C={C}) of not covered, folded to raw feature units; the "
                     "wording feature out of fold by question set (assistant/asked_wording.py)",
            "seed": args.seed, "cv_held_out_set": stats,
            "trained_on": {p.name: sum(c.group.startswith(f"{p.stem}:") for c in cases) for p in paths}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(verdict_model.to_json(model, meta), encoding="utf-8")
    print(f"{len(cases)} coverage questions ({len(labelled)} where the word decides, {stats['not_covered']} of them "
          f"not covered); each set held out in turn: right {right} with the model (いいえ at p ≥ {says_no}, はい at "
          f"p ≤ {says_yes}, overrules weaker rules: {overrules}) against {today} today")
    for name, w in sorted(zip(FEATURES, weights, strict=True), key=lambda p: -abs(p[1])):
        print(f"  {name:<18} {w:+.3f}")
    print(f"wrote {args.out}")
    return 0
