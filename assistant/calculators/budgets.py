"""The 2021 catalogue's measures and their budgets (予算額), read from the corpus: each 施策名 with the fiscal year
and account of its budget and the amount as written. Used to add up, compare or divide the budgets an officer
names; nothing about them is typed in code (the short names officers use for each measure are vocabulary data:
`measure_short_names` in assistant/data/synonyms.toml)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.common import calculation_of, percent_text
from assistant.calculators.rules import rule
from assistant.japanese import measure_short_names
from assistant.settings import REPO_ROOT
from assistant.types import Calculation, Rule, Step

_MEASURE = re.compile(r"^\s*施策名：(.+?)\s*$")
_AMOUNT = re.compile(r"^\s*([\d０-９,，]+)\s*百万円\s*$")
_ACCOUNT = re.compile(r"^\s*(令和.+?(?:一般会計|特別会計))\s*$")

_MINISTRIES = r"総務省|内閣府|内閣官房"  # the catalogue's measures belong to these
# A measure sheet's contact line opens with its department: 「総務省情報流通高度化推進室 03-…」
_DEPARTMENT = re.compile(rf"^\s*((?:{_MINISTRIES})\S*)")
# A ministry's measures asked together: 「総務省の4事業」「内閣府の施策」「総務省が担当する事業」
_MINISTRY_GROUP = re.compile(rf"({_MINISTRIES})(?:の|が担当(?:する|の)|担当の)\s*(?:\d+|[二三四五六])?\s*(?:つの)?(?:事業|施策)")


@dataclass(frozen=True)
class Budget:
    measure: str
    account: str  # 令和３年度当初一般会計 …, as written
    yen: int | None  # None: 非予算
    quote: str  # the amount's line as written
    department: str = ""  # as the sheet's contact line writes it (「総務省地域自立応援課」)

    def as_rule(self) -> Rule:
        return Rule(name=f"budget_{self.measure}", value=self.yen or 0, unit="円", quote=self.quote,
                    source=rule("c_rate_high").source, section=f"施策名：{self.measure}",
                    note=f"{self.measure}の予算額（{self.account}）")


@lru_cache(maxsize=1)
def catalogue_budgets() -> tuple[Budget, ...]:
    lines = (REPO_ROOT / "corpus" / rule("c_rate_high").source).read_text(encoding="utf-8").split("\n")
    found: list[Budget] = []
    for i, line in enumerate(lines):
        if not (m := _MEASURE.match(line)):
            continue
        measure = m.group(1)
        end = next((j for j in range(i + 1, len(lines)) if _MEASURE.match(lines[j])), len(lines))
        account = ""
        department = next((d.group(1) for j in range(i + 1, end) if (d := _DEPARTMENT.match(lines[j]))), "")
        for j in range(i + 1, end):
            if lines[j].strip() == "額 非予算":
                found.append(Budget(measure, "非予算", None, "予算\n額 非予算", department))
                break
            if a := _ACCOUNT.match(lines[j]):
                account = a.group(1)
            elif account and (amount := _AMOUNT.match(lines[j])):
                digits = unicodedata.normalize("NFKC", amount.group(1)).replace(",", "")
                found.append(Budget(measure, account, int(digits) * 1_000_000, lines[j].strip(), department))
                break
    return tuple(found)


def names_of(budget: Budget) -> tuple[str, ...]:
    """The measure's 施策名 and the short names officers use for it."""
    return (budget.measure, *measure_short_names().get(budget.measure, ()))


def named_budgets(text: str) -> list[Budget]:
    """The measures the text names (by 施策名 or a short name, or as a ministry's measures: 「総務省の4事業」), in
    the order named."""
    hits = []
    groups = [(m.start(), m.group(1)) for m in _MINISTRY_GROUP.finditer(text)]
    for budget in catalogue_budgets():
        names = names_of(budget)
        positions = [text.find(n) for n in names if n in text]
        positions += [at for at, ministry in groups if budget.department.startswith(ministry)]
        if positions:
            hits.append((min(positions), budget))
    return [b for _, b in sorted(hits, key=lambda h: h[0])]


def _millions(yen: int) -> str:
    return f"{yen // 1_000_000:,}百万円（{fy(yen)}）"


def compare_budgets(budgets: list[Budget], summed: list[Budget], against: Budget | None,
                    gap_to: Budget | None = None, without: Budget | None = None,
                    share_of: Budget | None = None) -> Calculation:
    """The named measures' budgets; the sum of `summed` (when two or more), the difference of two, the
    share of `against` the sum (or the one measure) makes, the difference between the sum and `gap_to`, the
    sum again without `without` (「…を除いた分だけだと」), and the share of the sum one measure makes (`share_of`,
    「そのうち…が占める割合」)."""
    steps = [Step("band", f"{b.measure}：{b.account} {b.quote}" if b.yen is not None else f"{b.measure}：非予算", {}, b.yen,
                  b.as_rule()) for b in budgets]
    result: dict[str, object] = {b.measure: b.yen for b in budgets}
    unbudgeted = [b.measure for b in budgets if b.yen is None]
    sentences = [f"{b.measure}は{b.account}{_millions(b.yen)}" for b in budgets
                 if b.yen is not None and b not in (against, gap_to)]
    summary = "、".join(sentences) + "です。"
    if unbudgeted:
        summary += f"{'・'.join(unbudgeted)}は予算のない施策（非予算）です。"
    priced = [b for b in summed if b.yen is not None]
    total = sum(b.yen or 0 for b in priced)
    # a difference to a yardstick is what was asked: its verdict leads and states the total itself
    gap_leads = gap_to is not None and bool(gap_to.yen) and bool(total)
    if len(priced) >= 2 and against is None and len(budgets) == 2:
        high, low = sorted(priced, key=lambda b: -(b.yen or 0))
        gap = (high.yen or 0) - (low.yen or 0)
        steps.append(Step("difference", f"差：{(high.yen or 0) // 1_000_000:,} − {(low.yen or 0) // 1_000_000:,} = "
                          f"{gap // 1_000_000:,}百万円", {}, gap))
        summary = f"{high.measure}のほうが{_millions(gap)}多くなります。" + summary
        result["差"] = gap
    elif len(priced) >= 2:
        steps.append(Step("sum", f"合計：{' + '.join(f'{(b.yen or 0) // 1_000_000:,}' for b in priced)} = "
                          f"{total // 1_000_000:,}百万円", {}, total))
        if not gap_leads:
            summary = f"{len(priced)}施策の予算額の合計は{_millions(total)}です。" + summary
        result["合計"] = total
    if without is not None and without.yen and without in priced and len(priced) >= 3:
        rest = total - without.yen
        steps.append(Step("difference", f"{without.measure}を除く：{total // 1_000_000:,} − {without.yen // 1_000_000:,} = "
                          f"{rest // 1_000_000:,}百万円", {}, rest, without.as_rule()))
        summary = summary.replace("です。", f"、{without.measure}を除くと{_millions(rest)}です。", 1)
        result[f"合計（{without.measure}を除く）"] = rest
    if share_of is not None and share_of.yen and share_of in priced and len(priced) >= 2:
        part = percent_text(share_of.yen / total * 100)
        steps.append(Step("rate", f"{share_of.measure}の割合：{share_of.yen // 1_000_000:,} ÷ {total // 1_000_000:,} = {part}",
                          {}, part, share_of.as_rule()))
        summary = summary.replace("です。", f"で、うち{share_of.measure}が{part}を占めます。", 1)
        result[f"{share_of.measure}の割合"] = part
    if gap_leads and gap_to is not None and gap_to.yen:
        gap = abs(gap_to.yen - total)
        steps.append(Step("difference", f"差：{max(gap_to.yen, total) // 1_000_000:,} − {min(gap_to.yen, total) // 1_000_000:,} = "
                          f"{gap // 1_000_000:,}百万円", {}, gap, gap_to.as_rule()))
        summary = (f"合計{_millions(total)}は、{gap_to.measure}（{gap_to.account}{_millions(gap_to.yen)}）より"
                   f"{_millions(gap)}{'少ない' if gap_to.yen > total else '多い'}です。") + summary
        result["差"] = gap
    if against is not None and against.yen and total:
        share = Fraction(total, against.yen)
        shown = percent_text(float(share) * 100)
        steps.append(Step("rate", f"{total // 1_000_000:,} ÷ {against.yen // 1_000_000:,} = {shown}"
                          f"（約{float(1 / share):.1f}分の1）", {}, shown, against.as_rule()))
        # both ways round: the sum as a share of the yardstick, and the yardstick as so many times the sum
        summary += (f"{against.measure}（{against.account}{_millions(against.yen)}）と比べると{shown}、"
                    f"約{int(float(1 / share) + 0.5)}分の1（{against.measure}が{float(1 / share):.1f}倍）です。")
        result["割合"] = shown
    return calculation_of("catalogue_budgets", {"施策": "・".join(b.measure for b in budgets)}, result, summary, steps)
