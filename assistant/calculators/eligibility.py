"""交付対象者: is a municipality eligible for 地方創生テレワーク型?

The list of 東京圏 municipalities with 条件不利地域 or a population decline of 10 % or more is read from the
制度概要's own 参考 table at first use, not retyped here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import lru_cache

from assistant.calculators.common import calculation_of, count, get, optional
from assistant.calculators.rules import fraction, rule, strings
from assistant.errors import CalculationError
from assistant.settings import REPO_ROOT
from assistant.types import Calculation, Step

TOKYO_AREA = strings("tokyo_area")  # 東京都、埼玉県、千葉県及び神奈川県, from the rules table
PREFECTURES = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"]
_KINDS_ONLY = ("市", "町", "村", "政令市", "政令指定都市")  # what stands for a town the question does not name
_TABLE_START = "（参考）東京圏内の条件不利地域を含む市町村"


@lru_cache(maxsize=1)
def listed_municipalities() -> dict[str, str]:
    """municipality -> prefecture, from the 参考 table (a TAB table whose header names the 都県)."""
    source = REPO_ROOT / "corpus" / rule("tokyo_area").source
    lines = source.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(_TABLE_START))
    header = lines[start + 2].split("\t")
    columns: list[str] = []
    for cell in header:  # an empty header cell continues the prefecture to its left
        columns.append(cell.strip() or columns[-1])
    found: dict[str, str] = {}
    for line in lines[start + 3 :]:
        if not line.strip():
            break
        for col, cell in enumerate(line.split("\t")):
            name = cell.strip()
            if name and col < len(columns):
                found[name] = columns[col]
    return found


WHOLE_AREA = "全域"  # a 都県's project over its whole area, limited to no municipality


def eligibility(inputs: Mapping[str, object]) -> Calculation:
    name = str(get(inputs, "自治体名", "市町村")).strip()
    prefecture = str(optional(inputs, "都道府県") or "").strip()
    if not re.fullmatch(r"[一-龥ぁ-んァ-ヶー々ヶ]{1,10}", name.replace(" ", "")):
        raise CalculationError(f"自治体名が読めません: {name!r}")
    if prefecture and prefecture not in PREFECTURES:
        raise CalculationError(f"都道府県名が読めません: {prefecture!r}")
    listed = listed_municipalities()
    if not prefecture and name in listed:
        prefecture = listed[name]
    if name in PREFECTURES:
        prefecture = name
    if not prefecture:
        raise CalculationError(f"「{name}」の都道府県を指定してください（東京圏かどうかで判定が変わります）")
    inputs_out = {"自治体名": name, "都道府県": prefecture}
    who = _shown_name(name, prefecture)
    if prefecture not in TOKYO_AREA:
        return Calculation(
            kind="eligibility", inputs=inputs_out, result={"判定": "対象", "区分": "①東京圏外の地方公共団体"},
            formula=f"{prefecture}は東京圏（東京都・埼玉県・千葉県・神奈川県）外 → ①",
            summary=f"{who if name != prefecture else prefecture}は東京圏外の地方公共団体のため、交付対象となります（①）。",
            rules=(rule("eligible_outside"), rule("tokyo_area")),
        )
    if name in listed and listed[name] == prefecture:
        return Calculation(
            kind="eligibility", inputs=inputs_out, result={"判定": "対象", "区分": "②東京圏内の条件不利地域等の市町村"},
            formula=f"{who}は制度概要の参考一覧（条件不利地域・人口減少率10%以上）に掲載 → ②",
            summary=f"{who}は東京圏内ですが、条件不利地域等の市町村の参考一覧に掲載されているため、交付対象となります（②）。",
            rules=(rule("eligible_listed"), rule("tokyo_area")),
        )
    area = str(optional(inputs, "事業区域") or "").strip()
    if name == prefecture and "・" in area:
        return _prefecture_over_several(prefecture, area.split("・"), inputs_out | {"事業区域": area})
    if name == prefecture and area == WHOLE_AREA:
        inputs_out["事業区域"] = area
        return Calculation(
            kind="eligibility", inputs=inputs_out, result={"判定": "対象外（原則）", "区分": "該当なし"},
            formula=f"{prefecture}は東京圏内の都県、事業区域は{area} → ②の域内に限定していないため③に該当せず",
            summary=f"{prefecture}の{area}を対象とする事業は対象になりません。東京圏内の都県は、②の市町村（条件不利地域を含む"
                    f"市町村、又は人口減少率が10%以上（2010年～2020年）の市町村）の域内に限定して行う事業に限り対象です（③）。",
            rules=(rule("eligible_prefecture"), rule("eligible_listed"), rule("tokyo_area")),
        )
    if name == prefecture and area:
        inputs_out["事業区域"] = area
        if listed.get(area) == prefecture:
            return Calculation(
                kind="eligibility", inputs=inputs_out, result={"判定": "対象", "区分": "③"},
                formula=f"{prefecture}は東京圏内の都県、{area}は参考一覧に掲載（②）→ その域内に限定すれば③",
                summary=f"{prefecture}は、{area}（条件不利地域等の参考一覧に掲載）の域内に事業を限定して行う場合、交付対象となります（③）。",
                rules=(rule("eligible_prefecture"), rule("eligible_listed"), rule("tokyo_area")),
            )
        return Calculation(
            kind="eligibility", inputs=inputs_out, result={"判定": "対象外（原則）", "区分": "該当なし"},
            formula=f"{prefecture}は東京圏内の都県、{area}は参考一覧に掲載なし → ③に該当せず",
            summary=f"{area}は条件不利地域等の参考一覧に掲載がないため、{prefecture}がその域内に限定しても原則として交付対象外です（一覧は参考のため、詳細は担当窓口にご確認ください）。",
            rules=(rule("eligible_prefecture"), rule("eligible_listed"), rule("tokyo_area")),
        )
    if name == prefecture:
        return Calculation(
            kind="eligibility", inputs=inputs_out, result={"判定": "条件付き", "区分": "③"},
            formula=f"{prefecture}は東京圏内の都県 → ②の域内に事業を限定する場合のみ③",
            summary=f"{prefecture}は、②の市町村の域内に事業を限定して行う場合に限り対象となります（③）。",
            rules=(rule("eligible_prefecture"), rule("tokyo_area")),
        )
    decline = optional(inputs, "人口減少率")
    if decline is not None:
        return _by_population_decline(name, prefecture, inputs_out, Fraction(str(decline)) / 100)
    if name in _KINDS_ONLY and name not in ("政令市", "政令指定都市") and optional(inputs, "政令指定都市") is not True:
        # a town not named (「埼玉県の村です」): the table cannot be looked up, so the rule is the answer
        return calculation_of("eligibility", dict(inputs_out), {"判定": "条件付き", "区分": "②"},
                              f"{prefecture}は東京圏内です。東京圏内の{name}は、条件不利地域を含む市町村（制度概要の参考一覧に掲載）か、"
                              f"2010年～2020年の人口減少率が{_decline_line()}以上であれば②として"
                              f"交付対象となります。",
                              [Step("gate", f"{prefecture}は東京圏内 → ①に該当せず", {"都道府県": prefecture}, False,
                                    rule("tokyo_area")),
                               Step("gate", f"条件不利地域を含む市町村（参考一覧）又は人口減少率{_decline_line()}以上 → ②", {}, None,
                                    rule("eligible_listed"))])
    if (optional(inputs, "政令指定都市") is True or name in ("政令市", "政令指定都市")) and name.endswith("市"):
        # the 参考 table's own heading leaves 政令指定都市 out of 条件不利地域を含む市町村, whatever areas they contain
        return Calculation(
            kind="eligibility", inputs=inputs_out | {"政令指定都市": True}, result={"判定": "対象外（原則）", "区分": "該当なし"},
            formula=f"{prefecture}は東京圏内、{name}は政令指定都市（条件不利地域を含む市町村から除く）、参考一覧に掲載なし → ①②に該当せず",
            summary=f"{who}は東京圏内の政令指定都市で、条件不利地域を含む市町村からは政令指定都市が除かれ、参考一覧にも"
                    f"掲載がないため、原則として交付対象外です（詳細は担当窓口にご確認ください）。",
            rules=(rule("tokyo_area"), rule("listed_table"), rule("eligible_listed")),
        )
    return Calculation(
        kind="eligibility", inputs=inputs_out, result={"判定": "対象外（原則）", "区分": "該当なし"},
        formula=f"{prefecture}は東京圏内、{name}は参考一覧に掲載なし → ①②に該当せず",
        summary=f"{who}は東京圏内で、条件不利地域等の市町村の参考一覧にも掲載がないため、原則として交付対象外です（一覧は参考のため、詳細は担当窓口にご確認ください）。",
        rules=(rule("tokyo_area"), rule("eligible_listed")),
    )


def _decline_line() -> str:
    """The census decline's line as the documents write it (10%), from the rules table."""
    return f"{float(fraction('population_decline') * 100):g}%"


def _shown_name(name: str, prefecture: str) -> str:
    """The municipality as an answer names it: 「神奈川県の町」 for one named only by its kind (no town is called 町),
    「神奈川県真鶴町」 for a named one."""
    return f"{prefecture}の{name}" if name in _KINDS_ONLY else f"{prefecture}{name}"


def _by_population_decline(name: str, prefecture: str, inputs_out: Mapping[str, object], rate: Fraction) -> Calculation:
    """A 東京圏 municipality the 参考 table does not list, whose 2010→2020 decline the asker states: ② covers it when
    the decline reaches the rule's line (10 %), whatever the table lists (the table is 参考)."""
    line = fraction("population_decline")
    meets = rate >= line
    said = f"{float(rate * 100):g}%"
    at_line = _decline_line()
    who = _shown_name(name, prefecture)
    steps = [Step("gate", f"{prefecture}は東京圏内 → ①に該当せず", {"都道府県": prefecture}, False, rule("tokyo_area")),
             Step("gate", f"人口減少率{said}（2010年～2020年）：{at_line}以上 {'○' if meets else '×'}", {"人口減少率": said},
                  meets, rule("population_decline"))]
    if meets:
        summary = (f"{who}は東京圏内ですが、2010年～2020年の人口減少率が{at_line}以上の市町村は②として交付対象となり得ます"
                   f"（お示しの減少率{said}は該当。減少率は総務省統計局「国勢調査」の結果で算出します）。")
        result: dict[str, object] = {"判定": "対象", "区分": "②東京圏内の人口減少率10%以上の市町村"}
    else:
        summary = (f"{who}の人口減少率{said}は{at_line}に届かないため、この要件では対象になりません。東京圏内では、条件不利地域を"
                   f"含む市町村であれば②として対象となり得ます（参考一覧をご確認ください）。")
        result = {"判定": "対象外（原則）", "区分": "該当なし"}
    return calculation_of("eligibility", {**inputs_out, "人口減少率": said}, result, summary, steps)


def _prefecture_over_several(prefecture: str, areas: list[str], inputs_out: Mapping[str, object]) -> Calculation:
    """A 東京圏 都県's project over several municipalities: a 交付対象者 (③) only when each is one the 参考 table
    lists (②); the ones it does not list named."""
    listed = listed_municipalities()
    inside = [a for a in areas if listed.get(a) == prefecture]
    outside = [a for a in areas if listed.get(a) != prefecture]
    steps = [Step("gate", f"{a}：参考一覧に{'掲載' if a in inside else '掲載なし'}", {"市町村": a}, a in inside,
                  rule("eligible_listed")) for a in areas]
    rules = (rule("eligible_prefecture"), rule("eligible_listed"), rule("tokyo_area"))
    if not outside:
        summary = (f"{'・'.join(inside)}はいずれも参考一覧（条件不利地域・人口減少率10%以上）に掲載されているため、"
                   f"{prefecture}がその域内に事業を限定して行うなら交付対象となります（③）。")
        verdict = "対象"
    else:
        summary = (f"{'・'.join(outside)}は参考一覧に掲載がないため、{'・'.join(outside)}を含めると②の域内に限定した事業ではなくなり、"
                   f"{prefecture}の事業は原則として交付対象外です。"
                   + (f"{'・'.join(inside)}（掲載あり）の域内に限定すれば対象となります（③）。" if inside else ""))
        verdict = "対象外（原則）"
    return Calculation(kind="eligibility", inputs=inputs_out, result={"判定": verdict, "区分": "③" if not outside else "該当なし",
                                                                       "掲載なし": outside},
                       formula="\n".join(f"・{s.label}" for s in steps), summary=summary, rules=rules, steps=tuple(steps))


def listed_count(prefectures: Sequence[str] = (), kind: str | None = None) -> Calculation:
    """How many municipalities the 参考 table lists, in all and for each 都県 asked about (市・町・村 apart); with a
    `kind` asked (「村はいくつ」), that kind's count leads, by 都県 and by name."""
    listed = listed_municipalities()
    by_prefecture = Counter(listed.values())
    asked = [p for p in prefectures if p in by_prefecture] or [p for p in TOKYO_AREA if p in by_prefecture]
    table = rule("listed_table")
    steps = []
    parts = []
    result: dict[str, object] = {"合計": len(listed)}
    for prefecture in asked:
        kinds = Counter(name[-1] for name, p in listed.items() if p == prefecture)
        split = "・".join(f"{k}{kinds[k]}" for k in "市町村" if kinds[k])
        steps.append(Step("sum", f"{prefecture}：{split} = {by_prefecture[prefecture]}団体", {"都県": prefecture},
                          by_prefecture[prefecture], table))
        parts.append(f"{prefecture}{by_prefecture[prefecture]}団体（{split}）")
        result[prefecture] = by_prefecture[prefecture]
    steps.append(Step("sum", f"参考一覧の合計：{' + '.join(str(by_prefecture[p]) for p in TOKYO_AREA if p in by_prefecture)}"
                             f" = {len(listed)}団体", {}, len(listed), table))
    summary = f"参考一覧の掲載は{'、'.join(parts)}で、4都県の合計は{len(listed)}団体です。"
    if kind:
        of_kind = [(name, p) for name, p in listed.items() if name.endswith(kind) and p in asked]
        split = "、".join(f"{p}{sum(q == p for _, q in of_kind)}{kind}（{'・'.join(n for n, q in of_kind if q == p)}）"
                         for p in asked if any(q == p for _, q in of_kind))
        steps.append(Step("sum", f"{kind}の数：{len(of_kind)}団体", {"種別": kind}, len(of_kind), table))
        result[f"{kind}の数"] = len(of_kind)
        where = "・".join(asked) if len(asked) < len(by_prefecture) else "4都県"
        summary = (f"参考一覧に載っている{kind}は{len(of_kind)}団体です：{split}。" if of_kind else
                   f"参考一覧の{where}の欄に{kind}は載っていません（0団体）。") + summary
    return calculation_of("listed_count", {"都県": list(asked), **({"種別": kind} if kind else {})}, result, summary, steps)


def listed_names(prefectures: Sequence[str], unlisted: Sequence[str] = ()) -> Calculation:
    """The municipalities the 参考 table lists for each 都県 asked about, by name, in the table's order; municipalities
    the asker names that it does not list (`unlisted`) are said to be absent from it, so not eligible as ②."""
    listed = listed_municipalities()
    asked = [p for p in prefectures if p in set(listed.values())]
    if not asked:
        raise CalculationError("参考一覧の都県（東京都・埼玉県・千葉県・神奈川県）を指定してください")
    table = rule("listed_table")
    steps, parts = [], []
    result: dict[str, object] = {}
    for prefecture in asked:
        names = [name for name, p in listed.items() if p == prefecture]
        steps.append(Step("sum", f"{prefecture}（{len(names)}団体）：{'、'.join(names)}", {"都県": prefecture}, len(names),
                          table))
        parts.append(f"{prefecture}は{len(names)}団体で、{'、'.join(names)}")
        result[prefecture] = names
    summary = (f"参考一覧（東京圏内の条件不利地域を含む市町村又は2010年～2020年の人口減少率が10%以上の市町村）に載っているのは、"
               f"{'。'.join(parts)}です。")
    absent = [n for n in unlisted if n not in listed]
    if absent:
        steps.append(Step("gate", f"{'・'.join(absent)}：参考一覧に掲載なし", {"市町村": list(absent)}, False, table))
        summary += (f"{'・'.join(absent)}は一覧に載っていないため、②の市町村としては交付対象外です"
                    f"（一覧は参考のため、詳細は担当窓口にご確認ください）。")
        result["掲載なし"] = list(absent)
    return calculation_of("listed_names", {"都県": list(asked), **({"市町村": list(absent)} if absent else {})},
                          result, summary, steps)


def population_decline(inputs: Mapping[str, object]) -> Calculation:
    """The 2010→2020 population decline a 東京圏 municipality may qualify by (②: 10 % or more, from the 国勢調査):
    the rate, whether it reaches the line, and the largest 2020 population that would have (2010's less 10 %,
    rounded down to whole people)."""
    before = count(inputs, "2010年人口", maximum=100_000_000)
    after = count(inputs, "2020年人口", maximum=100_000_000)
    if before == 0:
        raise CalculationError("2010年の人口が0人では減少率を計算できません")
    line = fraction("population_decline")
    at_line = _decline_line()
    rate = Fraction(before - after, before)
    meets = rate >= line
    ceiling = math.floor(before * (1 - line))
    shown = f"{float(rate * 100):.2f}%"
    steps = [
        Step("difference", f"減少数：{before:,}人 − {after:,}人 = {before - after:,}人", {"2010年": before, "2020年": after},
             before - after, rule("population_census")),
        Step("rate", f"減少率：{before - after:,}人 ÷ {before:,}人 = {shown}", {}, shown, rule("population_decline")),
        Step("gate", f"{at_line}以上：{'○' if meets else '×'}", {}, meets, rule("population_decline")),
        Step("rate", f"{at_line}に届く2020年の人口：{before:,}人 × (1 − {at_line}) = {ceiling:,}人以下", {}, ceiling,
             rule("population_decline")),
    ]
    if meets:
        summary = (f"人口減少率は{shown}で、要件（2010年～2020年の人口減少率{at_line}以上）を満たします。東京圏内の市町村でも"
                   f"この要件で交付対象となります（②）。")
    else:
        summary = (f"人口減少率は{shown}で、要件（2010年～2020年の人口減少率{at_line}以上）に届かないため、この要件では交付対象に"
                   f"なりません。{at_line}以上になるのは2020年の人口が{ceiling:,}人以下の場合です。")
    result = {"人口減少率": shown, "要件": meets, "10%に届く2020年人口の上限": ceiling}
    return calculation_of("population_decline", {"2010年人口": before, "2020年人口": after}, result, summary, steps)
