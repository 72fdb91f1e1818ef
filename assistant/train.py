"""`grant-assistant train [FILES…] [--out PATH] [--folds N] [--seed N]`: fit the answer-unit ranker.

For every labelled item (gold_quotes, not a refusal, not one the router sends to a calculator) the passages are retrieved as `Assistant.ask` retrieves
them (history → `conversation.rewrite` → `retriever.passages`, plus each part's passages for a question of
several parts), every unit of them gets its feature vector (`answer.unit_features`), and a unit is a positive
when its text holds a gold quote or a substantial part of one. A logistic regression (standardised features,
balanced classes) is fitted on all units; grouped k-fold by item gives the unit hit@1 and the end accuracy of
answers made with each fold's model, next to the hand weights' on the same items. The fitted weights, in raw
feature units (the standardisation folded in), are written with the feature names, the data hash and the
version: same data and seed → byte-identical file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.unit_ranker import (
    FEATURE_NAMES,
    HAND,
    MODEL_PATH,
    MODEL_VERSION,
    LinearRanker,
    Ranker,
    TreeRanker,
    relative_columns,
)

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.eval import Item
    from assistant.settings import Settings
    from assistant.types import Turn

DEFAULT_FILES = (
    "../shared/eval/dev_questions.jsonl",
    "../shared/eval/heldout_a.jsonl",
    "eval/questions.jsonl",
    "eval/blind_general_2026-11-29.jsonl",
    "eval/blind_calc_2026-11-29.jsonl",
    "eval/blind_b2_2026-11-29.jsonl",
    "eval/blind_c3_2026-11-29.jsonl",
    "eval/blind_d4_2026-11-29.jsonl",
    "eval/blind_e5_2026-11-29.jsonl",
    "eval/blind_f6_2026-11-29.jsonl",
    "eval/blind_g7_2026-11-29.jsonl",
    "eval/blind_h8_2026-11-29.jsonl",
    "eval/blind_i9_2026-11-29.jsonl",
    "eval/blind_j10_2026-12-05.jsonl",
    "eval/blind_k11_2026-12-05.jsonl",
    "eval/blind_l12_2026-12-05.jsonl",
    "eval/blind_m13_2026-12-05.jsonl",
    "eval/blind_n14_2026-12-06.jsonl",
    "eval/blind_o15_2026-12-06.jsonl",
    "eval/blind_p16_2026-12-06.jsonl",
    "eval/blind_q17_2026-12-06.jsonl",
    "eval/blind_r18_2026-12-06.jsonl",
    "eval/blind_s19_2026-12-06.jsonl",
    "eval/blind_t20_2026-12-06.jsonl",
    "eval/blind_u21_2026-12-06.jsonl",
    "eval/blind_v22_2026-12-06.jsonl",
    "eval/blind_w23_2026-12-06.jsonl",
    "eval/blind_x24_2026-12-06.jsonl",
    "eval/blind_y25_2026-12-06.jsonl",
    "eval/blind_z26_2026-12-06.jsonl",
    "eval/blind_a27_2026-12-06.jsonl",
    "eval/blind_b28_2026-12-06.jsonl",
    "eval/blind_c29_2026-12-06.jsonl",
    "eval/blind_d30_2026-12-06.jsonl",
    "eval/blind_e31_2026-12-06.jsonl",
    "eval/blind_f32_2026-12-06.jsonl",
    "eval/blind_g33_2026-12-06.jsonl",
    "eval/blind_h34_2026-12-06.jsonl",
    "eval/blind_i35_2026-12-06.jsonl",
    "eval/blind_j36_2026-12-07.jsonl",
    "eval/blind_k37_2026-12-07.jsonl",
    "eval/blind_l38_2026-12-07.jsonl",
    "eval/blind_m39_2026-12-07.jsonl",
)
# Every labelled set: the unit ranker's (its last refit) and the batches written after it. The refusal decision and
# the learned verdict are fitted on these (the refusal decision's shipped file on every set to z52, the verdict's to t46;
# a53, b54 and c55 await the next refit).
LABELLED_FILES = (*DEFAULT_FILES, "eval/blind_n40_2026-12-07.jsonl", "eval/blind_o41_2026-12-07.jsonl",
                  "eval/blind_p42_2026-12-07.jsonl", "eval/blind_q43_2026-12-07.jsonl", "eval/blind_r44_2026-12-07.jsonl",
                  "eval/blind_s45_2026-12-07.jsonl", "eval/blind_t46_2026-12-07.jsonl", "eval/blind_u47_2026-12-07.jsonl",
                  "eval/blind_v48_2026-12-07.jsonl", "eval/blind_w49_2026-12-07.jsonl", "eval/blind_x50_2026-12-07.jsonl",
                  "eval/blind_y51_2026-12-07.jsonl", "eval/blind_z52_2026-12-07.jsonl", "eval/blind_a53_2026-12-07.jsonl",
                  "eval/blind_b54_2026-12-08.jsonl", "eval/blind_c55_2026-12-08.jsonl")
SEED = 14


def items_of(paths: Sequence[Path]) -> Iterator[tuple[Path, Item]]:
    """Every item of the labelled sets, with its set's path; malformed lines are reported and skipped."""
    from assistant.eval import load_items

    for path in paths:
        items, problems = load_items(path)
        for problem in problems:
            print(f"skipped malformed line: {problem}", file=sys.stderr)
        for item in items:
            yield path, item


def history_before(assistant: Assistant, item: Item) -> list[Turn]:
    """The conversation before an item's scored turn, each earlier turn asked as the eval asks it."""
    from assistant.types import Turn

    history: list[Turn] = []
    for turn in item.turns[:-1]:
        earlier = assistant.ask(turn, history, phrase=False)
        history += [Turn("user", turn), Turn("assistant", earlier.text)]
    return history


def question_set_paths(given: Sequence[Path] | None, default: Sequence[str]) -> list[Path] | None:
    """The labelled sets a training command reads (the given ones, else its default), or None after saying which
    are missing."""
    paths = list(given or [Path(f) for f in default])
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: not found: {', '.join(missing)}", file=sys.stderr)
        return None
    return paths
FOLDS = 5
C = 1.0  # inverse regularisation strength of the logistic regression
DIGITS = 8  # weights are rounded so that the file does not depend on the last bits of the solver
SUBSTANTIAL = 0.6  # share of a gold quote a unit must hold (as one contiguous stretch) to count as positive
MIN_PART = 10  # … and never fewer characters than this, unless it holds the whole quote


@dataclass(frozen=True)
class Example:
    group: str  # file stem + item id
    vectors: list[list[float]]
    labels: list[int]


def is_positive(unit_text: str, gold_quotes: Sequence[str]) -> bool:
    """The unit's normalised text holds a gold quote, or a contiguous part of one covering most of it."""
    from assistant.eval import quote_key

    key = quote_key(unit_text)
    if not key:
        return False
    for gold in gold_quotes:
        g = quote_key(gold)
        if not g:
            continue
        if g in key:
            return True
        match = SequenceMatcher(None, key, g, autojunk=False).find_longest_match(0, len(key), 0, len(g))
        if match.size >= max(MIN_PART, SUBSTANTIAL * len(g)) or (match.size == len(key) >= MIN_PART and
                                                                    match.size >= 0.4 * len(g)):
            return True  # most of the quote, or a whole line of a quote that spans several lines
    return False


def unit_rows(assistant: Assistant, turns: Sequence[str]) -> list[tuple[Any, list[float]]]:
    """The units the answer step would score for the last turn, earlier turns as history, with their features."""
    from assistant import conversation, question_parts
    from assistant.answer import question_signals, unit_features
    from assistant.types import Turn

    question = assistant.validate_question(turns[-1])
    history = assistant.validate_history([Turn("user", t) for t in turns[:-1]])
    rewritten = conversation.rewrite(question, history)
    parts = question_parts.split_question(question)
    passages = assistant.retriever.passages(rewritten.query, assistant.settings.top_k)
    if len(parts) > 1:
        passages = assistant._with_passages_for(parts, rewritten.carried, passages)
    carried = rewritten.carried
    similarity = assistant.index.similarity(question_parts.meaning_text(question, carried))
    signals = question_signals(question, carried, assistant.settings.use_synonyms, assistant.index.idf,
                               assistant.index.measures, similarity)
    rows = unit_features(signals, passages)
    if any(not u.is_heading for u, _ in rows):
        rows = [(u, v) for u, v in rows if not u.is_heading]  # as draft_answer: headings are never chosen
    return rows


def labelled_items(paths: Sequence[Path]) -> list[tuple[str, Item]]:
    """The items the unit ranker learns from (gold quotes, not a refusal), each with its group "set:item"."""
    return [(f"{path.stem}:{item.id}", item) for path, item in items_of(paths) if item.gold_quotes and not item.should_refuse]


def data_hash(examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(ex.group.encode())
        for vector, label in zip(ex.vectors, ex.labels, strict=True):
            digest.update(repr([round(x, DIGITS) for x in vector] + [label]).encode())
    return digest.hexdigest()


def _matrix(examples: Sequence[Example]) -> tuple[Any, Any, list[str]]:
    import numpy as np

    rows = [(v, y, ex.group) for ex in examples for v, y in zip(ex.vectors, ex.labels, strict=True)]
    x = np.array([r[0] for r in rows], dtype=float).reshape(-1, len(FEATURE_NAMES))
    y = np.array([r[1] for r in rows], dtype=int)
    return x, y, [r[2] for r in rows]


# What the regression sees: every named feature ("all"; "pairwise": differences of a positive and a negative unit of
# one item, each item weighing the same, then a one-column calibration), or the hand-weighted score alone ("hand").
# "trees": gradient-boosted trees over each feature and its distance from the question's best candidate
# (`unit_ranker.relative_columns`), for interactions a weighted sum cannot express (coverage counts when the kind
# of fact matches; an overlap is good or poor by how the question's best unit fares).
COLUMNS = ("trees", "all", "pairwise", "hand", "hand_meaning")  # reversed: fewest parameters first
# Chosen on grouped CV (5 folds, seeds 14 and 1, 579 items): depth 5 and 150 rounds at rate 0.1 ranked best among
# depth 3–6, 100–400 rounds; leaves of at least 20 units. Measured on 575 items (seed 14): unit hit@1 0.678 against
# the hand score's 0.633, but end accuracy 0.774 against 0.777 (shallower trees: 0.777 too), so `--columns best`
# keeps the hand column; the trees stay among the compared models for the next data.
TREE_PARAMS = {"max_iter": 150, "learning_rate": 0.1, "max_depth": 5, "min_samples_leaf": 20}
PAIRWISE_C = 0.1


# The meaning weight is chosen, on the training folds only, as the one whose unit hit@1 is best: a ranking
# criterion (a pointwise regression weighs meaning by how it separates units of all questions at once, and
# cosines are on one scale per question, not across questions).
MEANING_GRID = (0.0, 4.0, 8.0, 16.0, 24.0, 32.0, 48.0, 64.0, 96.0)


def best_meaning_weight(examples: Sequence[Example]) -> float:
    import numpy as np

    hand = np.array(HAND.weights)
    at = FEATURE_NAMES.index("meaning")
    ranked = [(np.array(ex.vectors) @ hand, np.array(ex.vectors)[:, at], ex.labels) for ex in examples if any(ex.labels)]

    def hits(weight: float) -> int:
        return sum(labels[int(np.argmax(h + weight * m))] for h, m, labels in ranked)

    return max(MEANING_GRID, key=lambda w: (hits(w), -w))


def _columns(x: Any, columns: str, meaning_weight: float = 0.0) -> Any:
    """The regression's input: the feature matrix ("all"), or one column, the hand-weighted score ("hand": the
    regression then learns only how that score maps to a probability), or that column beside the meaning features
    ("hand_meaning": the regression learns how much meaning adds to the words' score)."""
    import numpy as np

    hand = x @ np.array(HAND.weights).reshape(-1, 1)
    if columns == "hand":
        return hand
    if columns == "hand_meaning":  # the hand score plus the e5 meaning at the weight that ranks best (`fit`)
        return hand + meaning_weight * x[:, [FEATURE_NAMES.index("meaning")]]
    return x


def fit(examples: Sequence[Example], c: float = C, seed: int = SEED, columns: str = "all") -> tuple[Ranker, Any]:
    """A logistic regression of the units' labels (balanced classes) on their standardised columns; returns its
    serving form, a linear ranker over `FEATURE_NAMES` in raw units, and the fitted scikit-learn parts
    (scaler, model, columns) for tests."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    if columns == "pairwise":
        return fit_pairwise(examples, PAIRWISE_C, seed)
    if columns == "trees":
        return fit_trees(examples, seed)
    x, y, _ = _matrix(examples)
    weight = best_meaning_weight(examples) if columns == "hand_meaning" else 0.0
    xa = _columns(x, columns, weight)
    scaler = StandardScaler().fit(xa)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=seed).fit(scaler.transform(xa), y)
    return (folded(scaler, model.coef_[0], float(model.intercept_[0]), columns, weight),
            (scaler, model, columns, weight))


def fit_pairwise(examples: Sequence[Example], c: float = PAIRWISE_C, seed: int = SEED) -> tuple[LinearRanker, Any]:
    """Weights from a logistic regression on standardised differences (positive − negative unit of the same item,
    both signs, each sign of an item weighing 1), so they learn what makes one unit of a question better than
    another; a one-column logistic regression of the labels on that score (balanced) makes it a probability."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x, y, _ = _matrix(examples)
    scaler = StandardScaler().fit(x)
    diffs, labels, weights = [], [], []
    for ex in examples:
        z = scaler.transform(np.array(ex.vectors, dtype=float).reshape(-1, len(FEATURE_NAMES)))
        mask = np.array(ex.labels) == 1
        if not mask.any() or mask.all():
            continue
        d = (z[mask][:, None, :] - z[~mask][None, :, :]).reshape(-1, z.shape[1])
        diffs += [d, -d]
        labels += [np.ones(len(d), dtype=int), np.zeros(len(d), dtype=int)]
        weights += [np.full(len(d), 1.0 / len(d))] * 2
    ranking = LogisticRegression(C=c, fit_intercept=False, max_iter=5000, random_state=seed)
    ranking.fit(np.vstack(diffs), np.concatenate(labels), sample_weight=np.concatenate(weights))
    score = ranking.decision_function(scaler.transform(x)).reshape(-1, 1)
    calibration = LogisticRegression(C=1e6, class_weight="balanced", max_iter=5000, random_state=seed).fit(score, y)
    a = float(calibration.coef_[0][0])
    ranker = folded(scaler, a * ranking.coef_[0], float(calibration.intercept_[0]), "pairwise")
    return ranker, (scaler, ranking, calibration)


def fit_trees(examples: Sequence[Example], seed: int = SEED) -> tuple[TreeRanker, Any]:
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, balanced classes, no early stopping
    so that every fold fits the same number of rounds) on `relative_columns` of each item's units; returned as a
    `TreeRanker` of flat node arrays and the fitted model (for tests)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.array([row for ex in examples for row in relative_columns(ex.vectors)], dtype=float)
    y = np.array([label for ex in examples for label in ex.labels], dtype=int)
    model = HistGradientBoostingClassifier(**TREE_PARAMS, class_weight="balanced", early_stopping=False,
                                           random_state=seed).fit(x, y)
    feature: list[int] = []
    left: list[int] = []
    right: list[int] = []
    roots: list[int] = []
    threshold: list[float] = []
    value: list[float] = []
    leaf: list[bool] = []
    missing_left: list[bool] = []
    for (predictor,) in model._predictors:  # one tree per round for a binary label
        offset = len(feature)
        roots.append(offset)
        for node in predictor.nodes:
            is_leaf = bool(node["is_leaf"])
            feature.append(0 if is_leaf else int(node["feature_idx"]))
            threshold.append(0.0 if is_leaf else float(node["num_threshold"]))
            left.append(offset + int(node["left"]) if not is_leaf else 0)
            right.append(offset + int(node["right"]) if not is_leaf else 0)
            value.append(round(float(node["value"]), DIGITS) if is_leaf else 0.0)
            leaf.append(is_leaf)
            missing_left.append(bool(node["missing_go_to_left"]))
    baseline = round(float(np.ravel(model._baseline_prediction)[0]), DIGITS)
    ranker = TreeRanker(tuple(feature), tuple(threshold), tuple(left), tuple(right), tuple(value), tuple(leaf),
                        tuple(missing_left), tuple(roots), baseline, "learned:trees")
    return ranker, model


def sklearn_decision(parts: Any, x: Any) -> Any:
    """The fitted scikit-learn parts' own decision function (what `folded` must reproduce as a dot product)."""
    if len(parts) == 3:  # pairwise: (scaler, ranking, calibration)
        scaler, model, calibration = parts
        return calibration.decision_function(model.decision_function(scaler.transform(x)).reshape(-1, 1))
    scaler, model, columns, weight = parts
    return model.decision_function(scaler.transform(_columns(x, columns, weight)))


def folded(scaler: Any, coef: Any, intercept: float, columns: str, meaning_weight: float = 0.0) -> LinearRanker:
    """w·((x − μ)/σ) + b as w'·x + b' (the hand column expanded into its features): the dot product serving
    computes without scikit-learn."""
    scale = [s if s else 1.0 for s in scaler.scale_]
    raw = [float(w) / s for w, s in zip(coef, scale, strict=True)]
    bias = intercept - sum(w * m for w, m in zip(raw, scaler.mean_, strict=True))
    if columns in ("hand", "hand_meaning"):
        weights = [raw[0] * h for h in HAND.weights]
        weights[FEATURE_NAMES.index("meaning")] += raw[0] * meaning_weight
    else:
        weights = raw
    return LinearRanker(tuple(round(w, DIGITS) for w in weights), round(bias, DIGITS), True, f"learned:{columns}")


def unit_hit_at_1(ranker: Ranker, examples: Sequence[Example]) -> tuple[float, int]:
    """Share of items (with a positive unit) whose best-scored unit is a positive; ties go to the first unit, as
    draft_answer's sort keeps retrieval order within a score."""
    hits = total = 0
    for ex in examples:
        if not any(ex.labels):
            continue
        total += 1
        scores = ranker.scores(ex.vectors)
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        hits += ex.labels[best]
    return (hits / total if total else 0.0), total


def grouped_folds(examples: Sequence[Example], folds: int, seed: int) -> list[tuple[list[int], list[int]]]:
    from sklearn.model_selection import GroupKFold

    groups = [ex.group for ex in examples]
    splitter = GroupKFold(n_splits=min(folds, len(set(groups))), shuffle=True, random_state=seed)
    return [(list(a), list(b)) for a, b in splitter.split(groups, groups=groups)]


def model_json(ranker: Ranker, examples: Sequence[Example], meta: dict[str, Any]) -> str:
    data: dict[str, Any] = {"version": MODEL_VERSION, "features": list(FEATURE_NAMES), "data_hash": data_hash(examples)}
    if isinstance(ranker, TreeRanker):
        data["kind"] = "trees"
        data["trees"] = ranker.to_data()
    else:
        data["weights"], data["bias"] = list(ranker.weights), ranker.bias
    data.update(meta)
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def collect(assistant: Assistant, paths: Sequence[Path]) -> tuple[list[Example], dict[str, Item]]:
    examples, items = [], {}
    from assistant.types import Turn

    for group, item in labelled_items(paths):
        if assistant._route(item.question, [Turn("user", t) for t in item.turns[:-1]]) is not None:
            continue  # answered by a calculator: the answer step never sees it
        rows = unit_rows(assistant, item.turns)
        examples.append(Example(group, [v for _, v in rows], [int(is_positive(u.text, item.gold_quotes)) for u, _ in rows]))
        items[group] = item
    return examples, items


def end_accuracy(assistant: Assistant, items: Sequence[Item], ranker: Ranker) -> float:
    """Accuracy of whole answers (`Assistant.ask`, as `grant-assistant eval` scores them) made with `ranker`."""
    from assistant import unit_ranker
    from assistant.eval import answer_correct
    from assistant.payloads import answer_payload
    from assistant.types import Turn

    unit_ranker.set_override(ranker)
    try:
        correct = 0
        for item in items:
            history: list[Turn] = []
            for turn in item.turns[:-1]:
                earlier = assistant.ask(turn, history)
                history += [Turn("user", turn), Turn("assistant", earlier.text)]
            payload = answer_payload(assistant.ask(item.question, history))
            correct += answer_correct(item, payload.get("answer", ""), payload.get("status", ""))
        return correct / len(items) if items else 0.0
    finally:
        unit_ranker.set_override(None)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, help="labelled question sets (default: dev, held-out A, own, blind)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help=f"model file (default {MODEL_PATH})")
    parser.add_argument("--folds", type=int, default=FOLDS, help="grouped cross-validation folds")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    parser.add_argument("--columns", choices=[*COLUMNS, "best"], default="best",
                        help="regress on every feature, on the hand-weighted score only, or whichever has the better "
                             "grouped-CV end accuracy (default)")
    parser.add_argument("--no-end-accuracy", action="store_true", help="skip answering each held-out fold")
    parser.add_argument("--compare", nargs="+", choices=["hand_raw", *COLUMNS], default=["hand_raw", *COLUMNS],
                        help="the models cross-validated (default: all)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant import unit_ranker
    from assistant.core import build_assistant

    paths = question_set_paths(args.files, DEFAULT_FILES)
    if paths is None:
        return 2
    unit_ranker.set_override(HAND)  # features do not depend on the ranker; answers in CV use each fold's
    assistant = build_assistant(settings)
    examples, items = collect(assistant, paths)
    unit_ranker.set_override(None)
    positives = sum(any(ex.labels) for ex in examples)
    print(f"{len(examples)} labelled items ({positives} with a gold unit among the retrieved), "
          f"{sum(len(ex.labels) for ex in examples)} units, {sum(sum(ex.labels) for ex in examples)} positive")

    cv: dict[str, Any] = {"folds": args.folds, "seed": args.seed}
    def maker(columns: str) -> Callable[[list[Example]], Ranker]:
        return lambda train: HAND if columns == "hand_raw" else fit(train, args.c, args.seed, columns)[0]

    rankers = {name: maker(name) for name in args.compare}
    hits: dict[str, float] = dict.fromkeys(rankers, 0.0)
    correct: dict[str, float] = dict.fromkeys(rankers, 0.0)
    n_hit = 0
    for train_idx, test_idx in grouped_folds(examples, args.folds, args.seed):
        train, test = [examples[i] for i in train_idx], [examples[i] for i in test_idx]
        fold_items = [items[ex.group] for ex in test]
        for name, make in rankers.items():
            ranker = make(train)
            rate, n = unit_hit_at_1(ranker, test)
            hits[name] += rate * n
            if not args.no_end_accuracy:
                correct[name] += end_accuracy(assistant, fold_items, ranker) * len(fold_items)
        n_hit += n
    for name in rankers:
        cv[f"unit_hit_at_1_{name}"] = round(hits[name] / n_hit, 4) if n_hit else None
        if not args.no_end_accuracy:
            cv[f"end_accuracy_{name}"] = round(correct[name] / len(examples), 4)
    print("grouped CV: " + ", ".join(f"{k} {v}" for k, v in cv.items()))

    columns = args.columns
    if columns == "best":  # ties go to the one-column model (fewer parameters)
        measure = correct if not args.no_end_accuracy else hits
        columns = max((c for c in reversed(COLUMNS) if c in rankers), key=lambda c: measure[c])
    ranker, _ = fit(examples, args.c, args.seed, columns)
    described = (f"HistGradientBoostingClassifier({TREE_PARAMS}, class_weight=balanced) on each feature and its "
                 "distance from the question's best unit" if columns == "trees" else
                 f"StandardScaler + LogisticRegression(C={args.c}, class_weight=balanced) on {columns!r} columns, "
                 "folded to raw feature units")
    meta = {"model": described,
            "columns": columns, "seed": args.seed,
            "trained_on": {p.name: sum(g.startswith(f"{p.stem}:") for g in items) for p in paths}, "cv": cv}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model_json(ranker, examples, meta), encoding="utf-8")
    print(f"wrote {args.out}")
    if isinstance(ranker, LinearRanker):
        for name, w in sorted(zip(FEATURE_NAMES, ranker.weights, strict=True), key=lambda p: -abs(p[1])):
            print(f"  {name:18s} {w:+.3f}")
    return 0
