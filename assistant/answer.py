"""Extractive, deterministic answers: pick the lines or table cells of the retrieved passages that answer
the question, quote them with `[n]` markers, or decline when the documents do not cover it.

How a line is chosen: overlap of its search keys with the question's (current question weighted above the
topic carried from history, compounds above single words), a bonus when it holds the kind of fact asked
for (an amount for いくら, a count for いくつ/何社, points for 何点, a rate for 補助率/割合, a date for いつ,
an address for メール/電話), and a small prior from the passage's retrieval rank.
The answer reports how much of the question its lines cover (`Draft.relevance`); the caller declines below a
threshold. What the documents never mention at all (a programme, a year, the thing asked about) is checked
before this, in `scope.py`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant import unit_ranker
from assistant.entities import Entities
from assistant.japanese import (
    element_names,
    known_programme_names,
    nfkc_keep_circled,
    normalise_key,
    query_tokens,
    tokenize,
)
from assistant.question import INTERROGATIVE
from assistant.types import MARKER_RE, Chunk, Citation, Passage
from assistant.vocabulary import grant_type_of

MAX_UNITS = 3
MAX_ANSWER_CHARS = 420
UNIT_SPLIT_CHARS = 140

# The kind of fact a question asks for -> what such a fact looks like in the text (on normalised keys).
_ANSWER_TYPES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    # who to ask (「誰に聞けばいい？」「相談先は？」) is answered by the contact line: its phone number or address
    ("contact", re.compile(r"メール|アドレス|電話|連絡先|問い?合わ?せ|窓口|相談先|(?:誰|どこ|どちら)に(?:聞|き|問|尋|相談|連絡)"),
     re.compile(r"[\w.+-]+(?:@|_atmark_)[\w-]+\.[\w.]+|\d{2,4}-\d{2,4}-\d{3,4}")),
    # which office is in charge (「担当課は」「どこの課が担当」): the contact line (its phone number or address) or a line
    # ending in a ministry's office — not a table of contents row, where the office is followed by its page number
    ("office", re.compile(r"担当(?:課|部署|部局|室)|(?:どこ|どちら)の(?:課|部署|部局|室|省庁|府省)(?:が|の)?担当|(?:どこ|どちら)が担当"),
     re.compile(r"[\w.+-]+(?:@|_atmark_)[\w-]+\.[\w.]+|\d{2,4}-\d{2,4}-\d{3,4}|(?:省|府|官房|庁)[一-龥ァ-ヶー]*(?:室|課|局)\s*$")),
    ("money", re.compile(r"いくら|幾ら|金額|上限額|予算額|補助額|国費|何円|何万円"),
     re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:億|万|千|百万)?円|\d[\d,]*\s*(?:百万|億|万)")),
    ("points", re.compile(r"何点|点数|満点|配点"), re.compile(r"\d+\s*点")),
    ("rate", re.compile(r"補助率|交付率|交付割合|割合|比率|何割|何%|何パーセント|負担率|措置率"),
     re.compile(r"\d+\s*/\s*\d+|\d+(?:\.\d+)?\s*%|\d+\s*割|(?<![\d.])0\.\d+")),
    # 「参加企業数は？」「出展団体の数は？」 ask a count as much as 「何社」 does
    ("count", re.compile(r"いくつ|何施設|何社|何団体|何地域|何名|何人|何か所|何カ所|何件|何事業|(?:企業|団体|社|者|件|施設)の?数(?:は|を|が|って|も|[?？])"),
     re.compile(r"\d+\s*(?:施設|社|団体|地域|名|人|か所|カ所|件|事業)")),
    ("date", re.compile(r"いつ|何月|何日|期間|何年|締切|締め切り|期限|スケジュール"),
     # an era's year too, written out or abbreviated as the catalogue does (「平成22年」「H22に開設」「R4.3」)
     re.compile(r"\d+\s*月\s*\d*\s*日?|\d{4}\s*年|(?:令和|平成|昭和)\s*(?:\d+|元)\s*年|\d+\s*か?ヶ?カ?年|年度末"
                r"|(?<![a-z])[hrs]\s*\d{1,2}(?![\d])", re.IGNORECASE)),
]
_CONTACT_ASK = next(asks for name, asks, _ in _ANSWER_TYPES if name == "contact")
# 「どのような経費が対象？」: the answer is a list; an enumeration (「…」、「…」 or 「：…」 lines) is what states it.
_LIST_ASK = re.compile(r"(?:どのような|どんな|どういった|何が|何を)\S{0,8}?(?:経費|書類|要件|もの|取組|事業|例|対象|内容)")
_ENUMERATION = re.compile(r"(?:[「（(][^」）)]{2,}[」）)][、，・].*){2,}|(?:\n\s*：)|(?:、[^、]{2,40}){3,}")
# Names of programmes and measures: if the question names one, the answer must come from a passage about it.
_PROGRAMME_NAME = re.compile(
    r"[①-⑤]事業|[ぁ-ん一-龥ァ-ヶーA-Za-z0-9・]{2,30}?(?:タイプ|交付金|補助金|助成金|支援金|推進事業|支援事業|整備事業|促進事業|税措置)"
)
# A clause ending before a noun (a verb or a reason clause — だから, から, ていた — right before the name)
# is not part of the name: the name is what follows it.
_CLAUSE_END = re.compile(r"(?:だから|ですから|ですが|けれど|けど|ので|から|ていた|ってた|っていた|った|いた|した|きた|ている|てる"
                         r"|できる|られる|れる|える|する|せる|ある|なる"  # a verb's plain form closing a relative clause
                         r"|である|だと|には|では|って|という|といった|ような|として|による|によって|における|において|ための"
                         r"|(?<=[ぁ-ん])[はがをにでも])(?=[一-龥ァ-ヶーA-Za-z0-9①-⑤])")
# Particles end a phrase: 「…テレワーク型の交付金」 names 「交付金」, 「ものづくり補助金」 stays whole.
_PARTICLE_SPLIT = re.compile(r"(?<=[一-龥ァ-ヶー0-9])(?:の|を|に|が|は|で|と|へ|も|や|から|まで)")
# (also fillers and time words that open a follow-up or a name: 「じゃあ標準タイプ」「これまでの…交付金」)
_CLAUSE_WORDS = re.compile(r"って|この|その|あの|まだ|うちは|うちの|うちで|では|には|とは|じゃあ|じゃ|それなら|なら|あと"
                           r"|これまでの|今までの|従来の|以前の|前の|旧")
# The ministry or agency in charge said before a measure's name (「総務省の…推進事業」) is not part of the name.
_MINISTRY = re.compile(r"^(?:内閣官房|内閣府|[一-龥ァ-ヶー]{1,6}(?:省|庁))の?(?=[一-龥ァ-ヶー])")
_LEADING_PARTICLES = re.compile(r"^(?:では|には|とは|での|への|から|まで|[をにがはでとへもやの])+(?=[一-龥ァ-ヶー])")
# Words for a kind of funding rather than one programme (「他の国庫補助金を併用できますか」 asks about a rule the
# documents state: 国の補助金等を受けている事業の経費は対象外).
_GENERIC_PROGRAMME_WORDS = {"標準タイプ", "高水準タイプ", "交付金", "補助金", "支援金", "本交付金", "タイプ", "助成金",
                            "国庫補助金", "補助金等", "交付金等", "国庫負担金", "他の補助金"}
# 「…できますか」「入れられますか」「計上してもいいですか」: potential and permission forms asked as yes/no.
_YES_NO = re.compile(
    r"(?:できますか|出来ますか|[えけせてねべめれ]ますか|なりますか|可能ですか|対象ですか|含まれますか|ありますか|いいですか|よいですか"
    r"|でしょうか|ませんか)[?？]?\s*$"
)
# 「対象外とはしない」 is a double negative: the thing is covered.
_NEGATIVE = re.compile(r"対象外(?!と(?:は|も)?し(?:ない|ません))|を除く|を除き|除く）|除く\)|できない|認められない|不可|ではない|該当しない")
# The line itself says the thing is covered: 「…の法人は対象」「対象とする」「計上できる」.
_AFFIRMATIVE = re.compile(r"(?:は|も|を)対象(?:と(?:する|なる|なります|します)|です)?[。）)]?$|対象となる|対象とする|できる[。]?$")
_CONDITIONAL = re.compile(r"場合に限り|場合に可|場合は可|に限る|を条件")
_VAGUE_WORDS = {"上限", "上限額", "補助率", "金額", "条件", "要件", "対象", "期限", "いくら", "幾ら", "どう", "何", "率", "額", "割合"}
# Bounded repetition: unbounded `\d[\d,.]*` before a required unit backtracks quadratically on long digit runs.
_QUANTITY = re.compile(r"(\d[\d,.]{0,15})\s*(人|億円|万円|円|%|割|年|か月|ヶ月|社|施設|点)\s*(以上|未満|以下|超|以内)?")
_COMPARES = re.compile(r"同じ|変わり|違い|異なり|でも|だと|なら")
_OWN_PREDICATE = re.compile(r"(?:ますか|ですか|でしょうか|ませんか|ありますか)[?？]?\s*$")
_BULLET = re.compile(r"^(?:[-・•✓➤▶○◎●■※]\s*)+")
# A table-of-contents row: measure, ministry/department, page number (「…事業 総務省…推進室 106」).
_CONTENTS_ROW = re.compile(r"(?:省|庁|室|局|課|府)\S*\s+\d{1,3}\s*$", re.M)  # any line of the unit
# (a page asked for, not 「施策集の…のページでは」 saying where the asker read something)
_ASKS_DEPARTMENT = re.compile(r"担当|部署|府省|省庁|どこ|(?:何|どの|掲載)ページ|ページ(?:は|を|数|番号)|所管")
CONTENTS_PENALTY = 4.0


@dataclass(frozen=True)
class Unit:
    """A quotable piece of a passage: a line, a table cell, or a sentence of a long line.

    `context` is what the piece means in its place: the nearest heading above it and, for a table cell, its
    column header and row label. It helps choose the piece but is never quoted.
    """

    passage: Passage
    start: int
    end: int
    context: str = ""
    is_heading: bool = False
    label: str = ""  # for a table cell: its row label and column header, shown before the quoted cell

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


@dataclass(frozen=True)
class Draft:
    text: str
    citations: tuple[Citation, ...]
    relevance: float  # 0..1 share of the question's search weight found in the chosen lines and their context
    best_score: float = 0.0  # the unit ranker's score of the key line (a probability with a learned ranker)


def _cells(line: str) -> list[tuple[int, int]]:
    """Spans of the cells of a table row (TAB or ' | ' separated), empty cells kept for column alignment."""
    separators = list(re.finditer(r"\t|\s\|\s", line))
    spans, pos = [], 0
    for match in separators:
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(line)))
    return spans


@dataclass(frozen=True)
class Features:
    """What scoring needs of a unit, computed once per chunk (units are a pure function of the chunk)."""

    tokens: frozenset[str]
    context_tokens: frozenset[str]
    key: str  # normalised text
    place: str  # normalised context + text, no spaces (quantity phrases)
    where: str  # normalised section + context + text (programme names)
    grant_type: str | None
    prev_tokens: frozenset[str] = frozenset()  # the non-empty line above the unit
    next_tokens: frozenset[str] = frozenset()  # the non-empty line below it


@lru_cache(maxsize=512)
def _chunk_units(chunk: Chunk) -> tuple[tuple[Unit, Features], ...]:
    template = Passage(chunk=chunk, score=0.0, rank=0)
    header_tokens = _unit_tokens(chunk.section)
    out = []
    for u in _split_units(template):
        features = Features(
            tokens=_unit_tokens(u.text),
            context_tokens=_unit_tokens(u.context) | header_tokens,
            key=normalise_key(u.text),
            place=normalise_key(f"{u.context} {u.text}").replace(" ", ""),
            where=normalise_key(f"{chunk.section} {u.context} {u.text}"),
            grant_type=grant_type_of(f"{u.context} {u.label} {u.text}"),
            prev_tokens=_unit_tokens(_line_above(chunk.text, u.start)),
            next_tokens=_unit_tokens(_line_below(chunk.text, u.end)),
        )
        out.append((u, features))
    return tuple(out)


def _line_above(text: str, start: int) -> str:
    lines = text[: text.rfind("\n", 0, start) + 1].rstrip("\n").split("\n")
    return next((ln for ln in reversed(lines) if ln.strip()), "")


def _line_below(text: str, end: int) -> str:
    nl = text.find("\n", end)
    return next((ln for ln in text[nl + 1 :].split("\n") if ln.strip()), "") if nl >= 0 else ""


def passage_units(passage: Passage) -> list[tuple[Unit, Features]]:
    """The passage's units with their features; cached by chunk, re-bound to this retrieval's passage."""
    return [
        (Unit(passage, u.start, u.end, u.context, u.is_heading, u.label), f) for u, f in _chunk_units(passage.chunk)
    ]


def _split_units(passage: Passage) -> list[Unit]:
    from ingest.sections import classify

    units: list[Unit] = []
    text = passage.text
    heading = ""
    table: list[list[str]] = []  # rows of the current table block, as cell texts
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            table = []
            continue
        if line.lstrip().startswith("：") and units:
            last = units[-1]
            units[-1] = Unit(passage, last.start, end, last.context)  # 「対象経費：…」 list continues
            continue
        cells = _cells(line) if ("\t" in line or " | " in line) else []
        if classify(line) and len(cells) < 3:
            heading = line.strip()
            units.append(Unit(passage, start, end, "", is_heading=True))
            table = []
            continue
        if len([c for c in cells if line[c[0]:c[1]].strip()]) >= 2:
            texts = [line[a:b].strip() for a, b in cells]
            if not table and (not texts[0] or len(texts) >= 3):
                # Column labels (「20人未満 | 20人以上50人未満 | 50人以上」): context for the rows below, not facts.
                table.append(texts)
                units.append(Unit(passage, start, end, heading, is_heading=True))
                continue
            header = table[0] if table and len(table[0]) >= len(texts) else None
            if not table:
                table.append([])  # a key/value table: its first row is data, not a header
            row_label = next((t for t in texts if t), "")
            # The whole row, when it is short enough; its column header says what its cells are.
            units.append(Unit(passage, start, end, " ".join([heading, *(header or [])]).strip()))
            for col, (a, b) in enumerate(cells):
                if not line[a:b].strip() or (col == 0 and b - a <= 30):
                    continue  # empty, or the row's label: context for its cells, not an answer
                column = header[col] if header is not None and col < len(header) else ""
                label = row_label if line[a:b].strip() != row_label else ""
                context = " ".join(x for x in (heading, column, label) if x)
                # Shown before the quoted cell only when short enough to read as a label.
                shown = " ".join(x for x in (label, column) if x and len(x) <= MAX_LABEL)
                units.extend(
                    Unit(u.passage, u.start, u.end, u.context, label=shown)
                    for u in _sentences(passage, start + a, start + b, context)
                )
            continue
        units.extend(_sentences(passage, start, end, heading))
    headings = {u.start for u in units if u.is_heading}
    units.extend(_pairs(passage, {u.start: u.context for u in units}, headings))
    units.extend(_titled_lists(passage, units, headings))
    return [_trim(u) for u in units if u.text.strip() and (u.end - u.start <= 2 * UNIT_SPLIT_CHARS or u.is_heading)]


PAIR_LINE_CHARS = 60


def _pairs(passage: Passage, heading_of: dict[int, str], headings: set[int]) -> list[Unit]:
    """Two (or three very short) neighbouring lines as one unit: PDF layouts put a label and its value on separate lines
    (「実施計画提出締切」 after 「1月25日（水） 15時」, 「令和３年度当初一般会計」 before 「10百万円」)."""
    spans, pos = [], 0
    for line in passage.text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    out = []
    for (a0, a1), (b0, b1) in zip(spans, spans[1:], strict=False):
        gap = passage.text[a1:b0]
        short = a1 - a0 <= PAIR_LINE_CHARS and b1 - b0 <= PAIR_LINE_CHARS
        if short and gap.count("\n") <= 2 and "\t" not in passage.text[a0:b1] and not {a0, b0} & headings:
            out.append(Unit(passage, a0, b1, heading_of.get(a0, "")))
    # A label over two lines of value (「予算額」 / 「令和３年度当初一般会計」 / 「７1百万円」) as one unit too.
    for (a0, a1), (b0, b1), (c0, c1) in zip(spans, spans[1:], spans[2:], strict=False):
        short = max(a1 - a0, b1 - b0, c1 - c0) <= PAIR_LINE_CHARS // 2
        near = passage.text[a1:b0].count("\n") <= 2 and passage.text[b1:c0].count("\n") <= 2
        # Label first (no figure), value last (a figure): 「事前相談締切 / 1月23日 / 実施計画提出受付開始」 is the
        # end of one item and the start of the next, not a unit.
        label_then_value = not re.search(r"\d", nfkc_keep_circled(passage.text[a0:a1])) and re.search(
            r"\d", nfkc_keep_circled(passage.text[c0:c1])
        )
        if short and near and label_then_value and "\t" not in passage.text[a0:c1] and not {a0, b0, c0} & headings:
            out.append(Unit(passage, a0, c1, heading_of.get(a0, "")))
    return out


def _titled_lists(passage: Passage, units: list[Unit], headings: set[int]) -> list[Unit]:
    """A 「：」 list together with the short line that titles it (「…に係る特別交付税措置」 / 「対象経費：…」
    「：…」「：…」): the title says what the list is, the list says what it contains."""
    text = passage.text
    out = []
    for unit in units:
        if "\n：" not in text[unit.start : unit.end]:
            continue
        before = text[: unit.start].rstrip("\n")
        title_start = before.rfind("\n") + 1
        title = before[title_start:]
        gap = text[len(before) : unit.start]
        if title.strip() and len(title) <= PAIR_LINE_CHARS and gap.count("\n") <= 2 and title_start not in headings:
            out.append(Unit(passage, title_start, _with_notes(text, unit.end), unit.context))
    return out


def _with_notes(text: str, end: int) -> int:
    """The end of a block extended over the 「※」 notes right after it (「※ 対象経費の上限額：１団体当たり1,000万円」
    belongs to the list above it, whose title names what it is about)."""
    while True:
        m = re.match(r"\n{1,3}(※[^\n]*)", text[end:])
        if m is None:
            return end
        end += m.end()


def _sentences(passage: Passage, start: int, end: int, context: str) -> list[Unit]:
    """A short span as one unit; a long one cut after each 「。」."""
    if end - start <= UNIT_SPLIT_CHARS:
        return [Unit(passage, start, end, context)]
    out, piece_start = [], start
    span = passage.text[start:end]
    for match in re.finditer(r"。|(?<=\s)(?=[➤※・▶✓])", span):
        before = span[: match.start()]
        if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
            continue  # 「（…を除く。）ではないこと。」: a full stop inside brackets does not end the sentence
        piece_end = start + match.end()
        if piece_end - piece_start >= 8:
            out.append(Unit(passage, piece_start, piece_end, context))
            piece_start = piece_end
    if passage.text[piece_start:end].strip():
        out.append(Unit(passage, piece_start, end, context))
    return out


def _trim(unit: Unit) -> Unit:
    text = unit.text
    lead = len(text) - len(text.lstrip())
    bullet = _BULLET.match(text.strip())
    lead += bullet.end() if bullet else 0
    trail = len(text) - len(text.rstrip())
    return Unit(unit.passage, unit.start + lead, max(unit.start + lead, unit.end - trail), unit.context, unit.is_heading,
                unit.label)


@lru_cache(maxsize=4096)
def _unit_tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


# Tokens that say nothing about the topic (する, いる, どの, 良い …), left out of every overlap.
_FILLER = {"為る", "居る", "有る", "成る", "出来る", "どの", "良い", "時", "こと", "物", "よう", "様", "場合", "どう",
           "くらい", "位", "何", "いつ", "いくら", "幾ら", "此の", "其の", "占める", "ため", "為", "もの", "どのような",
           "どんな", "どこ", "必要", "用", "市", "町", "村", *(
               # how officers ask, not what they ask about: interrogatives and the verbs of a polite request
               "どれ", "どちら", "どういう", "幾つ", "如何", "教える", "貰う", "頂く", "呉れる", "下さる", "聞く", "思う",
               "分かる", "知る")}
# A joined pair (the tokenizer adds bigrams) that starts or ends with a filler word of two characters or more is
# filler too (最大幾ら, どんな人材, 申請出来る, 出来る場合); and with 何 (何社, 何点)
_FILLER_AFFIXES = tuple(sorted({w for w in _FILLER if len(w) >= 2} | {"何"}))
CONTEXT_WEIGHT = 0.7  # a line's heading / column / row label, relative to its own words
TYPE_BONUS, TYPE_MISS = 4.0, 2.0
AVERAGE_UNIT_CHARS = 60
TOPIC_BONUS = 5.0
# A further line is quoted when it scores at least this share of the best line; a line holding the asked-for
# kind of fact replaces a weaker one at this share.
SUPPORT_SHARE = 0.75
# Below this length an answer takes further lines down to SHORT_SHARE of the key line's score (measured on every
# labelled set: +10 −4, answers' median 191 → 209 characters)
SHORT_ANSWER_CHARS = 150
SHORT_SHARE = 0.5
CASE_SHARE = 0.4  # a further line of the case study the question names (see `case_block`)
HOLDER_SHARE = 0.6
MAX_LABEL = 24  # for follow-ups: lines under the earlier turn's topic


def term_weights(tokens: list[str], idf: Callable[[str], float] | None = None) -> dict[str, float]:
    # Compounds (bigrams, longer keys) say more than single characters like 「費」「人」; rare words more
    # than common ones (idf scaled so a word in a third of the chunks weighs about 1).
    return {
        t: (1.6 if len(t) >= 3 else 1.0 if len(t) == 2 else 0.4) * (min(idf(t), 4.0) / 1.2 if idf else 1.0)
        for t in tokens
        if t not in _FILLER and not any(t.startswith(f) or t.endswith(f) for f in _FILLER_AFFIXES)
    }


def expected_type(question: str) -> tuple[str, re.Pattern[str]] | None:
    """The kind of fact asked for and what it looks like; 「補助率と上限額は？」 asks two ('rate+money'), and a
    line stating either kind states what was asked."""
    key = normalise_key(question)
    kinds = tuple(i for i, (_, asks, _) in enumerate(_ANSWER_TYPES) if asks.search(key))
    return _combined_type(kinds) if kinds else None


@lru_cache(maxsize=64)
def _combined_type(kinds: tuple[int, ...]) -> tuple[str, re.Pattern[str]]:
    if len(kinds) == 1:
        name, _, looks_like = _ANSWER_TYPES[kinds[0]]
        return name, looks_like
    name = "+".join(_ANSWER_TYPES[i][0] for i in kinds)
    return name, re.compile("|".join(f"(?:{_ANSWER_TYPES[i][2].pattern})" for i in kinds))


def _has_fact(pattern: re.Pattern[str], unit_key: str, asked: str) -> bool:
    """The unit states a fact of the asked-for kind that is not just the question's own number echoed."""
    return any(m.group(0) not in asked for m in pattern.finditer(unit_key))


def programme_names(question: str) -> list[str]:
    # 「⑤事業」 is written 「⑤進出企業定着…」 in the documents: the circled number is the name.
    names = []
    for match in _PROGRAMME_NAME.finditer(question):
        name = match.group(0)
        name = name[0] if name[0] in "①②③④⑤" else _PARTICLE_SPLIT.split(_CLAUSE_END.split(name)[-1])[-1]
        # a clause before the name (a topic marked with って, a demonstrative, the asker's 「うちは」) is not part of it
        name = _CLAUSE_WORDS.split(name)[-1]
        names.append(_known_tail(_MINISTRY.sub("", _LEADING_PARTICLES.sub("", name))))
    return [
        n for n in names
        if n not in _GENERIC_PROGRAMME_WORDS and not n.startswith(("この", "その")) and (len(n) > 3 or n in "①②③④⑤")
        and not re.search(r"どの|どんな|どう|いかなる|何", n)  # 「…はどの交付金を」「どういう位置づけの交付金」 name none
    ]


_TYPE_NAMES = ("高水準タイプ", "標準タイプ")
_SETTING_UP = re.compile(r"\s*(?:を|として)\s*(?:(?:町|市|村|県|うち)(?:で|が|として)?|独自に|新たに)?\s*"
                         r"(?:出し|出す|支給|交付し|作り|作る|設け|創設|新設|始め|用意|やる|やり|行う|行い|実施|企画|立ち上げ)")


def proposed_by_asker(question: str, name: str) -> bool:
    """「引っ越し支援金を出したい」「…推進事業をやる予定」: a name the asker gives a measure of their own, which the documents
    need not describe (whether the grant can fund it is what is asked)."""
    return any(_SETTING_UP.match(question, m.end()) for m in re.finditer(re.escape(name), question))


def _known_tail(name: str) -> str:
    """A known name (a programme's listed name, an adoption type) ending the phrase after a word in kana is the
    name, the kana word before it is not part of it: 「それとデジ田交付金」 names デジ田交付金, 「良ければ標準タイプ」
    names 標準タイプ, 「同じく進出支援金」 names 進出支援金 (an element's name is known too). A name not known stays whole
    (「ものづくり補助金」)."""
    for known in (*known_programme_names(), *_TYPE_NAMES, *element_names()):
        head = name[: len(name) - len(known)]
        if len(head) and name.endswith(known) and re.search(r"[ぁ-ん]$", head):
            return known
    return name


def is_vague(question: str) -> bool:
    """「上限は？」: nothing but a generic word, so any answer would be a guess about what was meant."""
    content = [t for t in tokenize(question) if len(t) >= 1]
    unigrams = {t for t in content if t in _VAGUE_WORDS or len(t) <= 1}
    return bool(content) and set(content) <= unigrams | {a + b for a in unigrams for b in unigrams}


@dataclass(frozen=True)
class QuestionSignals:
    """What the unit features need of the question (and of the topic carried from history), computed once."""

    current: dict[str, float]  # the question's own search weights
    weights: dict[str, float]  # those plus the carried topic's at half weight
    topic: dict[str, float]  # the carried topic's weights (follow-ups), else empty
    wanted: tuple[str, re.Pattern[str]] | None  # the kind of fact asked for
    asked: str  # the question's search key
    asks_list: bool
    asks_department: bool
    defines: re.Pattern[str] | None
    asked_type: str | None  # the grant type asked about
    names: list[str]  # programmes named (normalised)
    other_measures: list[str]  # the documents' other measures (normalised)
    phrases: list[tuple[str, str, str]]  # quantity phrases of the question and topic
    # cosine(question, unit in context) by unit key (`LoadedIndex.similarity`), None without unit vectors
    similarity: Callable[[str, int, int], float] | None = None


def question_signals(
    question: str,
    carried: str,
    use_synonyms: bool = True,
    idf: Callable[[str], float] | None = None,
    measures: frozenset[str] = frozenset(),
    similarity: Callable[[str, int, int], float] | None = None,
) -> QuestionSignals:
    current = term_weights(query_tokens(question, use_synonyms), idf)
    context = {t: w * 0.5 for t, w in term_weights(query_tokens(carried, False), idf).items()} if carried else {}
    # An elliptical follow-up (「標準タイプだと？」) asks for the same kind of fact as before; one that asks its own
    # question (「返してもらう必要はありますか？」) does not.
    elliptical = carried and not INTERROGATIVE.search(question) and (
        not _OWN_PREDICATE.search(question) or _COMPARES.search(question)  # 「20人未満でも同じですか？」
    )
    asked = normalise_key(question)
    names = [normalise_key(n) for n in programme_names(question) or programme_names(carried)]
    return QuestionSignals(
        current=current,
        weights={**context, **current},
        topic=term_weights(query_tokens(carried, False), idf) if carried else {},
        wanted=expected_type(question) or (expected_type(carried) if elliptical else None),
        asked=asked,
        asks_list=bool(_LIST_ASK.search(question)),
        # 「その担当のメールアドレスは？」 asks for an address; 「担当」 there only points back at the topic.
        asks_department=bool(_ASKS_DEPARTMENT.search(question)) and not _CONTACT_ASK.search(asked),
        defines=_defining(question),
        asked_type=grant_type_of(question) or (grant_type_of(carried) if carried and not grant_type_of(question) else None),
        names=names,
        other_measures=[m for m in (normalise_key(x) for x in measures) if names and not any(n in m or m in n for n in names)],
        phrases=_QUANTITY.findall(asked) + _QUANTITY.findall(normalise_key(carried)),
        similarity=similarity,
    )


def _share(weights: dict[str, float], total: float, tokens: frozenset[str]) -> float:
    if len(tokens) < len(weights):
        return sum(weights[t] for t in sorted(tokens.intersection(weights))) / total
    return sum(w for t, w in sorted(weights.items()) if t in tokens) / total


def unit_features(signals: QuestionSignals, passages: list[Passage]) -> list[tuple[Unit, list[float]]]:
    """Every unit of the passages with its feature vector, in `unit_ranker.FEATURE_NAMES` order."""
    weights, current = signals.weights, signals.current
    wanted, asked = signals.wanted, signals.asked
    topic_total = sum(signals.topic.values()) or 1.0
    current_total = sum(current.values()) or 1.0
    out: list[tuple[Unit, list[float]]] = []
    similarity = signals.similarity
    for passage in passages:
        length_of_passage = max(1, len(passage.text))
        for unit, features in passage_units(passage):
            tokens, context_tokens = features.tokens, features.context_tokens
            overlap = sum(w for t, w in weights.items() if t in tokens)
            overlap += CONTEXT_WEIGHT * sum(w for t, w in weights.items() if t in context_tokens and t not in tokens)
            enumerates = signals.asks_list and bool(_ENUMERATION.search(unit.text))
            if not enumerates:
                # BM25-style length normalisation (b = 0.5): a long row must not win by sheer size.
                overlap /= 0.5 + 0.5 * max(1.0, len(unit.text) / AVERAGE_UNIT_CHARS)
            # A follow-up is about the earlier topic: lines under that topic come first.
            topic_share = _share(signals.topic, topic_total, tokens | context_tokens) if signals.topic else 0.0
            unit_key = features.key
            # A fact of the asked-for kind counts only if it is not just the question's own number echoed back.
            kind_hit = bool(wanted) and _has_fact(wanted[1], unit_key, asked)  # type: ignore[index]
            kind_miss = bool(wanted) and not kind_hit
            # 「50人以上」 asked: a line saying exactly that beats one saying 「20人以上50人未満」.
            hits = conflicts = 0
            for number, unit_word, comparator in signals.phrases:
                if f"{number}{unit_word}{comparator}" in features.place:
                    hits += 1
                elif comparator and f"{number}{unit_word}" in features.place:
                    conflicts += 1
            names_present = bool(signals.names) and all(n in features.where for n in signals.names)
            # also about another measure (a contents row, a neighbouring page): ambiguous
            other_measure = bool(signals.names) and any(m in unit_key for m in signals.other_measures)
            # 「東京圏とは？」: the line that says 「東京圏は、東京都、…」 defines it
            defines = bool(signals.defines and signals.defines.search(unit_key))
            heading_or_short = unit.is_heading or (len(unit.text) < 6 and not unit.label)
            # a contents row names the measure, answers nothing but where it is described
            contents_row = not signals.asks_department and bool(_CONTENTS_ROW.search(unit.text))
            # 「標準タイプ」 asked: a line under 「高水準タイプ …」 answers the other type; a line giving both
            # types' values (「高水準タイプ：2,250万円、標準タイプ：1,500万円」) answers it too.
            same = other = both = False
            if signals.asked_type:
                if features.grant_type:
                    same = features.grant_type == signals.asked_type
                    other = not same
                else:
                    both = signals.asked_type in unit_key
            out.append((unit, [
                overlap, passage.score, topic_share, float(kind_hit), float(kind_miss), float(hits), float(conflicts),
                float(names_present), float(other_measure), float(enumerates), float(defines), float(heading_or_short),
                float(contents_row), float(same), float(other), float(both),
                1.0 / max(1, passage.rank),
                unit.start / length_of_passage,
                math.log1p(len(unit.text)),
                _share(current, current_total, tokens),
                _share(current, current_total, context_tokens - tokens),
                float(bool(re.search(r"\d", unit_key))),
                float(bool(unit.label)),
                _share(current, current_total, features.prev_tokens),
                _share(current, current_total, features.next_tokens),
                similarity(passage.chunk.chunk_id, unit.start, unit.end) if similarity else 0.0,
                0.0,  # meaning_margin, set below once every unit's meaning is known
            ]))
    if similarity and out:
        best = max(v[-2] for _, v in out)
        for _, v in out:
            v[-1] = v[-2] - best
    return out


def draft_answer(
    question: str,
    carried: str,
    passages: list[Passage],
    use_synonyms: bool = True,
    idf: Callable[[str], float] | None = None,
    measures: frozenset[str] = frozenset(),
    max_units: int = MAX_UNITS,
    similarity: Callable[[str, int, int], float] | None = None,
    entities: Entities | None = None,
) -> Draft | None:
    """Choose up to `max_units` lines that answer `question`; None when nothing relevant enough is found.

    `idf` (from the keyword index) lets rare words (都道府県) outweigh ones found everywhere (サテライトオフィス).
    `measures` are the names of the documents' measures (their 施策名): a line naming another measure than the
    one asked about (a table-of-contents row, a neighbouring page) is about something else. `entities` (the
    documents' case-study towns and facilities; read from the passages when not given) tell which case study the
    question, or else the conversation's latest turn, names.
    """
    if not passages:
        return None
    signals = question_signals(question, carried, use_synonyms, idf, measures, similarity)
    rows = unit_features(signals, passages)
    if any(not u.is_heading for u, _ in rows):
        rows = [(u, v) for u, v in rows if not u.is_heading]  # a title or a column header states no fact
    if entities is None:
        entities = Entities.from_chunks(measures, (p.chunk for p in passages))
    # the town this turn names, else the one the conversation named last (「郡上のほうは？」 after another town)
    places = entities.named_in(question) or entities.last_named(carried)
    # each passage's case spans read once, not once per unit
    case_spans = {p.chunk_id: entities.case_spans(places, p.chunk) for p in passages}
    named_case_rows = [(u, v) for u, v in rows
                       if any(a <= u.start < b for a, b in case_spans.get(u.passage.chunk_id, ()))]
    if named_case_rows:
        rows = named_case_rows  # a question naming a case study is answered from that case, not from the rule or another town
    # scored together: a learned ranker weighs each unit against the question's other candidates
    scored = list(zip(unit_ranker.current().scores([v for _, v in rows]), [u for u, _ in rows], strict=True))
    if not scored:
        return None
    current, wanted, asked, asks_department = signals.current, signals.wanted, signals.asked, signals.asks_department
    scored.sort(key=lambda s: (-s[0], s[1].passage.rank, s[1].start))
    best_score, best = scored[0]

    best = _with_announced_list(best)
    chosen = [best]
    # 「いくら」 answered by the best line: a further line without an amount only dilutes it.
    dilutes: re.Pattern[str] | None = None
    if wanted is not None and "+" not in wanted[0] and _has_fact(wanted[1], normalise_key(best.text), asked):
        dilutes = wanted[1]
    covered = _unit_tokens(best.text)
    length = len(best.text)
    case = case_block(entities, places, best)
    for score, unit in scored[1:]:
        # (its statements, not the cells of its KPI table or its header rows)
        in_case = (case is not None and unit.passage is best.passage and case[0] <= unit.start < case[1]
                   and "\t" not in unit.text and (score >= SUPPORT_SHARE * best_score or "。" in unit.text))
        # a case study the question names: its other lines answer the question's other asks (what the place is,
        # who runs it, what it aims at), so they need only a share of the key line's score
        if len(chosen) >= max_units + (1 if case else 0):
            break
        # an answer still short of a sentence or two takes further lines at a lower share: a fact's other half (the
        # start of a period, the second condition, the list under its label) scores below its key line
        short = length < SHORT_ANSWER_CHARS
        share = min(CASE_SHARE if in_case else SUPPORT_SHARE, SHORT_SHARE if short else 1.0)
        if score < share * best_score:
            if (case is None or score < CASE_SHARE * best_score) and not (short and score >= SHORT_SHARE * best_score):
                break  # the units come by score: nothing further reaches either share
            continue  # below the usual share, only the named case's statements are taken
        tokens = _unit_tokens(unit.text)
        new_terms = [t for t in current if t in tokens and t not in covered and len(t) >= 2]
        overlaps = any(u.passage is unit.passage and u.start < unit.end and unit.start < u.end for u in chosen)
        if not new_terms or overlaps or unit.is_heading or length + len(unit.text) > MAX_ANSWER_CHARS:
            continue
        if not asks_department and _CONTENTS_ROW.search(unit.text):
            continue
        if dilutes is not None and not _has_fact(dilutes, normalise_key(unit.text), asked):
            continue
        chosen.append(unit)
        covered |= tokens
        length += len(unit.text)
    if best.label:
        # a table cell: the same row's cells under the other columns the question names (「事業計画と取組計画の期間」
        # asks the row for both plans' columns) complete it
        text = best.passage.text
        row = (text.rfind("\n", 0, best.start) + 1, len(text) if text.find("\n", best.end) < 0 else text.find("\n", best.end))
        own_columns = _unit_tokens(best.context)
        for _, unit in scored[1:]:
            if (unit.passage is not best.passage or not unit.label or not (row[0] <= unit.start and unit.end <= row[1])
                    or any(u.passage is unit.passage and u.start < unit.end and unit.start < u.end for u in chosen)
                    or length + len(unit.text) > MAX_ANSWER_CHARS):
                continue
            named = [t for t in _unit_tokens(unit.context) - own_columns if len(t) >= 2 and t in current]
            if named:
                chosen.append(unit)
                length += len(unit.text)
    if wanted and not any(_has_fact(wanted[1], normalise_key(u.text), asked) for u in chosen):
        # The best lines name the right thing but not the fact asked for (a department without its phone):
        # add the best line that states it, if it is nearly as good.
        holder = next((u for sc, u in scored if sc >= HOLDER_SHARE * best_score and not u.is_heading
                       and _has_fact(wanted[1], normalise_key(u.text), asked)), None)
        if holder is not None and holder not in chosen:
            # A line it overlaps (the title it extends) gives way to it rather than being quoted twice.
            kept = [u for u in chosen if not (u.passage is holder.passage and u.start < holder.end and holder.start < u.end)]
            chosen = [*kept, holder] if kept else [holder]
            if best not in chosen:
                best = holder
    plain = term_weights(query_tokens(question, use_synonyms))  # relevance: no idf, paraphrases must not sink it
    plain.update({t: w * 0.5 for t, w in term_weights(query_tokens(carried, False)).items() if t not in plain} if carried else {})
    seen_in_chosen: set[str] = set().union(*(_unit_tokens(u.text) | _unit_tokens(u.context) | _unit_tokens(u.passage.chunk.section) for u in chosen))
    found = sum(w for t, w in plain.items() if t in seen_in_chosen)
    possible = sum(plain.values()) or 1.0
    if wanted:
        # Holding the very kind of fact asked for (an address for メール?) is evidence of its own.
        bonus = 0.5 * possible
        possible += bonus
        found += bonus if any(_has_fact(wanted[1], normalise_key(u.text), asked) for u in chosen) else 0.0
    relevance = found / possible
    # The key fact first; the lines that add to it follow in reading order.
    chosen = [best, *sorted((u for u in chosen if u is not best), key=lambda u: (u.passage.rank, u.start))]
    window = evidence_window(best, chosen, MAX_ANSWER_CHARS - sum(len(u.text) for u in chosen))
    completed = [*window.before, best, *window.after]
    for other in chosen[1:]:
        if all(_is_label(line) for line in other.text.split("\n") if line.strip()) and not re.search(r"[0-9０-９]", other.text):
            # a further line that only names (「事前相談締切」) says nothing without the value the PDF put beside it
            room = MAX_ANSWER_CHARS - sum(len(u.text) for u in [*completed, *chosen])
            beside = evidence_window(other, [*completed, *chosen], min(room, WINDOW_VALUE_CHARS))
            completed += [*beside.before, other, *beside.after]
        else:
            completed.append(other)
    chosen = completed

    citations: list[Citation] = []
    parts: list[str] = []
    for unit in chosen:
        # One citation per quoted line, so each line's marker points at exactly the words it stands on
        # (two lines of one passage get two markers, each with its own quote).
        citation = Citation(
            marker=len(citations) + 1,
            chunk_id=unit.passage.chunk_id,
            source=unit.passage.chunk.source,
            title=unit.passage.chunk.title,
            fiscal_year=unit.passage.chunk.fiscal_year,
            section=unit.passage.chunk.section,
            quote=unit.text,
            score=unit.passage.score,
        )
        citations.append(citation)
        parts.append(f"{unit.label}：{unit.text}[{citation.marker}]" if unit.label else f"{unit.text}[{citation.marker}]")
    lead = _lead(question, [best, *[u for u in chosen if u is not best]], idf)
    body = "\n".join(parts)
    return Draft(f"{lead}\n{body}" if lead else body, tuple(citations), relevance, best_score)


def case_block(entities: Entities, places: frozenset[str], best: Unit) -> tuple[int, int] | None:
    """The span of `best`'s passage that belongs to the case study of one of `places`, when `best` lies in it;
    None otherwise."""
    return next(((a, b) for a, b in entities.case_spans(places, best.passage.chunk) if a <= best.start < b), None)


@dataclass(frozen=True)
class Window:
    before: tuple[Unit, ...] = ()  # the key line's label or heading
    after: tuple[Unit, ...] = ()  # its ※ notes, the rest of its range or list


WINDOW_LABEL_CHARS = 40  # a line above this short, not a sentence (no 「。」 end), labels the line below it
WINDOW_NOTE_CHARS = 160
WINDOW_SIBLING_SLACK = 200  # a sibling sentence only when the answer stays well within its length limit
WINDOW_ITEMS = 3  # further items of a list the key line belongs to
_NOTE = re.compile(r"^\s*(?:※|[（(]※|[（(]注|注\s*[0-9０-９]?\s*[）):：])")
_ITEM_MARK = re.compile(r"^\s*([・\-•●○◦▪]|[①-⑳]|[（(]?[0-9０-９]{1,2}[)）.．]|[ア-ン][.．）)])")
_OPEN_RANGE = re.compile(r"(?:～|〜|から|より)\s*$")


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return spans


def _mark_kind(line: str) -> str | None:
    m = _ITEM_MARK.match(line)
    if m is None:
        return None
    mark = m.group(1)
    return "circled" if "①" <= mark[0] <= "⑳" else "number" if re.search(r"[0-9０-９]", mark) else mark


# A parenthesis opening the line after a quoted one elaborates it (「…企業ニーズを把握済」「（個人ブース、…）」),
# unless it opens a note, a reference or a numbered heading of its own.
_NOT_ELABORATION = re.compile(r"[（(]\s*(?:※|注|参考|例[）)]|[0-9０-９一二三四五六七八九A-ZＡ-Ｚ]+\s*[）)])")


def elaboration(chunk_text: str, line: str) -> tuple[str, str] | None:
    """(its first line, the whole) of the parenthetical that the lines after `line` open and close (at most three
    lines), when `line` leaves its sentence open (no 。 at its end)."""
    lines = [ln.strip() for ln in chunk_text.split("\n") if ln.strip()]
    at = next((i for i, ln in enumerate(lines) if line.strip() and line.strip() in ln), None)
    if at is None or lines[at].endswith(("。", "）", ")")) or at + 1 >= len(lines):
        return None
    taken = _parenthetical_run(lines[at + 1 :])
    return (lines[at + 1], "".join(lines[at + 1 : at + 1 + taken])) if taken else None


def _parenthetical_run(following: Sequence[str]) -> int | None:
    """How many of the lines `following` a line the parenthesis opening the first of them takes to close (at most
    three), when it opens an elaboration and not a note, a reference or a numbered heading."""
    if not following or not following[0].startswith(("（", "(")) or _NOT_ELABORATION.match(following[0]):
        return None
    return next((n for n, ln in enumerate(following[:3], 1) if re.search(r"[）)]", ln)), None)


_PHONE = re.compile(r"\d{2,4}[-‐－]\d{2,4}[-‐－]\d{3,4}")
_MAIL = re.compile(r"@|＠|_atmark_")


def evidence_window(best: Unit, chosen: list[Unit], room: int) -> Window:
    """What completes the key line when it is not complete alone: the short label line or heading right above
    it (「実施計画提出締切」 above 「1月25日（水） 15時」), the ※ notes right under it, the rest of a range
    (a line ending in 「～」) or of the list it is an item of. Each piece is a line of the same passage, quoted
    and cited on its own; nothing already quoted; at most `room` characters in all."""
    from ingest.sections import classify

    text = best.passage.text
    spans = _line_spans(text)
    first = next((i for i, (a, b) in enumerate(spans) if a <= best.start < b + 1), None)
    last = next((i for i, (a, b) in enumerate(spans) if a < best.end <= b + 1), None)
    if first is None or last is None:
        return Window()

    def taken(a: int, b: int) -> bool:
        return any(u.passage.chunk_id == best.passage.chunk_id and u.start < b and a < u.end for u in chosen)

    def unit(a: int, b: int) -> Unit:
        return _trim(Unit(best.passage, a, b, best.context))

    def near(a_end: int, b_start: int) -> bool:
        return text[a_end:b_start].count("\n") <= 2

    before: list[Unit] = []
    after: list[Unit] = []
    # a value with its label already (「1月23日（月）」 / 「実施計画提出受付開始」): the short line above is the item before's
    figured = [bool(re.search(r"[0-9０-９]", ln)) for ln in best.text.split("\n") if ln.strip()]
    labelled_value = len(figured) >= 2 and figured[0] and not figured[-1]
    if first > 0 and not best.label and not labelled_value:
        a, b = spans[first - 1]
        line = text[a:b]
        labels = (len(line) <= WINDOW_LABEL_CHARS and not line.rstrip().endswith("。") and "\t" not in line
                  and " | " not in line and not _BULLET.match(line) and _mark_kind(line) is None) or bool(classify(line))
        if labels and near(b, best.start) and not taken(a, b) and not _NOTE.match(line) and len(line) <= room:
            before.append(unit(a, b))
            room -= len(line)
    i = last + 1
    key_line = text[spans[last][0] : spans[last][1]]
    while i < len(spans) and len(after) < 2:  # ※ notes right under the key line
        a, b = spans[i]
        line = text[a:b]
        if not _NOTE.match(line) or len(line) > WINDOW_NOTE_CHARS or len(line) > room or not near(spans[i - 1][1], a):
            break
        if not taken(a, b):
            after.append(Unit(best.passage, a, b, best.context))  # the 「※」 kept: it says this is a note
            room -= len(line)
        i += 1
    if not after and i < len(spans) and _PHONE.search(key_line) and not _MAIL.search(key_line):
        # a contact's telephone line and its e-mail on the next line (「…室 03-…（代表）」 / 「…@…」): one contact
        a, b = spans[i]
        if _MAIL.search(text[a:b]) and near(spans[last][1], a) and len(text[a:b]) <= room and not taken(a, b):
            after.append(unit(a, b))
            room -= b - a
            i += 1
    kind = _mark_kind(text[spans[first][0] : spans[first][1]])
    if not after and (kind or _OPEN_RANGE.search(key_line)):
        items = 0
        while i < len(spans) and items < (WINDOW_ITEMS if kind else 1):
            a, b = spans[i]
            line = text[a:b]
            continues = _mark_kind(line) == kind if kind else True
            if not continues or classify(line) or len(line) > room or not near(spans[i - 1][1], a) or len(line) > 2 * UNIT_SPLIT_CHARS:
                break
            if not taken(a, b):
                after.append(unit(a, b))
                room -= len(line)
            items += 1
            i += 1
    run = (_parenthetical_run([text[a:b] for a, b in spans[i : i + 3]])
           if not after and i < len(spans) and not key_line.endswith(("。", "）", ")")) else None)
    if run:
        # 「…企業ニーズを把握済」 / 「（個人ブース、…」 / 「USB-C電源等）」: what the line goes on to list in parentheses
        for a, b in spans[i : i + run]:
            if len(text[a:b]) > room or taken(a, b):
                break
            after.append(unit(a, b))
            room -= b - a
    if not after and i < len(spans) and _unclosed(best.text):
        # 「…毎年100人超（51%が」 / 「20~40代）が移住」: the PDF broke a parenthesis across lines
        a, b = spans[i]
        if near(spans[last][1], a) and len(text[a:b]) <= min(room, WINDOW_VALUE_CHARS) and not taken(a, b):
            after.append(unit(a, b))
            room -= b - a
    if not after and i < len(spans) and all(_is_label(ln) for ln in best.text.split("\n") if ln.strip()):
        # A label whose value the PDF put on the next line (「令和２年度3次補正一般会計」 / 「10,000百万円」, a
        # heading 「第1回採択事例」 / the cases it names): the key line says nothing without the line below.
        a, b = spans[i]
        line = text[a:b]
        # a layout of values each above its label (a date, its label, the next date, the next label): the value below
        # is the next label's when a label follows it and the line above, already taken, is a value
        belongs_below = (i + 1 < len(spans) and _is_label(text[spans[i + 1][0] : spans[i + 1][1]])
                         and not re.search(r"[0-9０-９]", text[spans[i + 1][0] : spans[i + 1][1]])
                         and any(re.search(r"[0-9０-９]", u.text) for u in before))
        if (near(spans[last][1], a) and len(line) <= WINDOW_VALUE_CHARS and len(line) <= room and not taken(a, b)
                and not _NOTE.match(line) and not classify(line) and not line.rstrip().endswith(("：", ":"))
                and not belongs_below):
            after.append(unit(a, b))
    if not after and first == last and " | " in text[spans[first][0] : spans[first][1]]:
        # a table row's cell that heads a list (「④事業推進体制の形成等」 | 「・構成メンバー・体制図、 ・各メンバー概要 …」):
        # the list in the next cell is what the heading holds
        a0, b0 = spans[first]
        cells, pos = [], a0
        for cell in text[a0:b0].split(" | "):
            cells.append((pos, pos + len(cell)))
            pos += len(cell) + 3
        at = next((k for k, (a, b) in enumerate(cells) if a <= best.start < b + 1), None)
        if at is not None and at + 1 < len(cells):
            head, (a, b) = text[cells[at][0] : cells[at][1]], cells[at + 1]
            listed = text[a:b]
            if (len(head.strip()) <= WINDOW_LABEL_CHARS and not _BULLET.match(head.strip()) and _BULLET.match(listed.strip())
                    and listed.strip().startswith(("・", "•")) and len(listed) <= room and not taken(a, b) and best.end <= cells[at][1] + 1):
                after.append(unit(a, b))
                room -= b - a
    if not after and (spans[first][0] < best.start or best.end < spans[last][1]):
        # a sentence of a longer line (a case study's 「■ 誘致の工夫 …。…。」): the line's next sentence goes on
        # with the same subject (its previous one when the key sentence ends the line)
        a, b = spans[first][0], spans[last][1]
        siblings = [_trim(u) for u in _sentences(best.passage, a, b, best.context)]
        following = [u for u in siblings if u.start >= best.end]
        sibling = following[0] if following else next((u for u in reversed(siblings) if u.end <= best.start), None)
        fits = sibling is not None and len(sibling.text) + WINDOW_SIBLING_SLACK <= room
        if sibling is not None and fits and sibling.text.strip() and not taken(sibling.start, sibling.end):
            (after if sibling.start > best.start else before).append(sibling)
    return Window(tuple(before), tuple(after))


WINDOW_VALUE_CHARS = 80


def _unclosed(text: str) -> bool:
    """More opening than closing brackets: the sentence goes on in the next line."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _is_label(line: str) -> bool:
    """A short line that names rather than states: no sentence end, no table cells, no figure of its own
    beyond a year or a number in its name (「令和２年度3次補正」)."""
    bare = re.sub(r"(令和|平成)\s*[0-9０-９元]+\s*年度?|[0-9０-９]+\s*次|第\s*[0-9０-９]+\s*回", "", line)
    return (len(line.strip()) <= WINDOW_LABEL_CHARS and not line.rstrip().endswith("。") and "\t" not in line
            and " | " not in line and not re.search(r"[0-9０-９]", bare))


# 「以下3つの視点に留意すること。」「対象経費は以下のとおり。」: the line promises the lines that follow.
_ANNOUNCES_LIST = re.compile(r"(?:以下|次)(?:の|(\d)つの)?[^。：\n]{0,16}(?:。|：|:)\s*$")
MAX_LIST_ITEMS = 5


def _with_announced_list(unit: Unit) -> Unit:
    """A line announcing a list, extended over the list's items (its own stated count, else up to
    MAX_LIST_ITEMS lines, up to the first blank gap or heading); the unit unchanged otherwise."""
    from ingest.sections import classify

    text = unit.passage.text
    lines = text[unit.start : unit.end].split("\n")
    found = [(i, m) for i, line in enumerate(lines) if (m := _ANNOUNCES_LIST.search(line))]
    if not found or text[unit.end : unit.end + 1] != "\n":
        return unit
    announcing, m = found[-1]
    wanted = int(m.group(1)) if m.group(1) else MAX_LIST_ITEMS
    items = sum(1 for line in lines[announcing + 1 :] if line.strip())  # already in the unit (a pair of lines)
    end, pos, added = unit.end, unit.end + 1, 0
    while items < wanted and pos < len(text):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        line = text[pos:line_end]
        if not line.strip() or classify(line) or line_end - unit.start > MAX_ANSWER_CHARS:
            break
        end, pos, items, added = line_end, line_end + 1, items + 1, added + 1
    return Unit(unit.passage, unit.start, end, unit.context, label=unit.label) if added else unit


_DEFINITION_ASK = re.compile(r"^(?:そもそも)?[「『]?([^「」『』、。？?]{2,20}?)[」』]?(?:とは|というのは|の定義|って(?:何|なに|どういう|どこ|どの|具体的))")
# A quoted term asked about anywhere in the question (「X」 followed by って, とは, の定義 …).
_QUOTED_DEFINITION_ASK = re.compile(
    r"[「『]([^「」『』]{2,20})[」』]\s*(?:とは|というのは|の(?:定義|意味|範囲)|って|は(?:何|なに|どういう|どの|どこ))")


def defined_term(question: str) -> str | None:
    """X of a question asking what X is (「Xとは？」「「X」って、どの…のこと？」), else None."""
    from assistant.question_parts import asking_sentence

    m = _QUOTED_DEFINITION_ASK.search(question) or _DEFINITION_ASK.search(asking_sentence(question).strip())
    return m.group(1) if m else None


def _defining(question: str) -> re.Pattern[str] | None:
    """For 「Xとは？」: what a line defining X starts with (「（※1）東京圏は、」「X：」「Xとは、」), on search keys."""
    asked = defined_term(question)
    if asked is None:
        return None
    term = re.escape(normalise_key(asked))
    return re.compile(rf"^\W{{0,3}}(?:\(※?\d\)|※\d?)?\s*{term}\s*(?:とは|は|:|=)\s*[、,]?")


_LIST_ITEM = re.compile(r"^\s*(?:[-・•●○◦▪]|\d{1,2}[.)）]|[（(]\d{1,2}[)）])")


def _listed_under_heading(unit: Unit) -> bool:
    """Is the line an item of the list its heading introduces (「■ 対象外経費」 then 「- 職員旅費」), rather than a
    later paragraph the heading still stands above in the extracted text? Only the first kind inherits the
    heading's 「対象外」."""
    text = unit.passage.text
    line_start = text.rfind("\n", 0, unit.start) + 1
    return bool(_LIST_ITEM.match(text[line_start : unit.end]))


def _lead(question: str, chosen: list[Unit], idf: Callable[[str], float] | None = None) -> str:
    """The key fact first, for yes/no questions whose evidence says so explicitly. No lead when the question is
    itself put negatively (「対象外でしょうか」: a 「はい」 would be ambiguous) or names a condition the line does
    not share (「10億円以上」 asked, 「10億円未満」 quoted)."""
    if not _YES_NO.search(question.strip()) or INTERROGATIVE.search(question) or _NEGATIVE_ASK.search(question):
        return ""  # 「どのような経費が対象になりますか」 asks what, not whether
    best = chosen[0]  # the highest-scoring line; only its own words and heading may say 「対象外」
    if _contradicts_condition(question, best.text):
        return ""
    if _NEGATIVE.search(best.text) or (_NEGATIVE.search(best.context) and _listed_under_heading(best)):
        return "いいえ、資料上は対象外とされています。"
    if any(_CONDITIONAL.search(u.text) for u in chosen):
        return "条件を満たす場合に限り可能です。"
    if _AFFIRMATIVE.search(best.text) and _names_the_subject(question, best.text, idf):
        return "はい、資料上は対象となります（条件は下記のとおり）。"
    return ""


_NEGATIVE_ASK = re.compile(r"対象外|除外|除かれ|対象になりません|対象とならない|できない")
SPECIFIC_IDF = 1.2  # a subject word found in fewer than about a quarter of the chunks


def _contradicts_condition(question: str, line: str) -> bool:
    """「出資金が10億円以上」 asked, the line says 「10億円未満」: same figure, other side of the line."""
    asked = _QUANTITY.findall(normalise_key(question).replace(" ", ""))
    stated = _QUANTITY.findall(normalise_key(line).replace(" ", ""))
    return any(
        a_num == s_num and a_unit == s_unit and a_cmp and s_cmp and a_cmp != s_cmp
        for a_num, a_unit, a_cmp in asked
        for s_num, s_unit, s_cmp in stated
    )


def _names_the_subject(question: str, line: str, idf: Callable[[str], float] | None = None) -> bool:
    """The line is about what the question asks about (「第三セクター」), not just about the programme
    (「進出支援金の対象となる」 says nothing about whether 官公庁 are) or a word found everywhere
    (「サテライトオフィス」)."""
    programmes = programme_names(question)
    subject = [t for t in tokenize(question) if len(t) >= 3 and t not in _FILLER and not any(t in p for p in programmes)
               and (idf is None or idf(t) >= SPECIFIC_IDF)]
    key = normalise_key(line)
    return any(normalise_key(t) in key for t in subject)


def _shown_key(text: str) -> str:
    """Text as compared for being shown already: no spaces, bullets or line breaks."""
    return re.sub(r"[\s・•■✓]+", "", text)


def merge_drafts(parts: list[str], drafts: list[Draft | None]) -> Draft | None:
    """One answer from the answers to each part of a question, markers renumbered in order; a part the
    documents do not answer is said so in its place. None when no part is answered."""
    from assistant.question_parts import asking_sentence

    answered = [d for d in drafts if d is not None]
    if not answered:
        return None
    texts: list[str] = []
    citations: list[Citation] = []
    for part, draft in zip(parts, drafts, strict=True):
        if draft is None:
            # the part's own ask, not the asker's story read with it
            texts.append(f"（「{asking_sentence(part).rstrip('？?。')}」に直接答える記載は見つかりませんでした。）")
            continue
        shown = MARKER_RE.sub("", "\n".join(texts))

        def given(c: Citation, shown: str = shown) -> bool:
            # quoted already, or inside a longer quote of the same passage that the answer shows as written (a fact
            # card cites a case study's whole line but states only its summary: a later part's sentence of that line
            # is not given by it)
            return any(c.chunk_id == g.chunk_id and c.quote in g.quote for g in citations) and (
                _shown_key(c.quote)[:24] in _shown_key(shown))

        if all(given(c) for c in draft.citations):
            continue  # this part is answered by the lines already given
        # A line already quoted for an earlier part is not repeated; the part's other lines are renumbered.
        renumber: dict[int, int] = {}
        for c in draft.citations:
            if not given(c):
                renumber[c.marker] = len(citations) + 1
                citations.append(replace(c, marker=renumber[c.marker]))
        kept: list[str] = []
        start, pending = 0, ""
        for m in MARKER_RE.finditer(draft.text):  # each quoted unit ends with its marker (units may span lines)
            segment = draft.text[start : m.start()].strip("\n")
            start = m.end()
            if int(m.group(1)) not in renumber:
                continue
            marker = f"[{renumber[int(m.group(1))]}]"
            if not segment.strip():  # a line citing several passages ends with several markers: they stay on it
                if kept:
                    kept[-1] += marker
                else:
                    pending += marker
                continue
            kept.append(f"{segment}{pending}{marker}")
            pending = ""
        texts.append("\n".join(kept))
    relevance = sum(d.relevance for d in answered) / len(answered)
    best_score = sum(d.best_score for d in answered) / len(answered)
    return Draft("\n".join(texts), tuple(citations), relevance, best_score)

