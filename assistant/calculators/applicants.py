"""Applicants for the 進出支援金 listed one by one (「A：…の会社（N万円）、B：…」): each
checked against the 支援対象者の要件 as cited gates, and the ones that qualify paid as a plan (the per-company cap,
the count limit the KPI sets, the rate of the type).

The requirements, in the documents' words: a company or body from outside the municipality where the office is; not
官公庁等 — a 第三セクター is one unless its 出資金 is under 10億円 or it receives a subsidy from a local government;
not a 風俗営業者; not 反社会的勢力.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.calculators.common import calculation_of, combined
from assistant.calculators.rules import integer, rule
from assistant.quantities import normalise, read_quantities
from assistant.types import Calculation, Step

# An applicant's label: a capital letter and a colon (「A：」「B:」), the letters in turn.
_LABEL = re.compile(r"(?<![A-Za-z])([A-Z])\s*[:：]")
_IN_TOWN = re.compile(r"(?:町内|市内|村内|区域内|地元)[^、。]{0,6}?(?:本社|本店|事業所|会社|企業|法人)"
                      r"|本社[^、。]{0,8}?(?:町内|市内|村内)")
_THIRD_SECTOR = re.compile(r"第三セクター|第3セクター|三セク|3セク")
_CAPITAL = re.compile(r"出資金\s*(\d+(?:\.\d+)?)\s*億")
_SUBSIDISED = re.compile(r"補助を受け(?!ていない|ておらず|ず)|補助あり|補助金を受け(?!ていない|ておらず|ず)")
_PUBLIC = re.compile(r"官公庁|国の機関")
_ADULT = re.compile(r"風俗")
_ANTISOCIAL = re.compile(r"暴力団|反社")


@dataclass(frozen=True)
class Applicant:
    label: str
    amount: int | None
    refused_by: str | None  # the rule it fails, or None
    reason: str  # in the officer's terms


def _gate(segment: str) -> tuple[str | None, str]:
    if _IN_TOWN.search(segment):
        return "relocation_outside_municipality", "所在市町村の区域外の企業・団体ではない"
    if _ADULT.search(segment):
        return "relocation_not_adult_business", "風俗営業者である"
    if _ANTISOCIAL.search(segment):
        return "relocation_not_antisocial", "反社会的勢力である"
    if _THIRD_SECTOR.search(segment):
        capital = _CAPITAL.search(segment)
        # 「出資金が10億円未満の法人…を除く」
        large = capital is not None and float(capital.group(1)) >= integer("relocation_not_public")
        if large and not _SUBSIDISED.search(segment):
            return "relocation_not_public", f"出資金{capital.group(1) if capital else ''}億円で補助を受けていない第三セクター（官公庁等）である"
        return None, "第三セクターだが出資金10億円未満か地方公共団体から補助を受けており、官公庁等から除かれる"
    if _PUBLIC.search(segment):
        return "relocation_not_public", "官公庁等である"
    return None, ""


def read_applicants(question: str) -> list[Applicant]:
    """The lettered applicants (A, B, C … in turn, at least two), each with its amount and the rule it fails."""
    t = normalise(question)
    marks, expected = [], "A"
    for m in _LABEL.finditer(t):
        if m.group(1) == expected:
            marks.append(m)
            expected = chr(ord(expected) + 1)
    if len(marks) < 2:
        return []
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else (t.find("。", m.end()) if "。" in t[m.end():] else len(t))
        segment = t[m.end() : end]
        # (「資本金5億円の会社」: what the applicant is, not what it is paid)
        amounts = [q.value for q in read_quantities(segment)
                   if q.unit == "円" and not _DESCRIBES.search(segment[max(0, q.start - 6) : q.start])]
        refused_by, reason = _gate(segment)
        out.append(Applicant(m.group(1), amounts[-1] if amounts else None, refused_by, reason))
    # one amount said for them all after the list (「いずれも1社100万円の予定」「各100万円」)
    shared = _EACH_AMOUNT.search(t, marks[-1].end())
    if shared is not None and all(a.amount is None for a in out):
        each = [q.value for q in read_quantities(shared.group(0)) if q.unit == "円"]
        if each:
            out = [replace(a, amount=each[0]) for a in out]
    return out


_DESCRIBES = re.compile(r"(?:出資金|資本金|出資額|売上高?|年商)\s*(?:が|は)?\s*$")
_EACH_AMOUNT = re.compile(r"(?:(?:1|一)社(?:あたり|当たり|につき)?|各社?|それぞれ|いずれも[^。]{0,40}?(?:1|一)社(?:あたり|当たり)?)\s*"
                          r"[\d,.]+\s*(?:万|千|億)?円")


def with_applicants(applicants: list[Applicant], money: Calculation) -> Calculation:
    """The gates (one cited step per applicant left out) and the payment of the ones that qualify, as one answer."""
    steps = [Step("gate", f"{a.label}：{a.reason} → 対象外", {"申請者": a.label}, False, rule(a.refused_by))
             for a in applicants if a.refused_by]
    qualified = [a.label for a in applicants if not a.refused_by]
    left_out = "、".join(f"{a.label}は{a.reason}ため対象外" for a in applicants if a.refused_by)
    notes = "、".join(f"{a.label}は{a.reason}" for a in applicants if not a.refused_by and a.reason)
    summary = (f"支給対象になり得るのは{'・'.join(qualified)}の{len(qualified)}者です（{left_out}"
               f"{'。' + notes if notes else ''}）。{money.summary}")
    gates = calculation_of("relocation_applicants", {}, {}, "", steps)
    formula = "\n".join([*(f"・{s.label}" for s in steps), money.formula])
    return combined(money.kind, (gates, money), inputs={**money.inputs, "支給対象": "・".join(qualified)},
                    result={**money.result, "支給対象": "・".join(qualified)}, formula=formula, summary=summary)
