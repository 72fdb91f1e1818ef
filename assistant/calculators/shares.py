"""A local burden split among the parties that bear it, in the ratio the asker names (「国費を除いた残りを町・進出
企業・地元企業で5:3:2で」): the calculation's 地方負担 divided in that ratio, one step per party.

The documents leave the split to the 団体 (⑤: 進出企業の負担は「要」（負担割合は裁量で設定可能）), so the ratio is
the asker's and only the arithmetic is the assistant's. Nothing here is a rule; the amount split is the
calculation's own result."""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction

from assistant.calculators.amounts import format_yen as fy
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
