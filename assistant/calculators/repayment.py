"""④ 進出支援金の返還: how much a company repays when it leaves the facility."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from fractions import Fraction

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.common import floor_to, optional, yen
from assistant.calculators.rules import integer, rule
from assistant.errors import CalculationError
from assistant.types import Calculation

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(年半|年|か月|ヶ月|カ月|ヵ月|月|日)")


def parse_elapsed(text: object) -> tuple[int, int, int]:
    """「5年6か月」「2年364日」「5年半」「3年」 -> (years, months, days) as written (not normalised)."""
    s = unicodedata.normalize("NFKC", str(text)).replace(" ", "")
    if not s or s.startswith("-"):
        raise CalculationError(f"経過期間が読めません: {text!r}（例: 5年6か月、2年364日）")
    years = months = days = 0
    matched = "".join(m.group(0) for m in _PART.finditer(s))
    if not matched or len(matched) != len(s.replace("間", "").replace("経過", "")):
        raise CalculationError(f"経過期間が読めません: {text!r}（例: 5年6か月、2年364日）")
    for m in _PART.finditer(s):
        number, unit = Fraction(m.group(1)), m.group(2)
        if unit == "年半":
            years += int(number)
            months += 6
        elif unit == "年":
            if number.denominator != 1:
                months += int(number * 12)
            else:
                years += int(number)
        elif unit == "日":
            days += int(number)
        else:
            months += int(number)
    if years > 100:
        raise CalculationError("経過期間が長すぎます（100年以内で指定してください）")
    return years, months, days


def _compare(years: int, months: int, days: int, threshold_years: int) -> int:
    """-1 before the anniversary, 0 on it, 1 after (a day count is compared against whole years)."""
    total_months = years * 12 + months
    if total_months < threshold_years * 12:
        return -1
    if total_months > threshold_years * 12:
        return 1
    return 1 if days > 0 else 0


def repayment(inputs: Mapping[str, object]) -> Calculation:
    received = yen(inputs, "受給額", "支給額")
    elapsed_raw = optional(inputs, "経過", "経過期間")
    false_claim = str(optional(inputs, "虚偽") or "").strip().lower() in {"1", "true", "yes", "はい", "あり"}
    exempt = str(optional(inputs, "やむを得ない事情") or "").strip().lower() in {"1", "true", "yes", "はい", "あり"}
    if elapsed_raw is None and not false_claim:
        raise CalculationError("入力「経過」（申請日から利用終了までの期間、例: 2年6か月）が必要です")
    if exempt:
        return Calculation(
            kind="repayment", inputs={"受給額": received, "やむを得ない事情": True},
            result={"返還額": 0, "区分": "返還不要（やむを得ない事情）"},
            formula="倒産・災害等のやむを得ない事情として地方公共団体が認めた場合は返還対象外",
            summary="返還は不要です（倒産・災害等のやむを得ない事情として地方公共団体が認めた場合）。",
            rules=(rule("repay_exemption"),),
        )
    if false_claim:
        return Calculation(
            kind="repayment", inputs={"受給額": received, "虚偽": True},
            result={"返還額": received, "区分": "全額"},
            formula=f"虚偽の申請等 → 全額 {fy(received)}",
            summary=f"虚偽の申請等が明らかとなった場合は全額（{fy(received)}）の返還です。",
            rules=(rule("repay_false_claim"),),
        )
    years, months, days = parse_elapsed(elapsed_raw)
    shown = f"{years}年" + (f"{months}か月" if months else "") + (f"{days}日" if days else "")
    if _compare(years, months, days, integer("repay_full_before_years")) < 0:
        amount, label, used = received, "全額", "repay_full"
    elif _compare(years, months, days, integer("repay_half_until_years")) <= 0:
        amount, label, used = floor_to(Fraction(received, 2), 1), "半額", "repay_half"
    else:
        amount, label, used = 0, "返還不要", "repay_scope"
    summary = (
        f"申請日から{shown}での利用終了は返還対象外のため、返還は不要です（0円。返還対象は5年以内の利用終了）。"
        if amount == 0
        else f"申請日から{shown}での利用終了は{label}返還で、{fy(amount)}です。"
    )
    return Calculation(
        kind="repayment",
        inputs={"受給額": received, "経過": shown},
        result={"返還額": amount, "返還額_表示": fy(amount) if amount else "0円", "区分": label},
        formula=f"経過 {shown}: 3年未満 → 全額 / 3年以上5年以内 → 半額 / 5年超 → 返還不要 → {label}",
        summary=summary,
        rules=(rule(used), rule("repay_scope")) if used != "repay_scope" else (rule("repay_scope"), rule("repay_half")),
    )
