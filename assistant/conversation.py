"""Follow-up questions: carry the topic of earlier turns into a short or referring question.

「標準タイプだとどうなりますか？」 after 「高水準タイプの補助率を教えてください。」 is searched as
「高水準タイプの補助率… 標準タイプだと…」 with the contrasted value (高水準タイプ) removed, so the search
keys say 標準タイプ + 補助率. Only user turns are used: the assistant's own earlier answers are quotes of
passages and would pull the search back to the previous answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.programme_parts import NAMES_FACILITIES, NAMES_FIFTH
from assistant.types import Turn

# A follow-up refers back (それ/その/この…), continues (では/なら/だと…), or is too short to stand alone.
# (a pointing word inside a longer turn, 「…検討中なので、その施策の担当も」, points back as well; 「この」
# inside a turn mostly points at the turn's own words)
_REFERRING = re.compile(r"^(?:それ|その|この|あの|そこ|では|じゃあ|なら|また|ちなみに|他に|ほかに|あと|同じ)|(?:だと|なら|の場合は|はどう|も\S{0,6}ますか|でも)"
                        r"|(?:その|あの|先ほどの|さっきの|前述の|上記の)(?=[一-龥ァ-ヶー])")
# Values that replace each other: mentioning one in a follow-up drops the others from the carried topic.
_CONTRAST_GROUPS = [
    ("高水準タイプ", "標準タイプ"),
    ("高水準", "標準"),
    ("20人未満", "20人以上50人未満", "50人以上"),
    ("①", "②", "③", "④", "⑤"),
    ("電話", "メール"),
]
# The programme's two parts, each by any of its names (assistant/programme_parts.py; ⑤'s whole name too): a turn
# naming one part drops the other's names, all of them (「⑤の…」 then 「①〜④のほうだと？」 leaves no
# 進出企業定着・地域活性化支援事業 in the carried topic)
_PARTS = (NAMES_FACILITIES, re.compile(rf"{NAMES_FIFTH.pattern}|地域活性化支援事業"))
MAX_CARRIED_TURNS = 2
MAX_CARRIED_CHARS = 400  # a topic needs a sentence, not a pasted document
STANDALONE_LENGTH = 28


@dataclass(frozen=True)
class Rewritten:
    query: str  # what retrieval searches for
    carried: str  # the topic taken from history ('' when the question stands alone)


@lru_cache(maxsize=1)
def _measure_groups() -> tuple[tuple[str, ...], ...]:
    """The catalogue's measures replace each other too: a turn naming one by any of its names (「では情報信託のほうは？」)
    drops the names of the others from the carried topic; the asked field (予算, 担当) stays."""
    from assistant.japanese import measure_short_names

    return (tuple(n for measure, shorts in measure_short_names().items() for n in (measure, *shorts)),)


def is_follow_up(question: str) -> bool:
    q = question.strip()
    return len(q) <= STANDALONE_LENGTH or bool(_REFERRING.search(q))


def rewrite(question: str, history: Sequence[Turn]) -> Rewritten:
    earlier = [t.content.strip() for t in history if t.role == "user" and t.content.strip()]
    if not earlier or not is_follow_up(question):
        return Rewritten(question, "")
    carried = " ".join(turn[:MAX_CARRIED_CHARS] for turn in earlier[-MAX_CARRIED_TURNS:])
    for group in (*_CONTRAST_GROUPS, *_measure_groups()):
        mentioned = [v for v in group if v in question]
        if mentioned:
            for other in group:
                if other not in mentioned and not any(other in m for m in mentioned):
                    carried = carried.replace(other, " ")
    for i, names in enumerate(_PARTS):
        if names.search(question) and not _PARTS[1 - i].search(question):
            carried = _PARTS[1 - i].sub(" ", carried)
    return Rewritten(f"{carried} {question}", carried)
