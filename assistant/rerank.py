"""Second-stage reranking: the best single line of each candidate passage, scored against the question.

First-stage BM25 scores a whole chunk, so a chunk that mentions the question's words across many lines can
outrank one where a single line says exactly what was asked. This reranker scores each of the top candidates
by its best line (a line, table cell or sentence, with its heading and column header as weaker context: the
same units the answer is chosen from) as the share of the question's idf weight it covers, and adds that to
the first-stage score. Measured in the README against no reranking; off by default unless it earns its place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.japanese import query_tokens
from assistant.types import Passage

CONTEXT_WEIGHT = 0.7  # heading / column header words count for less than the line's own words


def best_line_coverage(
    question: str, passage: Passage, idf: Callable[[str], float], use_synonyms: bool = True
) -> float:
    """0..1: the largest share of the question's weight that one unit of the passage covers."""
    return _coverage(_question_weights(question, idf, use_synonyms), passage)


def _question_weights(question: str, idf: Callable[[str], float], use_synonyms: bool) -> dict[str, float]:
    from assistant.answer import term_weights  # the weights answers are chosen by

    return term_weights(query_tokens(question, use_synonyms), idf)


def _coverage(weights: dict[str, float], passage: Passage) -> float:
    from assistant.answer import passage_units  # the units answers are chosen from

    total = sum(weights.values())
    if not total:
        return 0.0
    best = 0.0
    for _, features in passage_units(passage):
        own = sum(w for t, w in weights.items() if t in features.tokens)
        context = sum(w for t, w in weights.items() if t in features.context_tokens and t not in features.tokens)
        best = max(best, (own + CONTEXT_WEIGHT * context) / total)
    return min(best, 1.0)


def rerank(
    question: str,
    passages: Sequence[Passage],
    idf: Callable[[str], float],
    weight: float,
    use_synonyms: bool = True,
) -> list[Passage]:
    """Passages reordered by first-stage score + weight × best-line coverage; ranks renumbered from 1."""
    weights = _question_weights(question, idf, use_synonyms)  # once per question, not once per passage
    scored = [(p.score + weight * _coverage(weights, p), -p.rank, p) for p in passages]
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [Passage(chunk=p.chunk, score=round(score / (1 + weight), 4), rank=i + 1)
            for i, (score, _, p) in enumerate(scored)]
