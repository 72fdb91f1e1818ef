"""Who pays the local burden: split among the parties in the ratio the asker names (「国費を除いた残りを町・進出
企業・地元企業で5:3:2で」): the calculation's 地方負担 divided in that ratio, one step per party.

The documents leave the split to the 団体 (⑤: 進出企業の負担は「要」（負担割合は裁量で設定可能）), so the ratio is
the asker's and only the arithmetic is the assistant's; the amount split is the calculation's own result. The
second half reads partners' 寄付金・負担金 toward the local share (a share each, or an amount), which the
documents allow (rule local_share_contributions): the plan program states what they leave to the 団体."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.common import floor_to
from assistant.calculators.rules import rule
from assistant.quantities import Quantity
from assistant.types import Calculation, Step

# the parties joined by ・ or と, then the ratio: 「町・県・地元企業で4:4:2」「町と県で1対1」
_PARTY = r"[^\s、。,：:（(・とをはがにで]{1,10}"
_SPLIT = re.compile(rf"({_PARTY}(?:[・と]{_PARTY}){{1,5}})\s*(?:で|が|の)\s*"
                    r"(\d+(?:\s*[:：対]\s*\d+){1,5})(?=\s*(?:で|の|に|ずつ|割合|比率|[、。?？]|$))")


def named_split(text: str) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The parties and their ratio the question names, when there are as many of each (else None)."""
    m = _SPLIT.search(text)
    if m is None:
        return None
    parties = tuple(p for p in re.split(r"[・と]", m.group(1)) if p)
    ratio = tuple(int(n) for n in re.split(r"\s*[:：対]\s*", m.group(2)))
    if len(parties) != len(ratio) or not all(ratio):
        return None
    return parties, ratio


def with_split(calculation: Calculation, text: str) -> Calculation:
    """The calculation with its 地方負担 split among the parties the question names in its ratio; unchanged when
    the question names no split or the calculation has no 地方負担."""
    split = named_split(text)
    burden = calculation.result.get("地方負担")
    if split is None or not isinstance(burden, int) or isinstance(burden, bool) or burden <= 0:
        return calculation
    parties, ratio = split
    whole = sum(ratio)
    # each share floored to the yen (the parts may come a yen or two short of the whole; the whole is stated too)
    shares = [Fraction(burden * r, whole) for r in ratio]
    shown = ":".join(str(r) for r in ratio)
    steps = [Step("share", f"{party}：{fy(burden)} × {r}/{whole} = {fy(int(share))}", {"地方負担": burden, "比率": r},
                  int(share)) for party, r, share in zip(parties, ratio, shares, strict=True)]
    sentence = f"地方負担{fy(burden)}を{shown}で分けると、" + "、".join(
        f"{party}{fy(int(share))}" for party, share in zip(parties, shares, strict=True)) + "です。"
    return replace(calculation, summary=calculation.summary + sentence,
                   formula=calculation.formula + "".join(f"\n・{s.label}" for s in steps),
                   steps=(*calculation.steps, *steps),
                   result={**calculation.result, **{f"{party}の負担": int(share) for party, share in zip(parties, shares, strict=True)}})


# ---- partners' contributions to the local share --------------------------------------------------------------
# The documents allow companies' 寄付金や負担金 to fund the local share (rule local_share_contributions); an
# asker names who pays what: 「地方負担のうち3割を協力企業から」「協力企業から1割を負担金で」「地元の会社が町に
# 200万円を寄付」. The shares and amounts are the asker's; the base they apply to and what is left are computed.
@dataclass(frozen=True)
class Contribution:
    party: str
    share: Fraction | None  # of the local share (4割 → 2/5), or
    amount: int | None  # an amount given outright


_CONTRIBUTION_CUE = re.compile(r"負担金|寄付|寄附|充て|充当")
_GIVER = r"(?:その|この|地元の|町内の|市内の)?([一-龥ァ-ヶーA-Za-z]{1,12}?)(?:さん)?"
_SHARE_FROM = re.compile(rf"(\d+(?:\.\d+)?)\s*割を?\s*{_GIVER}から")
_FROM_SHARE = re.compile(rf"{_GIVER}から\s*(\d+(?:\.\d+)?)\s*割")
_DONATED = re.compile(r"\s*(?:を|の)?\s*(?:寄付|寄附|負担金)")
_DONOR = re.compile(r"([一-龥ァ-ヶーA-Za-z]{1,12}?)(?:さん)?(?:が|から)[^。、]{0,8}$")


def read_contributions(t: str, quantities: tuple[Quantity, ...]) -> tuple[tuple[Contribution, ...], tuple[Quantity, ...]]:
    """The partners' shares and amounts in the order said, and the amounts they used (no cost of the plan)."""
    if not _CONTRIBUTION_CUE.search(t):
        return (), ()
    found: list[tuple[int, Contribution]] = [
        (m.start(), Contribution(m.group(2), Fraction(m.group(1)) / 10, None)) for m in _SHARE_FROM.finditer(t)]
    for m in _FROM_SHARE.finditer(t):
        if not any(at <= m.start() < at + 20 for at, _ in found):  # (the same share read the other way round)
            found.append((m.start(), Contribution(m.group(1), Fraction(m.group(2)) / 10, None)))
    used = []
    for q in quantities:
        if q.unit == "円" and _DONATED.match(t[q.end : q.end + 8]):
            donor = _DONOR.search(t[max(t.rfind("。", 0, q.start) + 1, q.start - 30) : q.start])
            found.append((q.start, Contribution(donor.group(1) if donor else "寄付", None, q.value)))
            used.append(q)
    return tuple(c for _, c in sorted(found, key=lambda f: f[0])), tuple(used)


def contribution_steps(contributions: tuple[Contribution, ...], base: int) -> tuple[list[Step], list[str], int]:
    """Each partner's part of `base` (the local share) and what is left to the 団体, each step citing the rule
    that lets 寄付金・負担金 fund the local share."""
    quoted = rule("local_share_contributions")
    steps, shown, given = [], [], 0
    for c in contributions:
        paid = floor_to(base * c.share, 1) if c.share is not None else int(c.amount or 0)
        how = f"{fy(base)} × {float(c.share * 10):g}割" if c.share is not None else "寄付・負担金"
        steps.append(Step("rate" if c.share is not None else "sum", f"{c.party}の負担：{how} = {fy(paid)}",
                          {"充当の対象": base}, paid, quoted))
        shown.append(f"{c.party}{fy(paid)}")
        given += paid
    own = base - given
    steps.append(Step("difference", f"団体の負担：{fy(base)} − {fy(given)} = {fy(own)}", {"充当": given}, own, quoted))
    return steps, shown, own
