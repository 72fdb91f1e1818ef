"""The one place where the parts are wired: `build_assistant(settings) -> Assistant`.

question + history ─ guardrails ─ router ──(numeric)──> calculators ─┐
                                        └─(lookup)──> rewrite ─ retrieval ─ answer ─┴─> Answer
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from assistant import answer as extract
from assistant import (
    answerability,
    confirmation,
    contact_claims,
    conversation,
    facts,
    guardrails,
    question_parts,
    scope,
    unit_ranker,
    verdict,
    verdict_model,
)
from assistant.errors import InputError
from assistant.facts import elements_asked
from assistant.japanese import (
    expand_abbreviations,
    known_programme_names,
    normalise_key,
    programme_aliases,
)
from assistant.programme_parts import section_part
from assistant.quantities import read_quantities
from assistant.question import Question
from assistant.question import parse as parse_question
from assistant.types import MARKER_RE, Answer, Calculation, Chunk, Citation, Passage, Status, Turn
from assistant.unit_ranker import MEANING

if TYPE_CHECKING:
    from assistant.entities import Entities
    from assistant.index import LoadedIndex
    from assistant.llm import GroundedGenerator
    from assistant.retrieval import HybridRetriever
    from assistant.settings import Settings

# Below this share of the question's search weight found in the chosen lines, the documents do not answer it.
MIN_RELEVANCE = 0.34
# Drafts this relevant or more go to the calibrated refusal decision (assistant/answerability.py) when it is shipped:
# every draft — relevance is one of its features, and it judged the drafts under the old hand cut-off of 0.2 better
# than the cut-off did. Without a shipped decision MIN_RELEVANCE decides alone.
DECISION_FLOOR = 0.0
ANSWER_CHAR_LIMIT = 600  # an answer an officer reads at a glance; citations travel in their own field
PASSAGES_PER_PART = 3  # each part of a several-part question adds its best passages to the whole question's
_CONTACT_SECTION = re.compile(r"問い?合わ?せ")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")  # zero-width, joiners, BOM, soft hyphen
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


_TITLE_ONLY = re.compile(r"[＜<「【(（][^＞>」】)）\n]{1,40}[＞>」】)）]")


def _key_fact_first(text: str, citations: tuple[Citation, ...]) -> tuple[str, tuple[Citation, ...]]:
    """A quoted line that is only a title or a fragment (「④進出支援事業」, ＜資金の流れ＞, 「詳細」) states no fact:
    when it would open the answer, the first line that does goes before it. Nothing is dropped."""
    lines = text.split("\n")
    if len(lines) < 2:
        return text, citations

    def bare(line: str) -> str:
        return MARKER_RE.sub("", line).strip()

    first = bare(lines[0])
    if not (MARKER_RE.search(lines[0]) and (_TITLE_ONLY.fullmatch(first) or len(first) <= 6)):
        return text, citations
    fact = next((i for i, line in enumerate(lines[1:], 1) if MARKER_RE.search(line) and len(bare(line)) > 6
                 and not _TITLE_ONLY.fullmatch(bare(line))), None)
    if fact is None:
        return text, citations
    reordered = [lines[fact], *lines[:fact], *lines[fact + 1 :]]
    return _renumbered("\n".join(reordered), citations)


CARD_LINES_CHARS = 400  # statement + the line answer's other lines up to this length (CV gain 17 at 250, 23 at 400, 24 at 550)


# 「申請できるでしょうか」「計上できますか」: a question whether something can be done, asked in the positive
_CAN_ASKED = re.compile(r"((?:申請|利用|計上|支給|活用|交付|併用|参加|応募)?)でき(?:ますか|ますでしょうか|るでしょうか|るのでしょうか|るんでしょうか|る[?？])")


# 「可能でしょうか」: asked as a possibility, answered as one (できます / できません)
_POSSIBLE_ASKED = re.compile(r"可能(?:ですか|でしょうか|ですかね)[?？]?\s*$")
# 「…として扱えますか」「…に入れられますか」: any verb asked in the positive polite form
_VERB_ASKED = re.compile(r"([^、。」』）)？?\s]{1,12})ま(?:すか|すでしょうか)[?？]?\s*$")
# a particle after a noun (kanji, katakana, a closing bracket or the clause's start), where the verb's phrase begins
# (「補助金はもらえ」 cuts at は, not at the も of もらえ)
_PARTICLE_AFTER_NOUN = re.compile(r"(?:(?<=[^ぁ-ん])|^)(?:として|について|では|には|にも|[はをがもにでと])")
# a verb said back opens with its kanji (扱え, 入れられ, 合ってい), or is one of the kana verbs officers ask with, after
# the noun its 「に」 follows (対象になり); never a noun phrase nor the tail of one the cut split (「合ってい」 is no 「い」)
_SAID_BACK = re.compile(r"(?:[一-龥々ァ-ヶー]{1,4}に)?(?:[一-龥々ァ-ヶー]{1,4}[ぁ-ん]{1,6}|なり|なれ|いけ|もらえ|あり)")


def _echoed_ability(question: str, word: str) -> str:
    """The verdict said back in the question's own verb (「いいえ、申請できません」「いいえ、扱えません」) when it asks whether
    something can be done or holds, in the positive; else ""."""
    if word not in ("はい", "いいえ"):
        return ""
    asking = question_parts.asking_sentence(question)
    if m := _CAN_ASKED.search(asking):
        return f"、{m.group(1)}{'できます' if word == 'はい' else 'できません'}"
    if _POSSIBLE_ASKED.search(asking):
        return f"、{'できます' if word == 'はい' else 'できません'}"
    if m := _VERB_ASKED.search(asking):
        clause = m.group(1)
        last = max(_PARTICLE_AFTER_NOUN.finditer(clause), key=lambda p: p.end(), default=None)
        cut = last.end() if last else 0
        if last is not None and last.group() == "に":  # 「対象になりますか」: said back with its noun (対象になりません)
            noun = re.search(r"[一-龥々ァ-ヶー]{1,4}$", clause[: last.start()])
            cut = noun.start() if noun else cut
        verb = clause[cut:]
        if _SAID_BACK.fullmatch(verb):
            return f"、{verb}{'ます' if word == 'はい' else 'ません'}"
    return ""


def _of_document_and_part_asked(asked: Question, passages: list[Passage]) -> list[Passage]:
    """The passages of the document the question names, and of the part of the 制度概要 it asks about (⑤ or ①～④,
    assistant/programme_parts.py): a section of the other part states the other part's rule (⑤'s grades are not
    ①～④'s), so it is left out when the question names one part alone and some passage remains."""
    if asked.document is not None:  # 「施策集では…」: what that document says
        passages = [p for p in passages if p.chunk.source == asked.document] or passages
    wanted = elements_asked(asked)
    if len(wanted) != 1:
        return passages
    kept = [p for p in passages if section_part(p.chunk.section) in (None, wanted[0])]
    return kept or passages


# a follow-up pointing at one town, case or measure (「その市の…」「そこは…」)
_POINTS_AT_ONE = re.compile(r"(?:その|この|あの|同じ)(?:市|町|村|自治体|団体|事例|施設|事業|会社)|そこ")


def _verdict_question(question: str, history: Sequence[Turn], within: bool = True) -> str:
    """What a verdict answers: the question; or, when this turn only states the asker's case (「出資金8億円の三セク
    なんです。」) right after a yes/no question, the case followed by that question. `within`: a yes/no sentence
    followed by another ask (「…は対象になりますか？上限額はいくらですか？」) is judged with what
    comes before it."""
    if verdict.is_yes_no(question):
        return question
    sentences = question_parts.split_sentences(question)
    asking_yes_no = [i for i, s in enumerate(sentences) if verdict.is_yes_no(s)]
    if within and asking_yes_no and len(sentences) > 1:
        return "".join(sentences[: asking_yes_no[-1] + 1])
    if "?" in question or "？" in question:
        return question
    previous = next((t.content for t in reversed(history) if t.role == "user" and t.content.strip()), "")
    return f"{question}\n{previous.strip()}" if previous and verdict.is_yes_no(previous) else question


SURE_PART_CARD = 2.0  # a part's card quoting none of the part's own lines needs this many times the match's threshold
CARD_PART_SHARE = 0.5  # share of a part's words (of its asking sentence, for a part asking a kind of fact) a card must hold


def _card_answers_each_part(card: facts.Match, parts: list[str]) -> bool:
    """One card may answer a question of several parts only if each part asks a kind of fact (a count, an
    amount …) that the card's statement states; a part asking something else (「どこの課の担当で」) keeps the
    answer built part by part."""
    if len(parts) <= 1:
        return True
    return all(_card_answers_part(card, part) for part in parts)


def _card_answers_part(card: facts.Match, part: str) -> bool:
    """The card states the kind of fact the part asks (a count, an amount …) with some of the part's own words,
    or — for a part asking no kind of fact — most of the part's words."""
    from assistant.question_parts import asking_sentence

    statement = normalise_key(card.fact.statement)
    card_tokens = extract._unit_tokens(" ".join([card.fact.topic, card.fact.statement, *card.fact.quotes, *card.fact.terms]))
    wanted = extract.expected_type(part)
    if wanted is not None:
        # the kind of fact the part asks, and some of the part's own words: a period stated about another
        # plan is no answer to 「国費は何年度分」
        asked_words = _part_words(asking_sentence(part))
        return bool(wanted[1].search(statement)) and not (
            asked_words and len(asked_words & card_tokens) < CARD_PART_SHARE * len(asked_words))
    # a part asking no kind of fact (what, whether): the card answers it when it holds most of the words of the
    # part's asking sentence (not of the asker's story before it) — its nouns: kanji/katakana words; verbs and
    # auxiliaries (教える, 下さる, 為る) say nothing of the topic
    words = _part_words(asking_sentence(part))
    return bool(words) and len(words & card_tokens) >= CARD_PART_SHARE * len(words)


def _part_words(text: str) -> set[str]:
    """A part's nouns (kanji/katakana words; verbs and auxiliaries — 教える, 下さる, 為る — say nothing of the topic),
    without the interrogatives (何年, 何年度 name no topic either)."""
    return {t for t in extract._unit_tokens(text)
            if len(t) >= 2 and re.fullmatch(r"[一-龥ァ-ヶー0-9A-Za-z①-⑤]+", t) and not t.startswith("何")}


def _quotes_any(card: facts.Match, lines: Sequence[str]) -> bool:
    """The card quotes (a line holding, or held in) one of `lines`."""
    keys = [normalise_key(line).replace(" ", "") for line in lines]
    return any(k and (k in q or q in k) for q in (normalise_key(x.line).replace(" ", "") for x in card.quoted) for k in keys)


def _quoted_units(lines: list[str]) -> list[str]:
    """The answer's lines grouped into its quoted units: a unit may span lines and ends with its marker, so that
    moving or dropping one never splits a quote from its marker."""
    units: list[str] = []
    pending: list[str] = []
    for line in lines:
        pending.append(line)
        if MARKER_RE.search(line):
            units.append("\n".join(pending))
            pending = []
    if pending:
        units.append("\n".join(pending))
    return units


def _part_topic(parts: list[str], i: int, carried: str, named: Sequence[str] = (),
                entities: Entities | None = None, told: str = "") -> str:
    """What part `i` is read with: the conversation's topic, for a later part that cannot stand alone
    (「…は何人いて、前年度は何か所で…」) the first part, which says what it is about, and the case studies and measures
    the whole question names (`named`) when the part names none: 「建物はいつ建てられ、成果の数字は？」 after a
    sentence naming the facility asks both about that facility; and the asker's situation told before the asks
    (`told`), which the parts split from it no longer carry."""
    subject = " ".join(named) if named and entities is not None and not entities.named_in(parts[i]) else ""
    return " ".join(t for t in (carried, parts[0] if i and conversation.is_follow_up(parts[i]) else "", subject,
                                told if told and told not in parts[i] else "") if t)


# How to reach the programme's office, or who its contact is (by telephone or by e-mail, the names printed as 担当):
# the contact block answers it, printed in the documents, whatever the refusal decision reads.
_OFFICE_CONTACT_ASK = re.compile(r"(?:担当(?:の方|者|者様)?の(?:お)?名前|電話(?:して|で)|メール(?:の|で|して)|問い?合わ?せ(?:先|方法|れば|ても))")
_CONTACT_LINE = re.compile(r"@|＠|電話|担当：")


def _asks_office_contact(asking: str, question: str = "") -> bool:
    # (an address, a fax or a map, asked anywhere in the question, is on no printed line: the block gives telephone,
    # e-mail and names only)
    return bool(_OFFICE_CONTACT_ASK.search(asking)) and not re.search(
        r"住所|郵送|所在地|地図|アクセス|FAX|ファクス|ファックス", question or asking)


def _card_draft(card: facts.Match, lines: extract.Draft, siblings: Sequence[facts.Match] = ()) -> extract.Draft:
    """A fact card as the answer: its statement with its quoted lines cited (then the statements of its sibling
    cards, each with its own), then the lines the line-by-line answer found that the cards do not already quote
    (the detail a statement leaves out), within CARD_LINES_CHARS."""
    statements: list[str] = []
    stated: list[Citation] = []
    for match in (card, *siblings):
        own = [Citation(len(stated) + i, q.chunk.chunk_id, q.chunk.source, q.chunk.title, q.chunk.fiscal_year,
                        q.chunk.section, q.line, card.probability) for i, q in enumerate(match.quoted, start=1)]
        statement = f"{match.fact.statement}{''.join(f'[{c.marker}]' for c in own)}"
        for q in match.quoted:
            # the detail a quoted line goes on to give in parentheses on the lines after it (what 把握済 covers)
            detail = extract.elaboration(q.chunk.text, q.line)
            if detail and detail[0] not in statement:
                # (cited by its first line, as the chunk writes it; shown whole after the line it completes)
                own.append(Citation(len(stated) + len(own) + 1, q.chunk.chunk_id, q.chunk.source, q.chunk.title,
                                    q.chunk.fiscal_year, q.chunk.section, detail[0], card.probability))
                completed = re.sub(r"^[\s・•\ue000-\uf8ff]+", "", q.line)  # (without its bullet)
                statement += f"\n{completed}{detail[1]}[{own[-1].marker}]"
        if statements and len(MARKER_RE.sub("", "\n".join([*statements, statement]))) > CARD_LINES_CHARS:
            break
        statements.append(statement)
        stated += own
    citations = tuple(stated)
    text = "\n".join(statements)
    kept = list(citations)

    def given(c: Citation) -> bool:  # the card quotes it already, or a line holding it
        return any(c.chunk_id == g.chunk_id and (c.quote in g.quote or g.quote in c.quote) for g in citations)

    start = 0
    for m in MARKER_RE.finditer(lines.text):  # each quoted unit of the line answer ends with its marker
        segment, start = lines.text[start : m.start()].strip("\n"), m.end()
        cited = next((c for c in lines.citations if c.marker == int(m.group(1))), None)
        if cited is None or given(cited) or not segment.strip():
            continue
        added = f"{text}\n{segment}[{len(kept) + 1}]"
        if len(MARKER_RE.sub("", added)) > CARD_LINES_CHARS:
            break
        text = added
        kept.append(replace(cited, marker=len(kept) + 1))
    return extract.Draft(text, tuple(kept), lines.relevance, card.probability)


def _example_targets_asked(question: str) -> list[Any]:
    """(adopted example, KPI row) pairs the question asks for by the example's name (assistant/calculators/examples)."""
    try:
        from assistant.calculators.examples import targets_asked
    except ImportError:  # calculators not installed in this build
        return []
    from assistant.question_parts import asking_sentence

    return targets_asked(normalise_key(question), normalise_key(asking_sentence(question)))


def _contact_answer(checked: contact_claims.ContactCheck, question: str) -> Answer:
    """はい with the line that gives the contact for the named measure, or いいえ with whose it is and the named
    measure's own contact, each line cited."""
    def cite(marker: int, chunk: Chunk, quote: str) -> Citation:
        return Citation(marker, chunk.chunk_id, chunk.source, chunk.title, chunk.fiscal_year, chunk.section, quote, 1.0)

    if checked.given_for_named:
        text = (f"はい、合っています。{checked.contact}は資料で{checked.named}の連絡先として載っています"
                f"（{checked.holder_line}）。[1]")
        return Answer(text=text, status=Status.ANSWERED, citations=(cite(1, checked.holder, checked.holder_quote),),
                      search_query=question)
    text = (f"いいえ、資料とは異なります。{checked.contact}は資料では「{contact_claims.measure_of(checked.holder)}」の"
            f"連絡先です（{checked.holder_line}）。[1]")
    citations = [cite(1, checked.holder, checked.holder_quote)]
    if checked.named_chunk is not None and checked.named_quote:
        text += f"\n{checked.named}の連絡先は{checked.named_line}です。[2]"
        citations.append(cite(2, checked.named_chunk, checked.named_quote))
    return Answer(text=text, status=Status.ANSWERED, citations=tuple(citations), search_query=question)


def _renumbered(text: str, citations: tuple[Citation, ...]) -> tuple[str, tuple[Citation, ...]]:
    """Markers renumbered in reading order ([1] is the first quoted line); citations not cited are left out."""
    order = list(dict.fromkeys(int(m) for m in MARKER_RE.findall(text)))
    new = {old: i for i, old in enumerate(order, 1)}
    text = MARKER_RE.sub(lambda m: f"[{new[int(m.group(1))]}]", text)
    by_marker = {c.marker: c for c in citations}
    return text, tuple(replace(by_marker[old], marker=new[old]) for old in order)


# a sentence asking a rule rather than a figure (what a calculated question may ask beside its figures)
_RULE_ASK = re.compile(r"ルール|決まり|条件|要件|留意|注意|考え方|扱い|求め方|手続")


def _within(formula: str, room: int) -> str:
    """The formula's lines that fit in `room` characters, then a pointer to the rest: every step is in
    `calculation.steps` (the 計算 panel), the answer text stays short."""
    if len(formula) <= room:
        return formula
    kept: list[str] = []
    for line in formula.split("\n"):
        if sum(len(k) + 1 for k in kept) + len(line) > room - len(MORE_STEPS):
            break
        kept.append(line)
    return "\n".join([*kept, MORE_STEPS])


MORE_STEPS = "…（全ステップは計算の内訳に）"


def _undotted(key: str) -> str:
    return key.replace("・", "")  # keys are NFKC: the half-width dot is this one already


@lru_cache(maxsize=2)
def _undotted_corpus(corpus_key: str) -> str:
    """The corpus key without middle dots, made once per index (the key is the whole text of both documents)."""
    return _undotted(corpus_key)


def _in_japanese_note(question: str) -> str:
    """A question in English that is declined is told, in English, that the service answers in Japanese."""
    if _JAPANESE.search(question) or not _LATIN_WORD.search(question):  # linear: no nested repetition
        return ""
    return ("This assistant answers from the programme's Japanese documents, in Japanese; please ask in Japanese "
            "(例：「50人以上の施設の上限額は？」). ")


_SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone surrogates: not encodable, so never valid text


def corpus_key(index: LoadedIndex) -> str:
    """What the documents say, plus what the manifest says of them (「令和4年度第2次補正予算（2023年度募集）」),
    as one search key for the scope checks."""
    described = [f"{d.get('title', '')} {d.get('fiscal_year', '')}" for d in index.manifest.get("documents", [])]
    return normalise_key("\n".join([*(c.text for c in index.chunks), *described]))


@dataclass(frozen=True)
class Contact:
    text: str  # e.g. 「内閣府地方創生推進室… 電話：03-… Eメール：…」
    passage: Passage | None


log = logging.getLogger("grant_assistant.core")


class _Cards:
    """The corpus's fact cards over one index, built on first use (tokenising them takes about half a second)."""

    def __init__(self, settings: Settings, index: LoadedIndex) -> None:
        from assistant.embeddings import embedding_name

        self._settings, self._index = settings, index
        self.embedding = embedding_name(settings)
        self._book: facts.FactBook | None = None
        self._lock = threading.Lock()

    def book(self) -> facts.FactBook:
        with self._lock:
            if self._book is None:
                from assistant.embedding_cache import CachedEmbeddings

                # the cards' vectors from the cache ingest filled; a card edited since is embedded once
                cached = CachedEmbeddings(self._index.dense.embeddings, self.embedding, self._settings.embedding_cache)
                self._book = facts.FactBook(facts.load_facts(self._settings.corpus_dir), self._index.chunks,
                                            self._index.idf, self._settings.use_synonyms, cached,
                                            self._index.entities)
            return self._book


@dataclass(frozen=True)
class _Live:
    """Everything that comes from one index, swapped as one reference: a request never mixes two builds."""

    index: LoadedIndex
    retriever: HybridRetriever
    corpus_key: str
    contact: Contact
    cards: _Cards


class Assistant:
    def __init__(
        self, settings: Settings, index: LoadedIndex, retriever: HybridRetriever, generator: GroundedGenerator | None = None
    ) -> None:
        self.settings = settings
        self.generator = generator  # optional LLM phrasing; None = extractive answers
        # Replaces the learned card choice when set: `grant-assistant train-facts` answers with each candidate card.
        self.card_choice: Callable[[Question, list[Passage], list[str]], facts.Match | None] | None = None
        self._pinned = threading.local()  # the _Live a request in this thread started with
        self._reload_lock = threading.Lock()
        self._pointer_stamp = self._stamp()
        self._live = _Live(index, retriever, corpus_key(index), self._find_contact(index), _Cards(settings, index))

    # ---- public interface -------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Turn] = (), phrase: bool = True) -> Answer:
        """The answer; with `phrase=False` the extractive one even when an LLM is configured (the chat shows it
        at once and then asks `phrase` for the LLM's wording)."""
        self.reload_if_rebuilt()
        # The whole request reads the index it started with, even if a rebuilt one is swapped in meanwhile.
        outer = getattr(self._pinned, "live", None)
        self._pinned.live = self._live
        try:
            return self._answer(question, history, phrase)
        finally:
            self._pinned.live = outer

    def prepare(self) -> None:
        """Load what the first question would otherwise wait for (the fact cards and their vectors)."""
        if self.settings.fact_cards:
            self._current().cards.book().prepare()

    def phrase(self, question: str, answer: Answer, history: Sequence[Turn] = ()) -> Answer:
        """`answer` (from `ask(question, history, phrase=False)`) in the LLM's wording when one is configured:
        the question asked again with phrasing (retrieval is a few ms; the premise correction and verdict lead
        are applied as in `ask`). The wording is used when it arrived within llm_timeout_s and passed the
        grounding checks; otherwise `answer` itself is returned."""
        if self.generator is None or answer.status is not Status.ANSWERED:
            return answer
        phrased = self.ask(question, history)
        return phrased if phrased.status is Status.ANSWERED and phrased.text != answer.text else answer

    def _answer(self, question: str, history: Sequence[Turn], phrase: bool = True) -> Answer:
        question = self.validate_question(question)
        history = self.validate_history(history)
        started = time.perf_counter()
        timings: dict[str, float] = {}

        hit = guardrails.check(question)
        if hit is not None:
            return self._refusal(Status.GUARDRAIL, _in_japanese_note(question) + hit.message, timings, started)

        # officers' short forms (サテオフ, 特交 …) read as the documents write them, in this turn and earlier ones
        question = expand_abbreviations(question)
        history = [Turn(t.role, expand_abbreviations(t.content)) if t.role == "user" else t for t in history]
        routed = self._route(question, history)
        if routed is not None:
            answer = self._from_route(routed, timings, started, question)
            if answer.calculation is None:
                return answer
            with_rule = self._with_rule_part(question, history, answer)
            # the rule sentence's lookup is part of this answer's time
            return answer if with_rule is answer else self._finish(with_rule, dict(answer.timings_ms), started)

        checked = contact_claims.check(question, self.index.chunks)
        if checked is not None:  # a contact from the officer's note, checked against the measure's own section
            return self._finish(_contact_answer(checked, question), timings, started)

        asked = parse_question(question, history)  # read once; every step below reads this
        asked = self._with_answered_subject(asked, history)
        parts = list(asked.parts)
        # 「上限額は？」 alone, or as one part of 「上限額は？補助率は？」: any answer would be a guess at what was meant.
        if asked.vague:
            return self._finish(
                Answer(
                    text="どの事業・経費についてのご質問ですか？例：「①②事業の施設整備・運営費（収容可能人数50人以上）の上限額は？」"
                    "「⑤事業の高水準タイプの国費上限は？」のように、事業（①〜⑤）やタイプ（高水準/標準）、施設規模を添えてお尋ねください。",
                    status=Status.CLARIFICATION_NEEDED,
                    search_query=question,
                ),
                timings,
                started,
            )

        t0 = time.perf_counter()
        passages = self.retriever.passages(asked.query, self.settings.top_k)
        named = self._named_in_parts(question, parts)  # (none for a question asking one thing)
        if len(parts) > 1:
            # each part searched with the case studies and measures the question names when the part names none
            # (the story before the asks names what a later 「…の条件も」 is about)
            passages = self._with_passages_for(
                [part if not named or self.index.entities.named_in(part) else f"{' '.join(named)} {part}" for part in parts],
                asked.carried, passages)
        if asked.defines:  # the term alone finds the line that defines it, whatever the question's other words
            passages = self._with_passages_for([f"{asked.defines}とは"], "", passages)
        passages = self._with_passages_for(self._focused_queries(asked, passages), asked.carried, passages)
        timings["retrieve"] = (time.perf_counter() - t0) * 1000

        t1 = time.perf_counter()
        judged = _verdict_question(question, history)  # what a verdict answers (this turn, or its case + the last ask)
        refusal = self._out_of_scope(asked, passages)
        # (after the scope checks: a programme is found named in a passage of either part)
        passages = _of_document_and_part_asked(asked, passages)
        draft, part_drafts = (None, []) if refusal else self._draft(question, parts, asked.carried, passages, named)
        deciding = answerability.current() is not None or answerability.observed is not None
        floor = DECISION_FLOOR if deciding else MIN_RELEVANCE
        # the fact card most likely to answer (its probability is evidence for the decision too); below the floor
        # the draft is refused whatever a card says, so no question embedding is spent on it
        top_card = self._top_card(asked, passages, draft) if draft is not None and draft.relevance >= floor else None
        if draft is not None and draft.relevance >= floor:
            # Above the floor the calibrated decision makes the call (a stated rule about the asker's case settles it)
            # (an adopted example's targets asked by name are in its table whatever the decision reads)
            # (a verdict found for the question as a whole, not for one sentence of it, settles it; so does a premise
            # the documents contradict: the correction is the answer)
            if not self._answerable(asked, passages, draft, top_card) and not _example_targets_asked(question) and not (
                    guardrails.contradicted_premise(question)) and not (
                    _asks_office_contact(asked.asking, question) and any(_CONTACT_LINE.search(c.quote) for c in draft.citations)) and self._verdict(
                    _verdict_question(question, history, within=False), passages, draft.citations) is None:
                refusal = "ご質問に答える記載は、公表資料（制度概要・施策集）に見当たりません。"
            elif draft.relevance < MIN_RELEVANCE:
                draft = replace(draft, relevance=MIN_RELEVANCE)  # kept: the decision found it answerable
        if draft is not None and not refusal and draft.relevance >= MIN_RELEVANCE:
            card = self._card(asked, passages, draft, top_card)
            if card is not None and not _card_answers_each_part(card, parts):
                card = None  # a question asking several things keeps the answer built part by part
            if card is not None:  # the fact the question asks, stated whole, in place of the lines found one by one
                draft = _card_draft(card, draft, self._current().cards.book().siblings(card, asked))
            else:
                draft = self._with_part_cards(asked, passages, draft, part_drafts, named)
        if phrase and draft is not None and not refusal and draft.relevance >= MIN_RELEVANCE and self.generator is not None:
            # A follow-up (「標準タイプだと？」) reaches the model with its carried topic, as retrieval saw it.
            draft = self.generator.generate(asked.query if asked.carried else question, passages, draft)  # falls back to the extractive draft
        timings["answer"] = (time.perf_counter() - t1) * 1000
        if refusal or draft is None or draft.relevance < MIN_RELEVANCE:
            reason = _in_japanese_note(question) + (refusal or "ご質問の内容は、公表資料（制度概要・施策集）に記載が見当たりません。")
            return self._refusal(Status.UNANSWERABLE, reason, timings, started, passages, asked.query)
        # A premise asked for confirmation that the documents contradict (「補助率は10/10ですよね？」) is corrected
        # first; the quoted lines that follow carry the right figure with its citation.
        correction = guardrails.contradicted_premise(question)
        text, citations = _key_fact_first(draft.text, draft.citations)
        text, citations = self._with_example_targets(question, text, citations)
        if correction:
            text = f"いいえ。{correction}\n{text}"
        else:
            text, citations = self._with_verdict(judged, passages, text, citations)
        return self._finish(
            Answer(
                text=text,
                status=Status.ANSWERED,
                citations=citations,
                passages=tuple(passages),
                search_query=asked.query,
            ),
            timings,
            started,
        )

    def _with_answered_subject(self, asked: Question, history: Sequence[Turn]) -> Question:
        """「その町の体制は？」 after an answer whose key line named one case study or measure no user turn named (「…のうち
        大きいほうは○○市」): the follow-up is about what that answer named, so it is searched and read with it."""
        if not asked.carried or not _POINTS_AT_ONE.search(asked.text):
            return asked
        entities = self.index.entities
        if entities.named_in(asked.text) or entities.named_in(asked.carried):
            return asked
        answered = next((t.content for t in reversed(history) if t.role == "assistant" and t.content.strip()), "")
        named = entities.named_in(MARKER_RE.sub("", answered.split("\n")[0]))  # what its key line is about
        if len(named) != 1:
            return asked
        name = next(iter(named))
        return replace(asked, carried=f"{asked.carried} {name}", query=f"{name} {asked.query}")

    def _card_match(self) -> facts.Model | None:
        """The fitted card match when it applies here: fact cards on, and fitted for this embedding model."""
        model = facts.current()
        if model is None or not self.settings.fact_cards or not model.fits(self._current().cards.embedding):
            return None
        return model

    def _top_card(self, asked: Question, passages: list[Passage], draft: extract.Draft) -> facts.Match | None:
        """The fact card the shipped match finds most likely to answer, whatever its probability (None without
        a match that applies); the line answer's quoted lines are evidence for the cards that quote them."""
        model = self._card_match()
        if model is None:
            return None
        return self._current().cards.book().top(asked, passages, model, [c.quote for c in draft.citations])

    def _card(self, asked: Question, passages: list[Passage], draft: extract.Draft,
              top: facts.Match | None) -> facts.Match | None:
        """The card the answer states: the top card when it passes the match's threshold (assistant/facts.py),
        or the one `card_choice` picks when set."""
        if self.card_choice is not None:
            return self.card_choice(asked, passages, [c.quote for c in draft.citations])
        model = self._card_match()
        return top if top is not None and model is not None and top.probability >= model.threshold else None

    def _answerable(self, question: Question, passages: list[Passage], draft: extract.Draft,
                    card: facts.Match | None) -> bool:
        """The calibrated decision of assistant/answerability.py on the draft's evidence (True without a model)."""
        model = answerability.current()
        if model is None and answerability.observed is None:
            return True
        if card is not None:
            probability = card.probability
        elif self._card_match() is not None:
            probability = 0.0  # no card is a candidate
        else:
            probability = math.nan  # no match for this embedding model: the decision takes the feature's mean
        vector = answerability.features(question, passages, draft, self.index, self.settings.use_synonyms, probability,
                                        model.wording if model is not None else None)
        if answerability.observed is not None:
            answerability.observed.append((vector, answerability.asking_text(question)))
        return model is None or not model.refuses(vector)

    @staticmethod
    def _verdict_lines(passages: list[Passage], citations: Sequence[Citation]) -> list[tuple[str, str]]:
        """What a verdict may rest on: the quoted lines, then the lines of the three best passages."""
        return [(c.quote, c.section) for c in citations] + [
            (line, p.chunk.section) for p in passages[:3] for line in p.text.split("\n") if line.strip()]

    def _verdict(self, question: str, passages: list[Passage], citations: Sequence[Citation]) -> verdict.Verdict | None:
        lines = self._verdict_lines(passages, citations)
        return (verdict.excluded_cost(question) or verdict.unmet_condition(question) or verdict.decide(question, lines)
                or verdict.listed(question, lines))

    def _with_verdict(self, question: str, passages: list[Passage], text: str,
                      citations: tuple[Citation, ...]) -> tuple[str, tuple[Citation, ...]]:
        """A yes/no question about the asker's own case gets はい/いいえ from the line stating the rule about
        it (assistant/verdict.py); that line is quoted and cited if the draft did not quote it already."""
        lines = self._verdict_lines(passages, citations)
        stated = (verdict.itemised_costs(question) or verdict.excluded_cost(question) or verdict.unmet_condition(question)
                  or verdict.unmet_requirement(question, lines) or verdict.decide(question, lines)
                  or verdict.duty(question, lines))
        premise = None if stated else verdict.premise_differs(question, [c.quote for c in citations])
        weak = None if stated or premise else verdict.listed(question, lines)
        if stated is None and weak is None and premise is None and citations:
            weak = verdict.permitted(question, citations[0].quote)  # the answer's key line permits the case
        coverage = stated or weak
        model = verdict_model.current()
        observed = verdict_model.observed  # set while train-verdict collects its examples
        if premise is None and citations and (model is not None or observed is not None) and verdict.asks_if_covered(question):
            # what no stated rule settles, the learned verdict decides (assistant/verdict_model.py)
            vector = verdict_model.features(question, lines, citations[0].quote, stated, weak,
                                            model.wording if model is not None else None)
            if observed is not None:
                def composed(word: str | None) -> str:
                    covered = None if word is None else verdict.Verdict(word, verdict_model.LEADS[word], citations[0].quote)
                    return self._stated_verdict(covered, question, passages, text, citations)[0]
                observed.append({"vector": vector, "question": question, "stated": stated is not None,
                                 "weak": weak.word if weak is not None else None, "compose": composed})
            word = model.word(vector) if model is not None else None
            if word and stated is None and (weak is None or (model is not None and model.overrules_weak and weak.word != word)):
                coverage = verdict.Verdict(word, verdict_model.LEADS[word], citations[0].quote)
        found = verdict.oriented(coverage, question) if coverage else premise
        return self._stated_verdict(found, question, passages, text, citations, oriented=True)

    def _stated_verdict(self, found: verdict.Verdict | None, question: str, passages: list[Passage], text: str,
                        citations: tuple[Citation, ...], oriented: bool = False) -> tuple[str, tuple[Citation, ...]]:
        """The answer led by `found` (はい = covered, turned round to the asker's framing unless `oriented`), with
        the line stating it right after; unchanged without one."""
        if found is None:
            return text, citations
        if not oriented:
            found = verdict.oriented(found, question)
        # the draft's own leads (unquoted はい／いいえ lines, wherever a card put them) give way to the verdict
        body = _quoted_units([b for b in text.split("\n") if MARKER_RE.search(b) or not b.startswith(("はい", "いいえ", "条件"))])
        stating = next((c for c in citations if found.line in c.quote or c.quote in found.line), None)
        if stating is not None:  # the line that states the rule comes right after the verdict
            first = [b for b in body if f"[{stating.marker}]" in b]
            body = first + [b for b in body if b not in first]
        else:
            holder = next((p for p in passages if found.line in p.text), None)
            if holder is None:  # a rule the answer did not retrieve (a 対象外経費 line): quoted from where it stands
                chunk = self._chunk_holding(found.line)
                holder = Passage(chunk, 1.0, len(passages) + 1) if chunk is not None else None
            if holder is None:
                return text, citations
            chunk = holder.chunk
            cited = Citation(max((c.marker for c in citations), default=0) + 1, chunk.chunk_id, chunk.source, chunk.title, chunk.fiscal_year,
                             chunk.section, found.line, holder.score)
            citations = (*citations, cited)
            body = [f"{found.line.strip()}[{cited.marker}]", *body]
        echoed = _echoed_ability(question, found.word)
        # (said in the asker's verb, the verdict needs no pointer to the lines that follow: they follow anyway)
        reason = found.reason.replace("（次の記載をご確認ください）", "") if echoed else found.reason
        lead = f"{found.word}{echoed}。{reason}。"
        joined = "\n".join([lead, *body])
        while len(MARKER_RE.sub("", joined)) > ANSWER_CHAR_LIMIT and len(body) > 1:
            body = body[:-1]  # the verdict and its rule first; supporting lines give way to the length limit
            joined = "\n".join([lead, *body])
        return _renumbered(joined, citations)

    def _draft(self, question: str, parts: list[str], carried: str, passages: list[Passage],
               named: Sequence[str] | None = None) -> tuple[extract.Draft | None, list[extract.Draft | None]]:
        """The extractive answer, and for a question asking several things the answer to each part (joined in the
        first) — [] when the question is answered whole. `named`: the question's cases and measures
        (`_named_in_parts`), when the caller has them already."""
        meanings: dict[str, Any] = {}  # one question vector per distinct text asked about
        weighs_meaning = unit_ranker.current().uses(*MEANING)  # else no question embedding at all

        def draft_for(text: str, topic: str, max_units: int = extract.MAX_UNITS) -> extract.Draft | None:
            similarity = None
            if weighs_meaning:
                asked = question_parts.meaning_text(text, topic)
                if asked not in meanings:
                    meanings[asked] = self.index.similarity(asked)
                similarity = meanings[asked]
            return extract.draft_answer(text, topic, passages, self.settings.use_synonyms, self.index.idf,
                                        self.index.measures, max_units, similarity, self.index.entities)

        if len(parts) == 1:
            return draft_for(question, carried), []
        named = self._named_in_parts(question, parts) if named is None else named
        told = question_parts.story(question)  # the asker's situation before the asks: what each part is about
        for max_units in (2, 1):
            drafts = []
            for i, part in enumerate(parts):
                draft = draft_for(part, _part_topic(parts, i, carried, named, self.index.entities, told), max_units)
                if draft is None or draft.relevance < MIN_RELEVANCE:
                    draft = draft_for(part, question, max_units)  # the other parts may say what this one is about
                drafts.append(draft if draft is not None and draft.relevance >= MIN_RELEVANCE else None)
            merged = extract.merge_drafts(parts, drafts)
            if merged is None:
                break  # no part answered on its own: the question is read whole (and the calibrated decision judges it)
            if len(MARKER_RE.sub("", merged.text)) <= ANSWER_CHAR_LIMIT:
                return merged, drafts
        return draft_for(question, carried), []

    def _named_in_parts(self, question: str, parts: Sequence[str]) -> list[str]:
        """The case studies' towns and the catalogue's measures a question of several parts names (the story before
        its asks often names what they are about)."""
        if len(parts) < 2:
            return []
        # not a catalogue measure that is also a name of the programme (地方創生テレワーク交付金): officers use it for
        # the programme itself
        programme = set(known_programme_names())
        return sorted(n for n in self.index.entities.named_in(question) if normalise_key(n) not in programme)

    def _with_part_cards(self, asked: Question, passages: list[Passage], draft: extract.Draft,
                         drafts: list[extract.Draft | None], named: Sequence[str]) -> extract.Draft:
        """A question asking several facts (「予算額と、前年度の参加企業数を」) gets each part's fact card in place of
        that part's lines, when the fitted match finds one for the part above its threshold; the parts without one
        keep their lines. The same card answering two parts is stated once."""
        model = self._card_match()
        if model is None or self.card_choice is not None or len(drafts) != len(asked.parts) or len(drafts) < 2:
            return draft
        book = self._current().cards.book()
        cards: list[facts.Match | None] = []
        told = question_parts.story(asked.text)
        for i, (part, lines) in enumerate(zip(asked.parts, drafts, strict=True)):
            topic = _part_topic(list(asked.parts), i, asked.carried, named, self.index.entities, told)
            one = replace(parse_question(part), carried=topic, query=f"{topic} {part}".strip())
            cited = [c.quote for c in lines.citations] if lines is not None else []
            # a card already stating an earlier part is not this part's: the part's words often carry the earlier
            # ask with them (「予算はいくらで、どこの課が担当？」), so the best card left is this part's candidate
            card = book.top(one, passages, model, cited, excluding=[c.fact for c in cards if c is not None])
            # the card must state what the part's own lines found (it quotes one of them), unless they found nothing
            # (or the match is sure of it — SURE_PART_CARD × its threshold — when the part's lines missed the card's lines)
            fits = card is not None and card.probability >= model.threshold and (
                not cited or _quotes_any(card, cited) or card.probability >= SURE_PART_CARD * model.threshold)
            cards.append(card if fits else None)
        if not any(cards):
            return draft
        for with_lines in (True, False):  # each card with its part's other lines, else the cards alone
            carded = [
                lines if card is None else _card_draft(card, lines if with_lines and lines is not None else extract.Draft(
                    "", (), lines.relevance if lines is not None else MIN_RELEVANCE))
                for card, lines in zip(cards, drafts, strict=True)
            ]
            merged = extract.merge_drafts(list(asked.parts), carded)
            if merged is not None and len(MARKER_RE.sub("", merged.text)) <= ANSWER_CHAR_LIMIT:
                return replace(merged, relevance=draft.relevance, best_score=draft.best_score)
        return draft

    def _focused_queries(self, asked: Question, passages: list[Passage]) -> list[str]:
        """Searches that keep a long question's point in view: the sentence that asks, when a story about the
        asker's town comes before it (the story's words otherwise outweigh it), and each programme the question
        names that the documents describe but no passage found holds."""
        queries: list[str] = []
        if len(asked.parts) == 1 and asked.asking.strip() != asked.text.strip():
            queries.append(asked.asking)
        # the name alone: with the asking sentence, the sentence's words outweigh it
        queries += [name for name, described, found in self._named_programmes(asked, passages) if described and not found]
        return queries

    def _named_programmes(self, asked: Question, passages: list[Passage]) -> list[tuple[str, bool, bool]]:
        """Each programme the question names, whether the documents describe it and whether these passages do
        (by any of its names)."""
        if not asked.names:
            return []  # most questions name none: no passage keys to build
        # a name is the same written with or without its middle dot (「…オフィス・マッチング…」)
        keyed = [_undotted(normalise_key(f"{p.chunk.section}\n{p.text}")) for p in passages]
        corpus = _undotted_corpus(self._corpus_key)
        named = []
        for name in asked.names:
            aliases = [_undotted(a) for a in programme_aliases(name)]
            named.append((name, any(a in corpus for a in aliases), any(a in k for a in aliases for k in keyed)))
        return named

    def _with_passages_for(self, parts: list[str], carried: str, passages: list[Passage]) -> list[Passage]:
        """The whole question's passages, then each part's best ones not yet among them (ranks renumbered)."""
        seen = {p.chunk_id for p in passages}
        merged = list(passages)
        for part in parts:
            for p in self.retriever.passages(f"{carried} {part}".strip(), PASSAGES_PER_PART):
                if p.chunk_id not in seen:
                    seen.add(p.chunk_id)
                    merged.append(p)
        return [Passage(p.chunk, p.score, rank) for rank, p in enumerate(merged, start=1)]

    def calculators(self) -> list[Any]:
        from assistant.calculators import CALCULATORS

        return list(CALCULATORS.values())

    def calculate(self, kind: str, inputs: Mapping[str, object]) -> Calculation:
        from assistant.calculators import calculate

        return calculate(kind, inputs)

    def health(self) -> dict[str, Any]:
        return {
            "documents": len(self.index.manifest.get("documents", [])),
            "chunks": len(self.index.chunks),
            "index_version": self.index.version,
        }

    # ---- index swaps ------------------------------------------------------------------------------------
    # The index-derived state lives in one _Live; these read the request's pinned one, else the live one.
    @property
    def index(self) -> LoadedIndex:
        return self._current().index

    @property
    def retriever(self) -> HybridRetriever:
        return self._current().retriever

    @property
    def contact(self) -> Contact:
        return self._current().contact

    @property
    def _corpus_key(self) -> str:
        return self._current().corpus_key

    def _current(self) -> _Live:
        pinned: _Live | None = getattr(self._pinned, "live", None)
        return pinned if pinned is not None else self._live

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.settings.index_dir / "CURRENT").stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_ino)

    def reload_if_rebuilt(self) -> bool:
        """Switch to a newly ingested index (a new CURRENT pointer) once it is completely loaded.

        The request that notices the new pointer loads it; every other request meanwhile keeps answering
        from the old index (no refusal, no wait). The swap is one reference assignment. A load that fails
        (a build removed under us, a damaged pointer) keeps the old index and is logged; the next change of
        the pointer is tried again.
        """
        stamp = self._stamp()
        if stamp == self._pointer_stamp or stamp is None or not self._reload_lock.acquire(blocking=False):
            return False
        try:
            from assistant.index import load_index

            old = self._live
            try:
                index = load_index(self.settings, old.index.dense.embeddings)
                retriever = old.retriever.model_copy(update={"index": index})
                self._live = _Live(index, retriever, corpus_key(index), self._find_contact(index),
                                   _Cards(self.settings, index))
            except Exception as exc:  # the old index stays live; the service keeps answering
                log.warning("index reload failed, still serving %s: %s", old.index.version, exc)
                return False
            finally:
                self._pointer_stamp = stamp
            return True
        finally:
            self._reload_lock.release()

    # ---- input limits -----------------------------------------------------------------------------
    def validate_question(self, question: object) -> str:
        if not isinstance(question, str):
            raise InputError("質問は文字列で指定してください (question must be a string).")
        if _SURROGATE.search(question):
            raise InputError("質問に使えない文字（不正なUnicode）が含まれています (question contains invalid code points).")
        text = unicodedata.normalize("NFC", question).strip()
        text = _INVISIBLE.sub("", _CONTROL.sub("", text))  # 「補\u200b助率」 is 「補助率」
        if not text:
            raise InputError("質問が空です (empty question).")
        if len(text) > self.settings.max_question_chars:
            raise InputError(
                f"質問が長すぎます（{len(text)}文字、上限{self.settings.max_question_chars}文字）"
                f" (question longer than {self.settings.max_question_chars} characters)."
            )
        return text

    def validate_history(self, history: Sequence[Turn]) -> list[Turn]:
        turns = [t for t in history if isinstance(t, Turn) and t.content.strip()]
        if any(_SURROGATE.search(t.content) for t in turns):
            raise InputError("会話履歴に使えない文字（不正なUnicode）が含まれています (history contains invalid code points).")
        if len(turns) > self.settings.max_history_turns:
            turns = turns[-self.settings.max_history_turns :]  # oldest turns matter least for follow-ups
        if sum(len(t.content) for t in turns) > self.settings.max_history_chars:
            raise InputError(f"会話履歴が長すぎます (history over {self.settings.max_history_chars} characters).")
        return turns

    # ---- pieces -----------------------------------------------------------------------------------
    def _route(self, question: str, history: Sequence[Turn]) -> Any:
        try:
            from assistant.router import route
        except ImportError:  # calculators not installed in this build
            return None
        return route(question, history)

    def _from_route(self, routed: Any, timings: dict[str, float], started: float, question: str = "") -> Answer:
        if routed.calculation is None:
            return self._finish(
                Answer(text=routed.clarification or "計算に必要な情報を教えてください。", status=Status.CLARIFICATION_NEEDED),
                timings,
                started,
            )
        calc: Calculation = routed.calculation
        citations: list[Citation] = []
        passages: list[Passage] = []
        for rule in calc.rules:
            chunk = self._chunk_holding(rule.quote, rule.source)
            if chunk is None or any(c.chunk_id == chunk.chunk_id and c.quote == rule.quote for c in citations):
                continue
            citations.append(
                Citation(len(citations) + 1, chunk.chunk_id, chunk.source, chunk.title, chunk.fiscal_year,
                         chunk.section, rule.quote, 1.0)
            )
            if all(p.chunk_id != chunk.chunk_id for p in passages):
                passages.append(Passage(chunk, 1.0, len(passages) + 1))
        markers = "".join(f"[{c.marker}]" for c in citations)
        text = f"{calc.summary}{markers}\n計算式: {_within(calc.formula, ANSWER_CHAR_LIMIT - len(calc.summary) - 20)}"
        confirmed = confirmation.decide(question, calc)  # a confirmation: whether the stated outcome holds
        if confirmed:
            text = f"{confirmed}。{text}"
        return self._finish(
            Answer(text=text, status=Status.CALCULATED, citations=tuple(citations), passages=tuple(passages),
                   calculation=calc),
            timings,
            started,
        )

    def _with_rule_part(self, question: str, history: Sequence[Turn], answer: Answer) -> Answer:
        """A calculated question that also asks a rule in a sentence of its own, with no figures (「…はそれぞれいくら？
        …の決まりも知りたい」): that sentence is answered as a lookup, its key line placed
        after the result and before the steps. The sentence carries the element the question names (⑤ …)."""
        from assistant.question_parts import asks, split_sentences

        if answer.calculation is None:
            return answer
        sentences = split_sentences(question)
        rule_asks = [s for s in sentences[1:] if asks(s) and _RULE_ASK.search(s) and not read_quantities(s)]
        if not rule_asks:
            return answer
        part = rule_asks[-1]
        # the element the question is about (a range such as 「①～④は採択済み」 is the asker's story)
        named = re.findall(r"[①-⑤]", re.sub(r"[①-⑤]\s*[～〜~\-ー－]\s*[①-⑤]", "", question))
        marks = named[-1] if len(set(named)) == 1 and named[-1] not in part else ""
        sub = self._answer(f"{marks}の{part}" if marks else part, history, phrase=False)
        if sub.status != Status.ANSWERED or not sub.citations:
            return answer
        # its key fact line (a bare heading such as 「＜補助対象経費＞」 says nothing), each citation renumbered
        # after the calculation's own
        kept = [line for line in sub.text.split("\n")
                if len(MARKER_RE.sub("", line).strip()) > 12 and not line.lstrip().startswith(("＜", "<", "【", "■"))][:1]
        used = [c for c in sub.citations if any(f"[{c.marker}]" in line for line in kept)]
        if not used:
            return answer
        renumber = {c.marker: len(answer.citations) + i for i, c in enumerate(used, 1)}
        lines = [MARKER_RE.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber else "", line)
                 for line in kept]
        summary, _, steps = answer.text.partition("\n計算式: ")
        joined = "\n".join([summary, *lines])
        if len(MARKER_RE.sub("", joined)) > ANSWER_CHAR_LIMIT:
            return answer
        room = ANSWER_CHAR_LIMIT - len(MARKER_RE.sub("", joined)) - 10
        text = joined + (f"\n計算式: {_within(steps, room)}" if steps and room > 40 else "")
        cited = tuple(replace(c, marker=renumber[c.marker]) for c in used)
        return replace(answer, text=text, citations=(*answer.citations, *cited),
                       passages=(*answer.passages, *(p for p in sub.passages if p not in answer.passages)))

    def _with_example_targets(self, question: str, text: str,
                              citations: tuple[Citation, ...]) -> tuple[str, tuple[Citation, ...]]:
        """A question naming an adopted example and asking for its targets (利用企業数, 移住者数 …) gets the rows of
        that example's KPI table the answer does not quote yet, each cited from the example's own table."""
        lines: list[str] = []
        for example, what in _example_targets_asked(question):
            _, row = example.target(what)
            if any(row in c.quote for c in citations):
                continue
            chunk = next((c for c in self.index.chunks if row in c.text and example.municipality in f"{c.section}{c.text}"),
                         None) or self._chunk_holding(row)
            if chunk is None:
                continue
            marker = max((c.marker for c in citations), default=0) + 1
            citations = (*citations, Citation(marker, chunk.chunk_id, chunk.source, chunk.title, chunk.fiscal_year,
                                              chunk.section, row, 1.0))
            lines.append(f"{example.municipality}の2024目標：{row.replace(chr(9), ' ')}[{marker}]")
        if not lines:
            return text, citations
        body = text.split("\n")
        joined = "\n".join([body[0], *lines, *body[1:]])  # after the key line
        while len(MARKER_RE.sub("", joined)) > ANSWER_CHAR_LIMIT and len(body) > 1:
            body = body[:-1]  # the key line and the rows asked first; further lines give way to the length limit
            joined = "\n".join([body[0], *lines, *body[1:]])
        return _renumbered(joined, citations)

    def _chunk_holding(self, quote: str, source: str | None = None) -> Chunk | None:
        """The first chunk (of `source`, when given) whose text holds `quote`: where a rule's line is cited from."""
        return next((c for c in self.index.chunks if (source is None or c.source == source) and quote in c.text), None)

    def _out_of_scope(self, asked: Question, passages: list[Passage]) -> str | None:
        question = asked.text
        years = scope.unknown_fiscal_years(question, self._corpus_key)
        if years:
            covered = "、".join(d.get("fiscal_year", "") for d in self.index.manifest.get("documents", []))
            return f"資料には{'・'.join(years)}に関する記載がありません（資料の対象: {covered}）。"
        if scope.asks_for_participants(question):
            return "資料には個々の参加団体・企業（採択団体、進出企業、受託者、会員など）の一覧や名称は記載されていません（取組事例の一部のみ）。"
        if scope.asks_about_the_future(question):
            covered = "、".join(d.get("fiscal_year", "") for d in self.index.manifest.get("documents", []))
            return f"資料（{covered}）には、来年度以降の予定や予算は記載されていません。"
        for name, described, found in self._named_programmes(asked, passages):
            if not described and not extract.proposed_by_asker(question, name):
                return f"資料には「{name}」についての記載がありません。"
            # a programme named only in the story before the asking sentence is context, not what is asked
            if name in asked.asking and not found:
                return f"資料から「{name}」についてのご質問に答える記載が見つかりませんでした。"
        unstated = scope.amount_not_stated(asked.asking, passages)  # the sentence that asks, not the story
        if unstated:
            return f"資料には「{'・'.join(unstated)}」の金額についての記載がありません。"
        focus = scope.absent_focus(question, self._corpus_key)
        if focus:
            return f"資料には「{focus}」についての記載がありません。"
        return None

    def _find_contact(self, index: LoadedIndex) -> Contact:
        for chunk in index.chunks:
            if _CONTACT_SECTION.search(chunk.section) and re.search(r"@|＠", chunk.text):
                lines = [ln.strip() for ln in chunk.text.split("\n") if ln.strip()]
                keep = [ln for ln in lines if re.search(r"@|電話|内閣府|事務局", ln) and "担当" not in ln]
                return Contact(" ".join(keep[:3]), Passage(chunk, 1.0, 1))
        return Contact("内閣府地方創生推進室（制度概要の「問い合わせ先」）", None)

    def _refusal(
        self,
        status: Status,
        reason: str,
        timings: dict[str, float],
        started: float,
        passages: Sequence[Passage] = (),
        query: str = "",
    ) -> Answer:
        citations: tuple[Citation, ...] = ()
        marker = ""
        contact = self.contact
        if contact.passage is not None:
            chunk = contact.passage.chunk
            quote = next((ln.strip() for ln in chunk.text.split("\n") if "@" in ln), chunk.text.strip()[:80])
            citations = (Citation(1, chunk.chunk_id, chunk.source, chunk.title, chunk.fiscal_year, chunk.section, quote, 1.0),)
            marker = "[1]"
        text = f"{reason}\n制度の詳細は担当窓口にお問い合わせください：{contact.text}{marker}"
        shown = tuple(passages) if status is Status.UNANSWERABLE else ()
        if contact.passage is not None and all(p.chunk_id != contact.passage.chunk_id for p in shown):
            shown = shown + (Passage(contact.passage.chunk, 1.0, len(shown) + 1),)
        return self._finish(Answer(text=text, status=status, citations=citations, passages=shown, search_query=query),
                            timings, started)

    @staticmethod
    def _finish(answer: Answer, timings: dict[str, float], started: float) -> Answer:
        timings = {"retrieve": 0.0, "answer": 0.0, **timings, "total": (time.perf_counter() - started) * 1000}
        return Answer(
            text=answer.text,
            status=answer.status,
            citations=answer.citations,
            passages=answer.passages,
            calculation=answer.calculation,
            timings_ms={k: round(v, 2) for k, v in timings.items()},
            search_query=answer.search_query,
        )


def build_assistant(settings: Settings) -> Assistant:
    """Load the embedding model and the live index once; raises IndexMissingError with the fixing command."""
    from assistant.embeddings import make_embeddings
    from assistant.index import load_index
    from assistant.llm import GroundedGenerator, make_chat_model
    from assistant.retrieval import HybridRetriever
    from ingest.stores import remove_abandoned_builds

    remove_abandoned_builds(settings.index_dir)  # what a killed ingest left behind, at every start
    embeddings = make_embeddings(settings)
    index = load_index(settings, embeddings)
    retriever = HybridRetriever(
        index=index,
        mode=settings.retriever,
        k=settings.top_k,
        rrf_k=settings.rrf_k,
        bm25_weight=settings.bm25_weight,
        dense_weight=settings.dense_weight,
        use_synonyms=settings.use_synonyms,
        rerank=settings.rerank,
        rerank_weight=settings.rerank_weight,
        rerank_depth=settings.rerank_depth,
    )
    model = make_chat_model(settings)
    generator = (
        GroundedGenerator(model, max_chars=ANSWER_CHAR_LIMIT, timeout_s=settings.llm_timeout_s) if model is not None else None
    )
    return Assistant(settings, index, retriever, generator)
