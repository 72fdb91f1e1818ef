"""Fact cards: the documents' facts, each stated once and quoted, matched to a question by a learned score.

A line of the documents rarely answers alone: a cap needs its condition, a period its start, a rule its
exception, a table cell its row and column. `corpus/facts.jsonl` states each fact of the two documents the
way an officer answers a colleague (key figure first, then what completes it), with the documents' own lines
as quotes and the words officers use for it. The cards were written from the documents only, never from a
question set; `tests/ingest/test_facts.py` checks every quote against the corpus and every figure of a
statement against its quotes.

A question is matched to the cards by a logistic regression over word and evidence features (below), fitted
on the labelled question sets (`grant-assistant train-facts`, grouped k-fold by question) and stored in
`assistant/data/fact_ranker.json` with the threshold chosen on cross-validation. Above the threshold the
answer states the card with its quotes cited; below it the line-by-line answer stands.

Features of (question, card):
- bm25_share: the card's BM25 score over all cards for the question's search tokens, over the best card's
- bm25: log(1 + BM25 score)
- rank: 1 / (rank among the cards by BM25)
- covered: idf-weighted share of the asking sentence's words found in the card (topic, terms, statement, quotes)
- topic_covered: share of the card topic's words found in the question
- support: 1 / rank of the best retrieved passage holding one of the card's quotes (0 when none does)
- kind_match: the kind of fact asked (amount, date, rate …) is the card's kind (1), another kind (-1), not asked (0)
- margin: the card's bm25_share minus the next card's (the lead of the best card; ≤ 0 for the others)
- cosine: e5 cosine of the asking sentence (after a follow-up's carried topic) and the card (topic, statement)
- cosine_gap: the card's cosine minus the best card's (0 for the best)
- cosine_rank: 1 / (rank among the cards by cosine)
- draft_first: the line the line-by-line answer (the learned unit ranker) put first is one of the card's lines
- draft_share: share of the line answer's quoted lines that are the card's lines
Cards that quote a line of the line answer are candidates too, whatever their word or meaning rank.
The cards' vectors come from the embedding cache (ingest fills it); the question costs one query embedding.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.japanese import normalise_key
from assistant.programme_parts import (
    FACILITIES,
    FIFTH,
    NAMES_FACILITIES,
    NAMES_FIFTH,
    asked_part,
    part_named,
    section_part,
)

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.entities import Entities
    from assistant.question import Question
    from assistant.types import Chunk, Passage

MODEL_PATH = Path(__file__).parent / "data" / "fact_ranker.json"
FACTS_FILE = "facts.jsonl"
FEATURES: tuple[str, ...] = ("bm25_share", "bm25", "rank", "covered", "topic_covered", "support", "kind_match",
                             "margin", "cosine", "cosine_gap", "cosine_rank", "draft_first", "draft_share")
# a sibling card (same case study) is added when it holds this share of the question's idf-weighted words
# that the answering card does not
SIBLING_SHARE = 0.1
CANDIDATES = 8  # cards scored per question: the best by BM25 …
MEANING_CANDIDATES = 4  # … and the best by meaning

# The kind of fact a question asks for (assistant/answer.expected_type) -> the card kinds that state it.
_KIND_OF_ASK = {
    "contact": {"contact"},
    "office": {"contact"},
    "money": {"amount", "budget", "example"},
    "points": {"scoring"},
    "rate": {"rate", "amount"},
    "count": {"amount", "condition", "list", "example"},
    "date": {"date", "period", "procedure"},
}


# the question asks about a case study it names (its 事例), not the programme's rules
_ABOUT_A_CASE = re.compile(r"事例|取組例|採択例")


@dataclass(frozen=True)
class Fact:
    fact_id: str
    topic: str
    statement: str
    quotes: tuple[str, ...]
    terms: tuple[str, ...]
    kind: str
    source: str  # corpus file the quotes come from


@dataclass(frozen=True)
class Quoted:
    """A quote of a card found in the index: the chunk that holds it and the whole line it is part of."""

    chunk: Chunk
    line: str


@dataclass(frozen=True)
class Match:
    fact: Fact
    probability: float
    quoted: tuple[Quoted, ...]


# The part of the 制度概要 a card's fact belongs to (assistant/programme_parts.py): a card of one part does not
# answer a question about the other (⑤'s grades are not ①～④'s). A card's part is the one its topic and statement
# name, else the one every quoted line's section heading names; a card of neither (or both) answers either.


def card_element(fact: Fact, quoted: Sequence[Quoted]) -> str | None:
    """The part of the 制度概要 (⑤ or ①～④) a card states its fact about, or None for both or neither."""
    named = part_named(f"{fact.topic}\n{fact.statement}")
    if named is not None:
        return named
    parts = {section_part(q.chunk.section) for q in quoted}
    return parts.pop() if len(parts) == 1 else None


def elements_asked(asked: Question) -> tuple[str, ...]:
    """The parts a question asks about: the one its asking sentence names alone, else the one the whole question
    names alone (the asker's story names the ①～④ plan, the sentence that asks says only 「この計画は」), else both
    (no filter)."""
    named = asked_part(asked.asking)
    if named is None and not NAMES_FIFTH.search(asked.asking) and not NAMES_FACILITIES.search(asked.asking):
        named = asked_part(asked.text)
    return (named,) if named is not None else (FIFTH, FACILITIES)


def _key(text: str) -> str:
    """Search key of a line: normalised, without spaces, table-cell separators (tabs in the documents, ' | ' once
    cleaned) and Markdown emphasis (cleaning drops the documents' **)."""
    return re.sub(r"[\s*|]+", "", normalise_key(text))


def load_facts(corpus_dir: Path) -> tuple[Fact, ...]:
    path = corpus_dir / FACTS_FILE
    if not path.exists():
        return ()
    facts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        facts.append(Fact(row["id"], row["topic"], row["statement"], tuple(row["quotes"]), tuple(row.get("terms", ())),
                          row.get("kind", ""), row["source"]))
    return tuple(facts)


class Locator:
    """Finds a quote in the index's chunks, whitespace and width aside, with the whole line it stands in: the
    citation quotes the documents' line, not the card writer's excerpt of it. One joined key per document."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        self._joined: dict[str, tuple[str, list[int], list[tuple[Chunk, str]]]] = {}
        parts: dict[str, tuple[list[str], list[int], list[tuple[Chunk, str]]]] = {}
        for chunk in chunks:
            keys, starts, lines = parts.setdefault(chunk.source, ([], [], []))
            for line in chunk.text.split("\n"):
                if line.strip():
                    starts.append(starts[-1] + len(keys[-1]) + 1 if keys else 0)  # where it starts in the joined key
                    keys.append(_key(line))
                    lines.append((chunk, line.strip()))
        for source, (keys, starts, lines) in parts.items():
            self._joined[source] = ("\n".join(keys), starts, lines)

    def find(self, quote: str, source: str) -> Quoted | None:
        wanted = _key(quote)
        if not wanted or "\n" in wanted:
            return None
        for name, (joined, starts, lines) in self._joined.items():
            if source and name != source:
                continue
            at = joined.find(wanted)
            if at != -1:
                chunk, line = lines[self._bisect(starts, at) - 1]
                return Quoted(chunk, line)
        return None


def logistic(weights: Sequence[float], bias: float, vector: Sequence[float]) -> float:
    """The regression's probability for a vector of the features it was fitted on (z clipped: no overflow)."""
    z = bias + sum(w * x for w, x in zip(weights, vector, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Model:
    """A logistic regression over some of FEATURES (the fit names which), with its decision threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    features: tuple[str, ...]
    embedding: str = ""  # the embedding model the meaning features were fitted with ("" = any)

    def probability(self, vector: Sequence[float]) -> float:
        picked = [vector[FEATURES.index(name)] for name in self.features]
        return logistic(self.weights, self.bias, picked)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model | None:
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        names = tuple(data["features"])
        if not set(names) <= set(FEATURES) or len(names) != len(data["weights"]):
            return None  # fitted on features this version does not compute: no card until it is refitted
        return cls(tuple(data["weights"]), float(data["bias"]), float(data["threshold"]), names,
                   str(data.get("embedding", "")))

    def fits(self, embedding: str) -> bool:
        """Whether the meaning features mean here what they meant in the fit (another model's cosines do not)."""
        return not self.embedding or self.embedding == embedding


@lru_cache(maxsize=1)
def current() -> Model | None:
    return Model.load()


MIN_QUOTED_KEY = 8  # characters of a line's key below which it is matched whole, not inside another line


class FactBook:
    """The cards of the corpus with a keyword index over their words, and where each quote stands."""

    def __init__(self, facts: Sequence[Fact], chunks: Sequence[Chunk], idf: Any, use_synonyms: bool = True,
                 embeddings: Embeddings | None = None, entities: Entities | None = None) -> None:
        import bm25s

        from assistant.entities import Entities
        from assistant.index import measure_names
        from assistant.japanese import tokenize

        self.idf = idf
        self.embeddings = embeddings
        self._vectors: Any = None
        self.use_synonyms = use_synonyms
        locator = Locator(chunks)
        located = []
        for fact in facts:
            found = (locator.find(x, fact.source) for x in fact.quotes)
            quoted = tuple(dict.fromkeys(q for q in found if q is not None))  # two excerpts of one line: one quote
            if quoted:  # a card none of whose quotes is in the index cannot be cited
                located.append((fact, quoted))
        self.facts = tuple(f for f, _ in located)
        self.quoted = tuple(q for _, q in located)
        self.tokens = [frozenset(tokenize(self._text(f, q))) for f, q in located]
        self._by_line: dict[str, list[int]] = {}
        for i, quoted in enumerate(self.quoted):
            for q in quoted:
                self._by_line.setdefault(_key(q.line), []).append(i)
        self.topic_tokens = [frozenset(tokenize(f.topic)) for f in self.facts]
        # what a card itself says (its quoted lines may hold a whole case study: they tell its siblings apart no more)
        self.statement_tokens = [frozenset(tokenize(f"{f.topic}\n{f.statement}")) for f in self.facts]
        self.entities = entities or Entities.from_chunks(measure_names(chunks), chunks)
        # the measure or town a card states its fact about (its topic and statement name it)
        self.about = [self.entities.named_in(f"{f.topic}\n{f.statement}") for f in self.facts]
        self.element = [card_element(f, q) for f, q in located]
        self.index = bm25s.BM25()
        corpus = [list(tokenize(self._text(f, q))) + list(tokenize(f.topic)) for f, q in located]
        self.index.index(corpus, show_progress=False) if corpus else None

    @staticmethod
    def meaning_text(fact: Fact) -> str:
        """What a card's vector is made from (ingest embeds the same text into the cache)."""
        return f"{fact.topic}\n{fact.statement}"

    def prepare(self) -> None:
        """The cards' vectors (from the embedding cache ingest fills): at start-up, not on a user's request."""
        import numpy as np

        if self.embeddings is None or not self.facts or self._vectors is not None:
            return
        matrix = np.array(self.embeddings.embed_documents([self.meaning_text(f) for f in self.facts]), dtype=np.float32)
        self._vectors = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)

    def _meaning(self, asked: Question) -> list[float]:
        """cosine(question, card) for every card, or [] without embeddings."""
        import numpy as np

        from assistant.question_parts import meaning_text

        if self.embeddings is None or not self.facts:
            return []
        self.prepare()
        query = np.array(self.embeddings.embed_query(meaning_text(asked.text, asked.carried)), dtype=np.float32)
        query /= max(float(np.linalg.norm(query)), 1e-9)
        return [float(x) for x in self._vectors @ query]

    @staticmethod
    def _text(fact: Fact, quoted: Sequence[Quoted]) -> str:
        return "\n".join([fact.topic, " ".join(fact.terms), fact.statement, *(q.line for q in quoted)])

    def __len__(self) -> int:
        return len(self.facts)

    def _cards_quoting(self, line: str) -> list[int]:
        key = _key(line)
        # a bare label (「詳細」「予算額」) is inside many lines: only a line of some length is found inside another
        return [i for k, cards in self._by_line.items()
                if key and (key == k or (len(key) >= MIN_QUOTED_KEY and key in k) or (len(k) >= MIN_QUOTED_KEY and k in key))
                for i in cards]

    def candidates(self, asked: Question, passages: Sequence[Passage],
                   cited: Sequence[str] = ()) -> list[tuple[int, list[float]]]:
        """The best cards by words and by meaning, and those quoting a line the line answer cites (`cited`, in
        its order), each with its feature vector (FEATURES). A card about another measure or town than the one the
        question names is none (assistant/entities.py)."""
        from assistant.answer import expected_type, term_weights
        from assistant.entities import names_another
        from assistant.japanese import query_tokens, strip_subject_names

        if not self.facts:
            return []
        # the programme's own name is on every card's page: the cards are told apart by the other words
        searched = strip_subject_names(asked.query)
        tokens = [t for t in query_tokens(searched, self.use_synonyms) if t]
        if not tokens:
            return []
        scores = self.index.get_scores(tokens)
        by_words = sorted(range(len(scores)), key=lambda i: -float(scores[i]))
        word_rank = {i: r for r, i in enumerate(by_words)}
        best = float(scores[by_words[0]]) or 1.0
        cosines = self._meaning(asked)
        by_meaning = sorted(range(len(cosines)), key=lambda i: -cosines[i])
        quoting = [self._cards_quoting(line) for line in cited]
        first = set(quoting[0]) if quoting else set()
        # what this turn names, else what the conversation named last
        named = self.entities.named_in(asked.text) or self.entities.last_named(asked.carried)
        asked_elements = elements_asked(asked)
        # 「○○町の事例では…」: a named case study's own figures are asked, not a general rule's card (a KPI例)
        of_a_case = bool(named) and _ABOUT_A_CASE.search(asked.text) is not None
        order = [i for i in dict.fromkeys([*by_words[:CANDIDATES], *by_meaning[:MEANING_CANDIDATES],
                                           *(i for cards in quoting for i in cards)])
                 if not names_another(named, self.about[i]) and self.element[i] in (None, *asked_elements)
                 and not (of_a_case and not self.about[i])
                 # 「施策集では…」: a card quoting the other document is not what it says
                 and asked.document in (None, self.facts[i].source)]
        # closeness in meaning among the cards that may answer: a card about another measure, part or document
        # being closest says nothing of these
        kept_by_meaning = sorted(order, key=lambda i: -cosines[i]) if cosines else []
        meaning_rank = {i: r for r, i in enumerate(kept_by_meaning)}
        top_cosine = cosines[kept_by_meaning[0]] if kept_by_meaning else 0.0
        shares = [float(scores[i]) / best for i in by_words]
        asking = term_weights([t for t in query_tokens(asked.asking, False) if t], self.idf)
        total = sum(asking.values()) or 1.0
        question_tokens = frozenset(query_tokens(searched, self.use_synonyms))
        wanted = expected_type(asked.text)
        wanted_kinds = _KIND_OF_ASK.get(wanted[0].split("+")[0], set()) if wanted else set()
        passage_rank = {p.chunk_id: p.rank for p in passages}
        out = []
        for i in order:
            position = word_rank[i]
            fact = self.facts[i]
            covered = sum(w for t, w in asking.items() if t in self.tokens[i]) / total
            topic = self.topic_tokens[i]
            topic_covered = len(topic & question_tokens) / len(topic) if topic else 0.0
            ranks = [passage_rank[q.chunk.chunk_id] for q in self.quoted[i] if q.chunk.chunk_id in passage_rank]
            support = 1.0 / min(ranks) if ranks else 0.0
            kind_match = 0.0 if not wanted else (1.0 if fact.kind in wanted_kinds else -1.0)
            following = shares[position + 1] if position + 1 < len(shares) else 0.0
            margin = shares[position] - (following if position == 0 else shares[0])
            cosine = cosines[i] if cosines else 0.0
            meaning = [cosine, cosine - top_cosine, 1.0 / (meaning_rank[i] + 1) if cosines else 0.0]
            draft = [float(i in first), sum(i in cards for cards in quoting) / len(quoting) if quoting else 0.0]
            out.append((i, [shares[position], math.log1p(float(scores[i])), 1.0 / (position + 1), covered, topic_covered,
                            support, kind_match, margin, *meaning, *draft]))
        return out

    def siblings(self, match: Match, asked: Question, limit: int = 2) -> list[Match]:
        """Other cards about the same case study as `match` that state what the question asks and `match` leaves
        out (a town's KPI targets beside its summary card): the question's idf-weighted words each one adds, best
        first, those adding at least SIBLING_SHARE of them. None unless the question names the case."""
        from assistant.answer import term_weights
        from assistant.japanese import query_tokens

        first = next((i for i, f in enumerate(self.facts) if f is match.fact), None)
        named = self.entities.named_in(asked.text) or self.entities.last_named(asked.carried)
        if first is None or not (named & self.about[first]):
            return []
        weights = term_weights([t for t in query_tokens(asked.text, False) if len(t) >= 2], self.idf)
        total = sum(weights.values()) or 1.0
        covered = set(self.statement_tokens[first])
        out: list[Match] = []
        for i in sorted((i for i, about in enumerate(self.about) if i != first and about == self.about[first]),
                        key=lambda i: -sum(w for t, w in weights.items() if t in self.statement_tokens[i] and t not in covered)):
            gain = sum(w for t, w in weights.items() if t in self.statement_tokens[i] and t not in covered) / total
            if gain < SIBLING_SHARE or len(out) >= limit:
                break
            out.append(Match(self.facts[i], match.probability, self.quoted[i]))
            covered |= self.statement_tokens[i]
        return out

    def top(self, asked: Question, passages: Sequence[Passage], model: Model, cited: Sequence[str] = (),
            excluding: Sequence[Fact] = ()) -> Match | None:
        """The card the model finds most likely to answer, with its probability (None when no card is a candidate);
        not one of `excluding` (cards an earlier part of the question already states)."""
        ranked = [(i, v) for i, v in self.candidates(asked, passages, cited) if self.facts[i] not in excluding]
        first_by_meaning, first_line = FEATURES.index("cosine_rank"), FEATURES.index("draft_first")
        # a card shown must be the closest in meaning or quote the line answer's first line: the match's weights
        # also carry how easy a question is, and on their own can prefer a card further from it
        plausible = [(i, v) for i, v in ranked if v[first_by_meaning] == 1.0 or v[first_line] == 1.0] or ranked
        scored = [(model.probability(v), i) for i, v in plausible]
        if not scored:
            return None
        probability, i = max(scored)
        return Match(self.facts[i], probability, self.quoted[i])
