"""はい / いいえ for a question that states an outcome and asks to confirm it, settled by the calculation.

Officers often state an outcome (no repayment after some years, a type adopted at some grade, a share within
a limit) and ask to confirm it with …よね？ or 合ってますか: the case is computed like any other, and the answer opens with whether the
outcome they stated is the computed one. The claim is read in a few general forms (a type adopted, adopted or
not, repayment none / full / half, a limit or requirement met or not); the outcome comes from the calculation's
own result, never from the wording.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.types import Calculation

# A confirmation: the question ends by asking whether what it states is right.
CONFIRMS = re.compile(
    r"(?:よね|よな|ですね|ますね|でしたっけ|(?:で|て|ても)(?:良|よ|い)(?:かった|い)(?:です|でしょう|んです)?か?|で合って(?:い)?ます(?:か)?"
    r"|という(?:理解|認識)で(?:良|よ|い)いですか|ということですか|んですか|(?:でき|なり|なら)ませんか"
    r"|確認(?:させて|して)(?:ください|いただけ(?:ます|ません)か))[?？。]?\s*$"
)
# 「…3点にできませんか」: the outcome asked for; the answer says whether it can be had (できます / できません)
_CAN_IT = re.compile(r"できませんか[?？]?\s*$")
_TYPE_ADOPTED = re.compile(r"(高水準|標準)(?:タイプ)?(?:\s*[（(][^）)]{0,8}[）)])?\s*(?:で|として|の|に)(?:採択|通る|通り|格上げ|上が)")
_POINTS = re.compile(r"(?<![\d.])(\d+)\s*点")
_NOT_ADOPTED = re.compile(r"不採択|採択されない|通らない|落ちる")
_ADOPTED = re.compile(r"採択され|通る|通り")
_REPAY_NONE = re.compile(r"返還(?:は|が)?(?:なし|無し|不要|いらない|要らない|しなくて|の必要(?:は)?(?:ない|なし))|返さなくて|返還されない")
_REPAY_FULL = re.compile(r"全額")
_REPAY_HALF = re.compile(r"半額|半分|2分の1|1/2")
# 「うちには関係ない」「縁がない」: the programme presumed of no concern to the asker
NO_CONCERN = r"(?:関係|縁)(?:が|は)?な(?:い|さそう)"
_PRESUMED_INELIGIBLE = re.compile(rf"対象外|対象(?:に|と)?なら(?:ない|ず)|使えない|申請でき(?:ない|ません)|無理|ダメ|だめ|{NO_CONCERN}")
_PRESUMED_ELIGIBLE = re.compile(r"対象(?:に|と)?(?:なる|なり|です)|使える|申請できる|大丈夫")
_MET = re.compile(r"OK|オーケー|大丈夫|問題(?:ない|なし|ありません)|収まる|収まり|満たし|満たす|クリア|いける|いけます|認められ")
_UNMET = re.compile(r"満たさない|満たしません|足りない|足りません|認められない|超える|超えてしまう|NG|ダメ|だめ")


def decide(question: str, calculation: Calculation) -> str | None:
    """「はい」 or 「いいえ」 when the question confirms an outcome the calculation settles; else None."""
    from assistant.question_parts import asking_sentence

    text = question.strip()
    if not CONFIRMS.search(asking_sentence(text).strip()):
        return None
    result = calculation.result
    if "申請率の時点" in result:
        return None  # the rate stated is of another month than the one counted: nothing is settled
    agrees: bool | None = None
    if "採択区分" in result:
        outcome = str(result["採択区分"])
        if m := _TYPE_ADOPTED.search(text):
            agrees = f"{m.group(1)}タイプで採択" in outcome
        elif _NOT_ADOPTED.search(text):
            agrees = "不採択" in outcome
        elif _ADOPTED.search(text):
            agrees = "不採択" not in outcome
    elif "返還" in result or "返還額" in result or "返還額の合計" in result:
        words = [str(w) for w in result["返還"]] if "返還" in result else None  # type: ignore[union-attr]
        amount = result.get("返還額", result.get("返還額の合計"))
        none = words is not None and all(w == "なし" for w in words) or words is None and amount == 0
        if _REPAY_NONE.search(text):
            agrees = none
        elif _REPAY_HALF.search(text) and words is not None:
            agrees = all(w == "半額" for w in words)
        elif _REPAY_FULL.search(text) and words is not None:
            agrees = all(w == "全額" for w in words)
    elif result.get("判定") in ("対象", "対象外（原則）"):  # whether a municipality is eligible
        eligible = result["判定"] == "対象"
        agrees = (not eligible) if _PRESUMED_INELIGIBLE.search(text) else eligible if _PRESUMED_ELIGIBLE.search(text) else None
    elif "判定" in result:
        met = result["判定"] == "可"
        agrees = (not met) if _UNMET.search(text) else met if _MET.search(text) else None
    elif "高水準の要件" in result:
        met = bool(result["高水準の要件"] if "高水準" in text or "標準" not in text else result["標準の要件"])
        agrees = (not met) if _UNMET.search(text) else met if _MET.search(text) else None
    if agrees is None:
        agrees = _stated_figure_agrees(asking_sentence(text), result)
    if agrees is None:
        return None
    if _CAN_IT.search(text):
        return "はい、できます" if agrees else "いいえ、できません"
    return "はい" if agrees else "いいえ"


def _stated_figure_agrees(sentence: str, result: Mapping[str, object]) -> bool | None:
    """Whether the figures the confirming sentence states are the computed ones: for each result it names, the last
    amount before the next result named (「国費は…4,500万円と見込んで」: the asker's own figure, after any arithmetic),
    all of them right; or points (「3点にできませんか」) when the result has one score. None when the sentence states no
    figure the result has."""
    from assistant.quantities import amounts_at

    numbers = {k: v for k, v in result.items() if isinstance(v, int) and not isinstance(v, bool) and not k.endswith("_表示")}
    points = [k for k in numbers if k.endswith("点")]
    stated_points = _POINTS.findall(sentence)
    if stated_points and len(points) == 1:
        return int(stated_points[-1]) == numbers[points[0]]
    # where each result is named (a longer name first: 「地方負担」 is not 「負担」), in the sentence's order
    named: list[tuple[int, int, str]] = []
    for name in sorted((k for k in numbers if k not in points), key=len, reverse=True):
        at = sentence.find(name)
        if at >= 0 and not any(s <= at < e for s, e, _ in named):
            named.append((at, at + len(name), name))
    named.sort()
    checked: list[bool] = []
    ends = [s for s, _, _ in named[1:]] + [len(sentence)] if named else []
    for (_, end, name), following in zip(named, ends, strict=True):
        amounts = [yen for yen, start, _ in amounts_at(sentence[:following]) if start >= end]
        if amounts:
            checked.append(amounts[-1] == numbers[name])
    if not checked:
        # the state's share stated by its role (「75万円は国から来る前提で」), not by the result's name
        from assistant.quantities import of_role, read_quantities

        state = [k for k in numbers if "国費" in k]
        checked = [q.value in {numbers[k] for k in state} for q in of_role(read_quantities(sentence), "国費")] if state else []
    return all(checked) if checked else None
