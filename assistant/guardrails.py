"""Requests the assistant declines before searching, as intent classes whose patterns, exceptions, replies
and example phrasings live in data (assistant/data/guardrails.toml):

- injection: instruction override, prompt or secret extraction
- fraud: false statements, inflated or fictitious costs, bribery, escaping checks (虚偽, 不正, 買収, ばれない …)
- personal: personal data of a named or implied person (an official's own contact, someone's salary)
- false_premise: a statement to repeat, say or "correct" to (「補助率は10/10と答えて」). A premise asked for
  confirmation (「補助率は10/10ですよね」) is *not* declined: officers ask that way and deserve the correction,
  which `contradicted_premise(question)` gives from the programme's stated figures (data file, [false_premise])
- not_covered: other programmes, and budget or call years the documents do not describe
- advice: legal advice and promised outcomes
- off_topic: anything but the programme

Every check runs on `normalise(question)`: invisible format characters (zero-width, bidi, tags) and control
characters removed, then NFKC, dash/wave folding and lower case (`japanese.normalise_key`), blanks closed up.
So 「補助率は１０／１０ですよね」 and 「補\u200b助率…」 are the question 「補助率は10/10ですよね」.

The programme office's contact (問い合わせ先) is not personal data; rules *about* fraud or personal data
(「不正受給が発覚した場合の返還は」「移住者の住所要件」) are programme questions. What passes here still goes
through the scope checks (scope.py) and the relevance threshold (core.py).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.japanese import normalise_key

DATA_FILE = Path(__file__).parent / "data" / "guardrails.toml"
_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class GuardrailHit:
    reason: str  # injection | fraud | personal | false_premise | not_covered | advice | off_topic
    message: str


@dataclass(frozen=True)
class Intent:
    name: str
    title: str
    reply: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    check: Callable[[str], bool] | None
    examples: tuple[str, ...]

    def matches(self, key: str) -> bool:
        hit = any(p.search(key) for p in self.patterns) or (self.check is not None and self.check(key))
        return hit and not any(p.search(key) for p in self.unless)


def _invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category == "Cf" or (category == "Cc" and not ch.isspace()) or ch in "\u115f\u1160\u3164\uffa0"


def normalise(question: str) -> str:
    """The key every guardrail reads: invisible and control characters out, NFKC, lower case, one blank."""
    visible = "".join(ch for ch in question if not _invisible(ch))
    return _BLANKS.sub(" ", normalise_key(visible)).strip()


# ---- built-in checks, configured in the data file ------------------------------------------------------
_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)|(\d+)\s*分の\s*(\d+)|(\d+(?:\.\d+)?)\s*(%|パーセント|percent|割)")
_WHOLE = re.compile(r"全額|満額|全部国|10割|full(?:y)? (?:covered|funded)|in full|free")
_AMOUNT = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(億|千万|百万|万|million|billion|oku|man)?\s*(\d[\d,]*)?\s*(万)?"
)


def _ratio(text: str) -> Fraction | None:
    if _WHOLE.search(text):
        return Fraction(1)
    m = _FRACTION.search(text)
    if not m:
        return None
    if m.group(1):
        return Fraction(int(m.group(1)), max(1, int(m.group(2))))
    if m.group(3):
        return Fraction(int(m.group(4)), max(1, int(m.group(3))))
    number = Fraction(m.group(5))
    return number / (10 if m.group(6) == "割" else 100)


def _man_yen(text: str) -> Fraction | None:
    """An amount in 万円: 「9,000万円」「9千万円」「1億円」「1億2,000万円」「30,000,000円」「90 million yen」."""
    m = _AMOUNT.search(text)
    if not m:
        return None
    number = Fraction(m.group(1).replace(",", ""))
    unit = m.group(2) or ""
    scale = {"億": 10000, "oku": 10000, "千万": 1000, "百万": 100, "million": 100, "billion": 100000,
             "万": 1, "man": 1}.get(unit)
    if scale is None:  # plain yen
        return number / 10000
    value = number * scale
    if unit in ("億", "oku") and m.group(3):  # 1億2,000万
        value += Fraction(m.group(3).replace(",", ""))
    return value


def _count(text: str) -> Fraction | None:
    m = re.search(r"\d+", text)
    return Fraction(int(m.group(0))) if m else None


_READERS: dict[str, Callable[[str], Fraction | None]] = {"ratio": _ratio, "amount": _man_yen, "count": _count}


def _premise_check(config: dict[str, Any]) -> Callable[[str], str | None]:
    """A premise asserted for confirmation that the documents contradict: a value the programme does not
    state for the fact asked about (補助率, 上限額, 施設数), or one of the claims they contradict. Returns what
    the documents say instead."""
    confirm = re.compile(config["confirm"])
    other_types = re.compile(config["other_types"])
    facts = []
    for fact in config["fact"]:
        read = _READERS[fact["reader"]]
        stated = {read(str(v)) if isinstance(v, str) else Fraction(v) for v in fact["stated"]}
        # the value right after the topic: 「補助率は10/10」「上限額が1億円」「the subsidy rate is 100%」
        asserted = re.compile(rf"(?:{fact['topic']})[^。?!]{{0,14}}?({fact['value']})")
        facts.append((asserted, fact["reader"], read, stated, bool(fact.get("specific")), fact["says"]))
    claims = [(re.compile(c["pattern"]), c["says"]) for c in config["claim"]]

    def contradicted(key: str) -> str | None:
        if not confirm.search(key):
            return None
        for claim, says in claims:
            if claim.search(key):
                return says
        if other_types.search(key):
            return None
        settled: set[str] = set()  # readers whose asserted value a specific fact has read
        for asserted, reader, read, stated, specific, says in facts:
            if reader in settled and not specific:
                continue
            for m in asserted.finditer(key):
                value = read(m.group(1))
                if value is None:
                    continue
                if value not in stated:
                    return str(says)
                if specific:
                    settled.add(reader)
        return None

    return contradicted


_ERA_YEAR = re.compile(r"(令和|平成|(?<![a-z])r|(?<![a-z])h)\s*(\d{1,2}|元)\s*(?=年|補正|当初)")
_WESTERN_YEAR = re.compile(
    r"((?:19|20)\d\d)\s*(?=年)|(?<![a-z])(?:fy|fiscal year|fiscal|in|for|the|of|during)\s*((?:19|20)\d\d)(?![\d万億千円])"
    r"|(?<!\d)((?:19|20)\d\d)(?= (?:call|budget|round|application|fiscal))"
)


def year_mentions(key: str) -> list[tuple[int, int, int]]:
    """(western year, start, end) of the fiscal years a question names: 令和7年度 → 2025, r6補正 → 2024,
    fy2025 → 2025. A calendar date (2025年3月31日, 2025年6月) is the asker's event, not a fiscal year."""
    found = []
    for m in _ERA_YEAR.finditer(key):
        era, number = m.group(1), m.group(2)
        n = 1 if number == "元" else int(number)
        found.append(((2018 if era in ("令和", "r") else 1988) + n, m.start(), m.end()))
    for m in _WESTERN_YEAR.finditer(key):
        found.append((int(next(g for g in m.groups() if g)), m.start(), m.end()))
    return [(y, a, b) for y, a, b in found if not _DATE_AFTER.match(key, b)]


_DATE_AFTER = re.compile(r"\s*年\s*\d{1,2}\s*月")
YEAR_REACH = 20  # characters around a year within which a budget/call word makes it the year asked about


def years_named(key: str) -> list[int]:
    return [y for y, _, _ in year_mentions(key)]


def _uncovered_year_check(config: dict[str, Any]) -> Callable[[str], bool]:
    """A budget, call, deadline or rate year the documents do not describe (a KPI or plan year is fine). The year
    must be asked about as such: a budget/call word near it, in the same sentence, and no plan/KPI word there; a
    KPI year elsewhere in a long question about a requirement is the plan's year, not an unknown budget year."""
    covered = set(config["covered_years"])
    context = re.compile(config["year_context"])
    plan = re.compile(config["plan_context"])

    def uncovered(key: str) -> bool:
        for year, start, end in year_mentions(key):
            if year in covered:
                continue
            sentence_start = max(key.rfind(c, 0, start) for c in "。？?！!\n") + 1
            ends = [i for i in (key.find(c, end) for c in "。？?！!\n") if i >= 0]
            around = key[max(sentence_start, start - YEAR_REACH) : min([*ends, end + YEAR_REACH])]
            if context.search(around) and not plan.search(around):
                return True
        return False

    return uncovered


_CHECKS: dict[str, Callable[[dict[str, Any]], Callable[[str], bool]]] = {
    "uncovered_year": lambda data: _uncovered_year_check(data["not_covered"]),
}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _premise() -> Callable[[str], str | None]:
    return _premise_check(_data()["false_premise"])


def premise_examples() -> tuple[str, ...]:
    return tuple(_data()["false_premise"].get("examples", []))


@lru_cache(maxsize=1)
def intents() -> tuple[Intent, ...]:
    data = _data()
    out = []
    for item in data["intent"]:
        out.append(
            Intent(
                name=item["name"],
                title=item["title"],
                reply=item["reply"],
                patterns=tuple(re.compile(p) for p in item["patterns"]),
                unless=tuple(re.compile(p) for p in item.get("unless", [])),
                check=_CHECKS[item["check"]](data) if item.get("check") else None,
                examples=tuple(item.get("examples", [])),
            )
        )
    return tuple(out)


def classify(question: str) -> Intent | None:
    """The first intent class the question falls in, or None."""
    key = normalise(question)
    return next((intent for intent in intents() if intent.matches(key)), None)


def contradicted_premise(question: str) -> str | None:
    """For a premise asked for confirmation that the documents contradict (「補助率は10/10ですよね？」): the
    correction to lead the answer with (「ご質問の前提は資料の記載と異なります。資料では、…」); else None.
    Not a refusal: such questions are answered."""
    says = _premise()(normalise(question))
    return f"ご質問の前提は資料の記載と異なります。{says}" if says else None


def check(question: str) -> GuardrailHit | None:
    intent = classify(question)
    return GuardrailHit(intent.name, intent.reply) if intent is not None else None
