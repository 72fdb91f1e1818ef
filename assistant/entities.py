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
from dataclasses import dataclass

from assistant.japanese import normalise_key

# What a town's name is written in: kanji, katakana, and hiragana other than particles (「南あわじ市」, not 「県の市」).
PLACE_CHARS = "一-龥ァ-ヶー" + "".join(chr(c) for c in range(0x3041, 0x3094) if chr(c) not in "のはがをにでともやへか")
# A prefecture's whole name (not the 「都」 of 「指定都市及び中核市」).
PREFECTURE = r"(?:北海道|東京都|京都府|大阪府|[一-龥]{2,3}県)"
# A case study names its town after the prefecture (「福岡県古賀市」「宮崎県 日向市」「兵庫県 南あわじ市」).
_CASE_PLACE = re.compile(rf"{PREFECTURE}\s*([{PLACE_CHARS}]{{1,5}}?[市町村])(?![長議民内外営有立])")
MIN_HEAD_CHARS = 6  # a name's head before 「の」 shorter than this (「地域」) names nothing on its own


def _key(text: str) -> str:
    return normalise_key(text).replace("・", "").replace(" ", "")


@dataclass(frozen=True)
class Entities:
    """Each entity's canonical name with the keys that name it."""

    keys: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def from_documents(cls, measures: Iterable[str], texts: Iterable[str]) -> Entities:
        keys: dict[str, tuple[str, ...]] = {}
        for measure in measures:
            full = _key(measure)
            head = full.split("の", 1)[0]
            keys[measure] = (full, head) if head != full and len(head) >= MIN_HEAD_CHARS else (full,)
        texts = list(texts)
        corpus = _key("\n".join(texts))
        for text in texts:
            for m in _CASE_PLACE.finditer(text):
                full = _key(m.group(1))
                stem = full[:-1]
                # 「郡上のほうは？」「駒ヶ根テレワークオフィス」: a town is also named without 市町村 when its stem is
                # long enough to be a name, or when the documents never use it for anything else (not 「京都」, which
                # 「東京都」「京都府」 hold too)
                own = len(stem) >= 3 or (len(stem) == 2 and corpus.count(stem) == corpus.count(full))
                keys.setdefault(m.group(1), (full, stem) if own else (full,))
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


def names_another(asked: frozenset[str], stated: frozenset[str]) -> bool:
    """A statement about entities none of which the question names, when the question names one: about another."""
    return bool(asked) and bool(stated) and not (asked & stated)
