"""Yes/no verdicts from the rule a line states about the asker's own case.

An officer describes a case (「中核市である当市が…」「法人格のない任意団体を…」「市内に本社がある企業に…」
「出資金5億円の第三セクター…」) and asks whether it is covered. The documents state the rule from one side:
an exclusion list (「…及び中核市を除く」), a requirement (「法人格を有する組織であること」「区域外の企業」
「所在都道府県内に事業所」), or an exception to an exclusion (「官公庁等（第三セクターのうち、出資金が10億円
未満の法人…を除く。）ではないこと」). The verdict compares the case with that rule:
- the case is named in an exclusion list → いいえ; named in an exception to an exclusion (the list is inside
  「…（…を除く。）ではないこと」) and meets its threshold → はい;
- the case lacks what a requirement says it must have (「法人格のない」 vs 「法人格を有する」) → いいえ;
- the case is on the other side of a place requirement (区域内 vs 区域外, 他県 vs 都道府県内) → いいえ.
Nothing found → no verdict (the answer stays as drafted). Matching uses normalised keys; the lines quoted
back are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.japanese import normalise_key

# 「…できますか」「…ですよね」, and spoken forms: …ます？ and a potential verb ending in る？
_YES_NO = re.compile(r"(?:ますか|ですか|でしょうか|ませんか|よいですか|いいですか|ですよね|ますよね)[?？]?\s*$"
                     r"|(?:ます|(?:[えけせてねべめれ]|でき)る)[?？]\s*$")
_EXCLUSION = re.compile(r"([^。（(]{2,80}?)を除く")
_LIST_SPLIT = re.compile(r"、|，|及び|並びに|又は|または|・|，|\s")
_NOUN = re.compile(r"[一-龥ァ-ヶー]{3,}")
_GENERIC = {"地方公共団体", "事業", "法人", "団体", "企業", "億円未満", "万円未満", "地方公共団体から補助"}
_AMOUNT_LIMIT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(億|千万|百万|万)?円(未満|以下|以上|超)")
_QUESTION_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(億|千万|百万|万)?円")
_UNITS = {"億": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, None: 1, "": 1}
# A requirement the case lacks: the line says 「Xを有する」, the question 「Xのない」「Xがない」「Xを持たない」.
_HAS = re.compile(r"([一-龥ァ-ヶー]{2,8})を有する")
# Place requirements and the case's own side of them.
_OUTSIDE_REQUIRED = re.compile(r"区域外の")
_CASE_INSIDE = re.compile(r"(?:市内|町内|村内|区域内|当市|当町|当村|地元)に?(?:本社|本店|本拠|所在|ある)")
_INSIDE_PREF_REQUIRED = re.compile(r"所在都道府県内に事業所")
_CASE_OTHER_PREF = re.compile(r"隣の県|他県|県外|他の都道府県|別の県|隣県")


@dataclass(frozen=True)
class Verdict:
    word: str  # はい / いいえ
    reason: str  # one short clause in the documents' terms
    line: str  # the line (verbatim) that states the rule


def _names(term: str, question: str) -> bool:
    """The question names the term as a whole word: 「都道府県外の企業」 does not name 「都道府県」."""
    return any(not re.match(r"[一-龥ァ-ヶー]", question[m.end() : m.end() + 1])
               for m in re.finditer(re.escape(term), question))


def _amount(number: str, unit: str | None) -> float:
    return float(number.replace(",", "")) * _UNITS.get(unit, 1)


def _in_exception(line: str, end: int) -> bool:
    """「官公庁等（第三セクターのうち…を除く。）ではないこと」: the list is an exception to an exclusion."""
    return bool(re.match(r"[。]?\s*[）)]\s*(?:ではない|でない)", line[end : end + 12]))


def _threshold_met(item: str, question: str) -> bool | None:
    """An exception with a limit (「出資金が10億円未満の法人」) and the case's amount (「出資金5億円」)."""
    limit = _AMOUNT_LIMIT.search(item)
    stated = _QUESTION_AMOUNT.search(question)
    if limit is None or stated is None:
        return None
    bound, value = _amount(limit.group(1), limit.group(2)), _amount(stated.group(1), stated.group(2))
    return {"未満": value < bound, "以下": value <= bound, "以上": value >= bound, "超": value > bound}[limit.group(3)]


def decide(question: str, lines: Sequence[str]) -> Verdict | None:
    if not _YES_NO.search(question.strip()):
        return None
    q = normalise_key(question)
    for line in lines:
        key = normalise_key(line)
        for m in _EXCLUSION.finditer(key):
            items = [i.strip("「」（）()") for i in _LIST_SPLIT.split(m.group(1)) if len(i.strip("「」（）()")) >= 2]
            # an item names the case when it, or a noun inside it (「第三セクターのうち」), is in the question
            named = [run for i in items for run in [i, *_NOUN.findall(i)] if _names(run, q) and run not in _GENERIC][:1]
            if not named:
                continue
            if _in_exception(key, m.end()):
                met = _threshold_met(m.group(1), q)
                if met is False:
                    return Verdict("いいえ", f"{named[0]}は例外の条件を満たさず、対象外です", line)
                return Verdict("はい", f"{named[0]}は除外の例外にあたり、対象となります", line)
            return Verdict("いいえ", f"{named[0]}は対象外です（除かれています）", line)
        for m in _HAS.finditer(key):
            need = m.group(1)
            if re.search(rf"{re.escape(need)}(?:の|が)(?:ない|無い|なし)|{re.escape(need)}を(?:持たない|有しない)", q):
                return Verdict("いいえ", f"対象外です（{need}を有することが要件です）", line)
        if _OUTSIDE_REQUIRED.search(key) and _CASE_INSIDE.search(q):
            return Verdict("いいえ", "対象外です（区域外の企業・団体が対象です）", line)
        if _INSIDE_PREF_REQUIRED.search(key) and _CASE_OTHER_PREF.search(q):
            return Verdict("いいえ", "対象外です（所在都道府県内に事業所があることが要件です）", line)
    return None
