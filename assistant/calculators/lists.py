"""The 制度概要's bulleted lists counted (「対象外経費は何項目？」), read from the corpus: a list is a ■ heading line
and the 「- 」 items right under it; its part of the document (①～④ or ⑤) is where it stands. Asked
for both parts, each list is counted and the items one part has and the other lacks are named. Nothing about
the lists is typed in code: a list changed in the corpus is counted as it now reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.calculators.common import calculation_of
from assistant.calculators.rules import rule
from assistant.programme_parts import FACILITIES, FIFTH
from assistant.settings import REPO_ROOT
from assistant.types import Calculation, Rule, Step

# a list's heading: 「■ 対象外経費（…）」 (the ＜…＞ headings hold examples split over blank lines and figures' labels
# in the extracted text, so their items cannot be told apart from the next block's)
_HEADING = re.compile(r"^\s*■\s*([^（(\s]{2,20})")
# the page header that opens the 制度概要's parts: 「(①サテライトオフィス等整備事業、…」 and 「(⑤進出企業定着…)」
_PART_HEADER = re.compile(r"^\s*[（(]\s*([①⑤])(?:サテライトオフィス等整備事業|進出企業定着)")


@dataclass(frozen=True)
class BulletedList:
    core: str  # the heading's own words (「対象外経費」)
    heading: str  # the heading line as written
    items: tuple[str, ...]  # the items as written, without their 「- 」
    part: str | None  # ①～④ / ⑤ / None (before the parts begin)


@lru_cache(maxsize=1)
def bulleted_lists() -> tuple[BulletedList, ...]:
    source = rule("rate_high").source
    lines = (REPO_ROOT / "corpus" / source).read_text(encoding="utf-8").split("\n")
    found: list[BulletedList] = []
    part: str | None = None
    for i, line in enumerate(lines):
        if m := _PART_HEADER.match(line):
            part = FIFTH if m.group(1) == "⑤" else FACILITIES
        heading = _HEADING.match(line)
        if not heading:
            continue
        items: list[str] = []
        for following in lines[i + 1 :]:
            if following.startswith("- "):
                items.append(following[2:].strip())
            elif (following.strip() and not following.lstrip().startswith("※")) or (not following.strip() and items):
                break  # a line that is no item, or a blank line after the items (an item's ※ note is part of it)
        if len(items) >= 2:
            found.append(BulletedList(heading.group(1), line.strip(), tuple(items), part))
    return tuple(found)


def _short(item: str) -> str:
    head = re.split(r"[（(]", item, maxsplit=1)[0].strip()
    return head if len(head) <= 24 else head[:24] + "…"


def _same_item(a: str, b: str) -> bool:
    """One item written in two lists, the same or one holding the other's words (「人件費（地方公共団体の職員の人件費）」
    and 「地方公共団体の職員の人件費」)."""
    def key(text: str) -> str:
        return re.sub(r"\s", "", text)

    def head(text: str) -> str:
        return key(re.split(r"[（(]", text, maxsplit=1)[0])

    return key(a) == key(b) or head(b) in key(a) or head(a) in key(b)


def _rule(listed: BulletedList, n: int) -> Rule:
    return Rule(name=f"list_{listed.core}_{listed.part or 'all'}", value=tuple(listed.items), unit="項目",
                quote=listed.items[-1] if listed.part == FIFTH else listed.items[0], source=rule("rate_high").source,
                section=listed.heading, note=f"{listed.part or ''}{listed.core}（{n}項目）")


def lists_asked(text: str) -> list[BulletedList]:
    """The lists whose heading's own words the text names, in the document's order."""
    return [b for b in bulleted_lists() if b.core in text]


def count_lists(lists: list[BulletedList]) -> Calculation:
    """Each list's items counted; for two lists of one heading (①～④'s and ⑤'s), the items only one of them has."""
    steps = [Step("count", f"{b.part or ''}の{b.core}：{len(b.items)}項目（{'、'.join(_short(x) for x in b.items)}）", {},
                  len(b.items), _rule(b, len(b.items))) for b in lists]
    result: dict[str, object] = {f"{b.part or ''}{b.core}": len(b.items) for b in lists}
    summary = "、".join(f"{b.part + 'の' if b.part else ''}{b.core}は{len(b.items)}項目" for b in lists) + "です。"
    if len(lists) == 2 and lists[0].core == lists[1].core:
        for this, other in (lists, lists[::-1]):
            only = [x for x in this.items if not any(_same_item(x, y) for y in other.items)]
            if only:
                summary += f"{this.part}にだけある項目は「{'」「'.join(_short(x) for x in only)}」です。"
                result[f"{this.part}にだけある項目"] = [_short(x) for x in only]
    return calculation_of("list_count", {"一覧": "・".join(f"{b.part or ''}{b.core}" for b in lists)}, result, summary, steps)
