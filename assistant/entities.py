"""The things the documents describe one by one: the 2021 catalogue's measures (its 施策名) and the towns of the case
studies. A question that names one of them asks about that one; an answer stated about another one (the next
measure's contact, another town's KPI) is no answer to it, however close its words are.

Names are found on search keys (NFKC, the middle dot dropped): officers write 「シェアリングエコノミー」 for
「シェアリングエコノミーの普及促進」, so a measure is also named by the part of its name before its first 「の」
when that part is distinctive on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant.japanese import measure_short_names, normalise_key

if TYPE_CHECKING:
    from assistant.types import Chunk

# What a town's name is written in: kanji, katakana, and hiragana other than particles (「南あわじ市」, not 「県の市」).
PLACE_CHARS = "一-龥ァ-ヶー" + "".join(chr(c) for c in range(0x3041, 0x3094) if chr(c) not in "のはがをにでともやへか")
# A prefecture's whole name (not the 「都」 of 「指定都市及び中核市」).
PREFECTURE = r"(?:北海道|東京都|京都府|大阪府|[一-龥]{2,3}県)"
# A case study names its town after the prefecture on its first line (「福岡県古賀市」「宮崎県 日向市 <…>」
# 「（長野県駒ヶ根市）」, 「兵庫県 南あわじ市」): the next such line ends it.
CASE_HEAD = re.compile(rf"{PREFECTURE}\s*([{PLACE_CHARS}]{{1,5}}?[市町村])(?![長議民内外営有立])")
MIN_HEAD_CHARS = 6  # a name's head before 「の」 shorter than this (「地域」) names nothing on its own


def _key(text: str) -> str:
    return normalise_key(text).replace("・", "").replace(" ", "")


# A case study names its facility before the place in brackets, on the place's line or the line above it
# (「HUB GUJO（岐阜県郡上市）」, 「駒ヶ根テレワークオフィス「Koto」」 then 「（長野県駒ヶ根市）」); it is named
# with or without its 「」-quoted part, and that part and its Latin-letter part name it on their own.
_FACILITY_BEFORE_PLACE = re.compile(r"([^\n\t（(]{3,40}?)\s*[（(]\s*$")
_QUOTED_NAME = re.compile(r"「([^」]{3,20})」")
_LATIN_NAME = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ ]{2,}")
MIN_FACILITY_KEY_CHARS = 4


def _facility_keys(text: str, place_start: int) -> tuple[str, ...]:
    """The keys of the facility a case study names before its place (none when the place stands alone)."""
    line_start = text.rfind("\n", 0, place_start) + 1
    before = text[line_start:place_start]
    if not before.strip(" 　（("):  # the place opens its line: the facility is on the line above
        above_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        before = text[above_start:max(line_start - 1, above_start)] + "（" if before.strip() else ""
    found = _FACILITY_BEFORE_PLACE.search(before)
    if not found:
        return ()
    name = found.group(1).strip()
    parts = [name, _QUOTED_NAME.sub("", name), *_QUOTED_NAME.findall(name),
             *(m.group(0) for m in _LATIN_NAME.finditer(name))]
    return tuple(k for k in dict.fromkeys(_key(p) for p in parts) if len(k) >= MIN_FACILITY_KEY_CHARS)


@dataclass(frozen=True)
class CaseStudy:
    """Where one case study stands in its document: from the line naming its town after the prefecture to the next
    case's first line, or to the end of the part of the document (its top section) it opens in."""

    source: str
    start: int
    end: int
    town: str


@dataclass(frozen=True)
class Entities:
    """Each entity's canonical name with the keys that name it, and where the case studies stand."""

    keys: tuple[tuple[str, tuple[str, ...]], ...]
    cases: tuple[CaseStudy, ...] = ()

    @classmethod
    def from_chunks(cls, measures: Iterable[str], chunks: Iterable[Chunk]) -> Entities:
        """Names read from each document's whole text (rebuilt from its chunks' offsets), so that a case study that
        runs over a chunk's end is still one case."""
        by_source: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            by_source.setdefault(chunk.source, []).append(chunk)
        texts, cases = [], []
        for source, parts in by_source.items():
            parts.sort(key=lambda c: c.start)
            chars = [" "] * max(c.end for c in parts)
            for c in parts:
                chars[c.start : c.end] = c.text
            text = "".join(chars)
            texts.append(text)
            # a case ends at the next one, or where the part of the document it opens in ends
            part_end = {c.start: max(x.end for x in parts if _top(x.section) == _top(c.section)) for c in parts}
            heads = [(text.rfind("\n", 0, m.start()) + 1, m.group(1)) for m in CASE_HEAD.finditer(text)]
            for i, (start, town) in enumerate(heads):
                opening = max((c for c in parts if c.start <= start), key=lambda c: c.start, default=parts[0])
                # (a line naming two towns opens a case of each)
                following = next((s for s, _ in heads[i + 1 :] if s > start), len(text))
                end = min(following, part_end[opening.start])
                cases.append(CaseStudy(source, start, end, town))
        return replace(cls.from_documents(measures, texts), cases=tuple(cases))

    def case_spans(self, places: frozenset[str], chunk: Chunk) -> list[tuple[int, int]]:
        """The spans of `chunk`'s text (offsets within it) that belong to a case study of one of `places`."""
        return [(max(case.start, chunk.start) - chunk.start, min(case.end, chunk.end) - chunk.start)
                for case in self.cases
                if case.source == chunk.source and case.start < chunk.end and chunk.start < case.end
                and case.town in places]

    @classmethod
    def from_documents(cls, measures: Iterable[str], texts: Iterable[str]) -> Entities:
        keys: dict[str, tuple[str, ...]] = {}
        short_names = measure_short_names()
        texts = list(texts)
        for measure in measures:
            full = _key(measure)
            head = full.split("の", 1)[0]
            named = (full, head) if head != full and len(head) >= MIN_HEAD_CHARS else (full,)
            # and by the short names officers use for it (「情報銀行」 for 情報信託機能活用促進事業), and by the subtitle
            # its sheet prints in brackets under its name, which says what it does in plain words
            subtitles = [_key(m.group(1)) for text in texts for m in re.finditer(
                rf"{re.escape(measure)}\s*\n\s*[（(]([^）)\n]{{{MIN_HEAD_CHARS},40}})[）)]", text)]
            keys[measure] = tuple(dict.fromkeys([*named, *(_key(s) for s in short_names.get(measure, ())), *subtitles]))
        corpus = _key("\n".join(texts))
        for text in texts:
            for m in CASE_HEAD.finditer(text):
                full = _key(m.group(1))
                stem = full[:-1]
                # 「郡上のほうは？」「駒ヶ根テレワークオフィス」: a town is also named without 市町村 when its stem is
                # long enough to be a name, or when the documents never use it for anything else (not 「京都」, which
                # 「東京都」「京都府」 hold too)
                own = len(stem) >= 3 or (len(stem) == 2 and corpus.count(stem) == corpus.count(full))
                names = (full, stem) if own else (full,)
                keys[m.group(1)] = tuple(dict.fromkeys([*keys.get(m.group(1), ()), *names,
                                                        *_facility_keys(text, m.start())]))
        return cls(tuple(sorted(keys.items())))

    def named_in(self, text: str) -> frozenset[str]:
        """The entities `text` names."""
        key = _key(text)
        return frozenset(name for name, names in self.keys if any(k in key for k in names))

    def last_named(self, text: str) -> frozenset[str]:
        """The entity named last in `text` (a conversation's latest topic: 「Kotoは？」 then 「郡上のほうは？」)."""
        key = _key(text)
        found = [(key.rfind(k), name) for name, names in self.keys for k in names if k in key]
        return frozenset({max(found)[1]}) if found else frozenset()


def _top(section: str) -> str:
    return section.split(" > ")[0]


def names_another(asked: frozenset[str], stated: frozenset[str]) -> bool:
    """A statement about entities none of which the question names, when the question names one: about another."""
    return bool(asked) and bool(stated) and not (asked & stated)
