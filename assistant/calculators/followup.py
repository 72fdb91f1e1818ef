"""A follow-up that changes one input of an earlier calculation (a cost lowered, a company count raised, the other
type: 「経費を600万円にしたら措置額はどれだけ変わる？」「標準タイプなら？」): the earlier question is run
again with the new figure or type put in place of the old one, and when the turn asks how much the result changes,
the difference of the two runs is the answer.

This works for every calculator that reads its inputs from the question's text, since the changed question is
text too: the quantity reader (`assistant.quantities`) tags each figure with its role, and the figure of the same
unit and role in the earlier question is the one replaced. A figure that matches none (or several equally) leaves
the turn to the other routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from assistant.calculators.amounts import format_yen, parse_amount
from assistant.calculators.common import combined
from assistant.errors import AmountParseError
from assistant.japanese import nfkc_keep_circled
from assistant.quantities import Quantity, normalise, read_quantities
from assistant.types import Calculation, Step, Turn
from assistant.vocabulary import grant_type_of

# The turn asks how much the result moves, not the result itself.
DIFFERENCE_ASK = re.compile(r"増え|減り|減る|減ら|増す|上が|下が|変わ|差額?|違い|違っ|違う|比べ|上乗せ|積み増|(?:少な|多)く(?:なる|なり|済)")
# The turn reads as a change of the earlier question: it opens like a follow-up or ends in a condition
# (「…たら」 and its voiced form after ん: 「膨らんだら」「頼んだら」).
_FOLLOW_UP = re.compile(r"^\s*(?:では|じゃあ|じゃ|それで|その場合|もし|それなら|なら|仮に|逆に)|(?:なら|だと|たら|だら|すると|場合は?)"
                        r"(?:[、,]|[?？]?\s*$|\s*(?:は|って)?\s*(?:どう|いくら|何|どれ))|ていたら|引き上げ|引き下げ|抑え|増やし|減らし|変え|切り替え|上げ|下げ")
# What the difference is about: the result named in the turn, else the first of these both runs state.
_RESULT_WORDS: tuple[tuple[str, str], ...] = (
    (r"国費", "国費"), (r"国費", "国費合計"), (r"措置額|特交|特別交付税", "措置額"), (r"補助額|補助", "補助額"),
    (r"持ち出し|負担", "地方負担"), (r"点", "合計点"),
)
_TYPE_WORDS = re.compile(r"高水準(?:タイプ)?|標準(?:タイプ)?")
# 「…高水準のときより」「標準の場合と比べて」: the type the turn compares with (the earlier run's), not the one it asks
_TYPE_COMPARED_WITH = re.compile(r"(?:高水準|標準)(?:タイプ)?(?:の(?:とき|時|場合|ケース))?(?:より|と比べ|と比較|との差|から)")
MAX_TURN_CHARS = 600


@dataclass(frozen=True)
class Changed:
    """An earlier calculated question and its run again with this turn's change."""

    before: Calculation
    after: Calculation
    changes: tuple[str, ...]  # 「2,000万円 → 1,500万円」 in the officer's terms
    # a figure of the turn moved an earlier one (「あと3か月」) or restated it unchanged (「…のままで」): the turn read
    # alone would take it as a value of its own
    moved: bool = False


def _key(text: str) -> str:
    return nfkc_keep_circled(text)


def _matching(new: Quantity, earlier: Sequence[Quantity]) -> Quantity | None:
    """The earlier figure the new one replaces: the one of the same unit and role, else the only one of the unit."""
    same_role = [q for q in earlier if q.unit == new.unit and q.role == new.role]
    if len(same_role) == 1:
        return same_role[0]
    same_unit = [q for q in earlier if q.unit == new.unit]
    return same_unit[0] if len(same_unit) == 1 else None


def _substituted(earlier: str, turn: str, carried_type: str | None = None) -> tuple[str, tuple[str, ...], bool] | None:
    """The earlier question with the turn's figures and type put in place, and what changed; None when the turn
    changes nothing the earlier question states."""
    base = normalise(earlier)  # the quantity reader's offsets are into this key
    olds = read_quantities(earlier)
    turn_key = normalise(turn)
    read = read_quantities(turn)
    # A figure that says by how much (「3人増やして」「あと3か月使っていたら」) moves the earlier figure of its unit;
    # one said beside a new value of the same unit (「2人増やして定員50人に」) is only how the asker got there.
    steps = {q: _relative_sign(turn_key, q) for q in read}
    values = [q for q in read if not steps[q]]
    news = values + [q for q in read if steps[q] and not any(v.unit == q.unit for v in values)]
    edits: list[tuple[int, int, str]] = []
    changes: list[str] = []
    restated = False
    for new in news:
        if not steps[new] and any(o.unit == new.unit and o.value == new.value for o in olds):
            restated = True  # 「事業費は同じ5,000万円で」: a figure restated unchanged changes nothing
            continue
        old = _matching(new, olds)
        if old is None:
            return None
        if any(s == old.start for s, _, _ in edits):
            return None  # two new figures for one old one: not a single change
        text = turn_key[new.start : new.end]
        if steps[new]:
            moved = old.value + steps[new] * new.value
            if moved < 0:
                return None
            text = _written(moved, old.unit)
        if base[old.start : old.end] != text:
            edits.append((old.start, old.end, text))
            changes.append(f"{base[old.start : old.end]} → {text}")
    wanted = grant_type_of(_TYPE_COMPARED_WITH.sub("", turn))
    stated = grant_type_of(earlier)
    for start, end, text in sorted(edits, reverse=True):
        base = base[:start] + text + base[end:]
    if wanted and wanted != (stated or carried_type):
        # the type word replaced where the question says one, else the new type said first
        base = _TYPE_WORDS.sub(f"{wanted}タイプ", base) if stated else f"{wanted}タイプで申請します。{base}"
        changes.append(f"{stated or carried_type}タイプ → {wanted}タイプ" if stated or carried_type else f"{wanted}タイプで")
    return (base, tuple(changes), restated or any(steps[q] for q in news)) if changes else None


# 「あと3か月」「さらに2人」 before a figure, 「増やす」「延びる」「減る」 after it: the figure is a change, not a value.
_MORE_BEFORE = re.compile(r"(?:あと|さらに|更に|もう|プラス|追加で|追加して)\s*$")
_MORE_AFTER = re.compile(r"\s*(?:増|上乗せ|多く|長く|延ば|延び|延長|追加|プラス)")
_LESS_AFTER = re.compile(r"\s*(?:減|少なく|短く|早く|削|マイナス)")


def _relative_sign(key: str, q: Quantity) -> int:
    """+1 or −1 when the figure says by how much an earlier one moves, 0 when it is a value of its own."""
    after = key[q.end : q.end + 6]
    if _LESS_AFTER.match(after):
        return -1
    if _MORE_AFTER.match(after) or _MORE_BEFORE.search(key[max(0, q.start - 5) : q.start]):
        return 1
    return 0


def _written(value: int, unit: str) -> str:
    """A moved figure in the words the quantity reader reads back: 5,700万円, 3年1か月, 52人, 64.5%."""
    if unit == "円":
        return format_yen(value)
    if unit == "か月":
        years, months = divmod(value, 12)
        return (f"{years}年" if years else "") + (f"{months}か月" if months or not years else "")
    if unit == "%":
        return f"{value / 100:g}%"
    return f"{value:,}{unit}"


def rerun(question: str, history: Sequence[Turn], route: Callable[[str, Sequence[Turn]], object]) -> Changed | None:
    """The most recent earlier question that was calculated, run again with this turn's change."""
    text = _key(question)
    if not _FOLLOW_UP.search(text) or len(text) > 200:
        return None
    users = [i for i, t in enumerate(history) if t.role == "user" and t.content.strip()]
    for i in reversed(users):
        earlier = history[i].content[:MAX_TURN_CHARS]
        before_turns = tuple(history[:i])
        first = route(earlier, before_turns)
        before = getattr(first, "calculation", None)
        if before is None:
            continue
        # the type a turn before that question stated (the asker's type, said once at the start)
        carried = next((k for t in reversed(before_turns) if t.role == "user" and (k := grant_type_of(t.content))), None)
        substituted = _substituted(earlier, question, carried)
        if substituted is None:
            return None
        changed, changes, moved = substituted
        after = getattr(route(changed, before_turns), "calculation", None)
        if after is None or after.kind != before.kind:
            return None
        return Changed(before, after, changes, moved)
    return None


# 「合併の前と後で何人違う？」「さっきの2つでいくら差がある？」: the turn compares two earlier turns' results
_BETWEEN_TURNS = re.compile(r"前と後|前後で|さっきと|先ほどと|最初と|はじめと|元の|もとの|その2つ|2つ|両方|両者|それぞれの場合"
                            r"|(?:案|の場合|のとき|の時)と(?:比べ|比較)")


def compares_back(question: str, history: Sequence[Turn]) -> bool:
    """The turn asks how the result differs from an earlier turn's (「前と後で」「40人案と比べて」): any figure it
    names only points back at the earlier turn that stated it."""
    text = _key(question)
    if not (DIFFERENCE_ASK.search(text) and _BETWEEN_TURNS.search(text)):
        return False  # the cheap test first: reading every earlier turn's figures costs
    named = read_quantities(question)
    if not named:
        return True
    earlier = {(q.value, q.unit) for t in history if t.role == "user" for q in read_quantities(t.content[:MAX_TURN_CHARS])}
    return all((q.value, q.unit) in earlier for q in named)


def _earlier_calculations(history: Sequence[Turn], route: Callable[[str, Sequence[Turn]], object]) -> Iterator[Calculation]:
    """The calculations of the earlier user turns, latest first, each run with the conversation as it stood
    (lazily: a caller that needs one runs one route)."""
    for i in reversed([i for i, t in enumerate(history) if t.role == "user" and t.content.strip()]):
        found = getattr(route(history[i].content[:MAX_TURN_CHARS], tuple(history[:i])), "calculation", None)
        if found is not None:
            yield found


def between_turns(question: str, history: Sequence[Turn], route: Callable[[str, Sequence[Turn]], object]) -> Changed | None:
    """A turn with no figure of its own that asks how two earlier calculated turns differ: the older turn's
    calculation before, the newer one's after (each run with the conversation as it stood)."""
    if not compares_back(question, history):
        return None
    runs = list(islice(_earlier_calculations(history, route), 2))
    if len(runs) != 2 or runs[0].kind != runs[1].kind:
        return None
    after, before = runs
    return Changed(before, after, input_changes(before, after))


def input_changes(before: Calculation, after: Calculation) -> tuple[str, ...]:
    """The inputs two runs of one calculator differ in, 「収容可能人数：25 → 18」."""

    def value_of(value: object) -> object:
        # one amount stated as 「600万円」 by one calculator and as 6000000 by another is no change
        if isinstance(value, str):
            try:
                return parse_amount(value)
            except AmountParseError:
                return value
        return value

    def shown(value: object) -> str:
        return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)

    changes = tuple(f"{k}：{shown(before.inputs[k])} → {shown(after.inputs[k])}" for k in after.inputs
                    if k in before.inputs and value_of(before.inputs[k]) != value_of(after.inputs[k]))
    return changes or ("前の条件 → 後の条件",)


# 「さっきと比べて」「当初の案より」「前の計算から」: the turn's own plan set against the conversation's earlier one
_BACK_TO_EARLIER = re.compile(r"(?:さっき|先ほど|前回|前の|当初|最初|元の|もとの|はじめ)[^。？?]{0,8}?(?:と比べ|と比較|より|との差|から)")
# 「…は600万円のままで」「ほかは変えずに」: an input said to stay as it was makes the earlier run the one compared, when
# the clause after the condition asks how much the result moves (not 「…に下がってしまったら？」, a new case)
_KEPT_AS_BEFORE = re.compile(r"(?:のまま|そのまま|変えず|変えない)(?:で|に|なら|として|の場合)")
_CONDITION = re.compile(r"たら|なら|だと|場合は?|とすると|としたら")


def asks_difference(text: str) -> bool:
    """The turn asks how much a result moves: a word of change in what it asks, after its last condition when it
    states one (「標準タイプになったら、負担はどれだけ増える？」; not 「申請率が58%に下がったら？」, which states a new case)."""
    conditions = list(_CONDITION.finditer(text))
    return bool(DIFFERENCE_ASK.search(text[conditions[-1].end() :] if conditions else text))


def against_earlier(question: str, history: Sequence[Turn], own: Calculation,
                    route: Callable[[str, Sequence[Turn]], object]) -> Changed | None:
    """A turn with a plan of its own that asks how it differs from the earlier one (「定員を18人にしたら？さっきと比べ
    ていくら減る？」): the latest earlier calculated turn of the same calculator before, this turn's run after."""
    text = _key(question)
    if not DIFFERENCE_ASK.search(text):
        return None
    if not _BACK_TO_EARLIER.search(text):
        kept = _KEPT_AS_BEFORE.search(text)
        if kept is None or not asks_difference(text[kept.end() :]):
            return None
    earlier = next(_earlier_calculations(history, route), None)
    if earlier is None or earlier.result == own.result:
        return None
    # two calculators of one thing (a 措置額 alone, or with its local share) compare on the figures both state
    shared = [k for k, v in own.result.items() if isinstance(v, int) and not isinstance(v, bool)
              and isinstance(earlier.result.get(k), int)]
    if earlier.kind != own.kind and not shared:
        return None
    return Changed(earlier, own, input_changes(earlier, own))


def _compared_keys(text: str, before: Calculation, after: Calculation) -> list[str]:
    """The results the turn asks to compare: those the sentence that asks how much they move names before its
    asking word (「国費と持ち出しはそれぞれどう変わる」 compares both), else the one named last before it
    (「国費と負担は？ 負担の増え方は？」 compares the burden), else the first both runs state."""
    both = [k for k in after.result if k in before.result and isinstance(after.result[k], int)
            and isinstance(before.result[k], int) and not isinstance(after.result[k], bool)]
    asks = list(DIFFERENCE_ASK.finditer(text))
    head = text[: asks[-1].start()] if asks else text
    sentence = head[max(head.rfind(mark) for mark in "。？?!！") + 1:]

    def named_in(words: str) -> list[tuple[int, str]]:
        return sorted((m.end(), key) for pattern, key in _RESULT_WORDS if key in both for m in re.finditer(pattern, words))

    in_sentence = list(dict.fromkeys(key for _, key in named_in(sentence)))
    if len(in_sentence) >= 2:
        return in_sentence
    named = named_in(head)
    if named:
        return [named[-1][1]]
    for _, key in _RESULT_WORDS:
        if key in both:
            return [key]
    return both[:1]  # a calculator of counts (移住者数の下限): its first result


# The turn asks whether the outcome (採択区分) changes, not an amount: 「結果に違いは出ますか」
_OUTCOME_ASK = re.compile(r"結果|採択|区分|評価|どうなる|どうなり")


def _outcome_difference(question: str, found: Changed) -> Calculation | None:
    before, after = found.before.result.get("採択区分"), found.after.result.get("採択区分")
    if not (isinstance(before, str) and isinstance(after, str)) or not _OUTCOME_ASK.search(_key(question)):
        return None
    change = "、".join(found.changes)
    summary = (f"変わりません。どちらも{after}です（{change}）。" if before == after
               else f"変わります。{before}から{after}になります（{change}）。")
    return combined(found.after.kind, (found.before, found.after), inputs={**found.after.inputs, "変更": change},
                    result={**found.after.result, "変更前の採択区分": before}, formula=_both_formulas(found),
                    summary=summary + found.after.summary)


def _both_formulas(found: Changed) -> str:
    return f"【変更前】\n{found.before.formula}\n【変更後（{'、'.join(found.changes)}）】\n{found.after.formula}"


def _shown_as(key: str) -> Callable[[int], str]:
    """How a result is written: points, a head or company count, else yen."""
    for unit in ("点", "人", "社", "件"):
        if key.endswith(unit) or (unit == "人" and "者数" in key) or (unit in "社件" and f"{unit}数" in key):
            return lambda v, u=unit: f"{v}{u}"  # type: ignore[misc]
    return format_yen


def difference(question: str, found: Changed) -> Calculation | None:
    """「…いくら減りますか」: the named result before and after the change, and their difference, as one calculation
    whose steps are both runs' steps and the difference; 「結果は変わりますか」: the two outcomes (採択区分)."""
    keys = _compared_keys(_key(question), found.before, found.after)
    outcome = _outcome_difference(question, found)
    if outcome is not None and (not keys or keys == ["合計点"]):
        return outcome
    if not keys:
        return None
    change = "、".join(found.changes)
    sentences, steps, result = [], [], dict(found.after.result)
    for key in keys:
        old, new = int(found.before.result[key]), int(found.after.result[key])
        moved = new - old
        shown = _shown_as(key)
        way = "増えます" if moved > 0 else "減ります" if moved < 0 else "変わりません"
        sentences.append(f"{key}は{shown(old)}から{shown(new)}になり、{shown(abs(moved))}{way}" if moved
                         else f"{key}は{shown(new)}のままで変わりません")
        sign = "+" if moved > 0 else "−" if moved < 0 else ""
        steps.append(Step("difference", f"{key}の増減：{shown(new)} − {shown(old)} = {sign}{shown(abs(moved))}",
                          {"変更前": old, "変更後": new}, moved))
        result |= {f"変更前の{key}": old, f"{key}の増減": moved}
    summary = f"{'。'.join(sentences)}（{change}）。"
    return combined(found.after.kind, (found.before, found.after), inputs={**found.after.inputs, "変更": change},
                    result=result, formula=_both_formulas(found) + "".join(f"\n・{s.label}" for s in steps),
                    summary=summary, extra_steps=tuple(steps))
