"""Question -> calculator, or None for the retrieval path.

A question goes to a calculator only when it both names a calculable thing (国費はいくら, 加点, 採択区分,
返還, 一般管理費, 認められますか for B1/B2, 対象になりますか for a municipality) and gives at least one of its
inputs. Missing inputs are looked up in earlier user turns (most recent first); whatever is still missing is
asked for by name (clarification), never guessed. A wrong route is worse than none, so shapes are strict.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

from assistant.calculators import CALCULATORS, calculate, followup, shares
from assistant.calculators.amounts import find_amounts, parse_amount
from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.applicants import read_applicants, with_applicants
from assistant.calculators.budgets import Budget, catalogue_budgets, compare_budgets, named_budgets, names_of
from assistant.calculators.checks import (
    b_limits,
    b_shares,
    cost_for_national,
    cost_from_share,
    example_rate,
    example_share,
    facility_counts,
    kpi_check,
    kpi_minimums,
    project5_count,
    user_share,
)
from assistant.calculators.common import combined
from assistant.calculators.eligibility import (
    PREFECTURES,
    TOKYO_AREA,
    WHOLE_AREA,
    listed_count,
    listed_municipalities,
    listed_names,
)
from assistant.calculators.examples import (
    Example,
    example_at_type,
    example_burdens,
    example_kpi_check,
    example_metric,
    example_row_totals,
    examples_listed,
    examples_of,
    named_examples,
    rows_asked,
    sum_examples_of,
    targets_asked,
)
from assistant.calculators.grants import UP_TO_THE_LIMIT
from assistant.calculators.lists import count_lists, lists_asked
from assistant.calculators.plan import (
    INPUT_WORDS,
    TYPES,
    UP_TO_THE_CAP,
    Departure,
    Facility,
    Plan,
    calculate_by_size,
    calculate_caps,
    calculate_digital_env,
    calculate_plan,
    calculate_repayment_dates,
    calculate_repayments,
    calculate_trial_office,
    facilities_at_cap,
    maximum_plan,
    missing_inputs,
    read_plan,
)
from assistant.calculators.rules import fraction, integer
from assistant.calculators.schedule import Event, date_in_phase, days_between, events_named
from assistant.calculators.scoring import adoption_of_grade, scale_arithmetic, score_needed
from assistant.confirmation import NO_CONCERN
from assistant.errors import AmountParseError, CalculationError
from assistant.japanese import nfkc_keep_circled
from assistant.programme_parts import FACILITIES, FIFTH, NAMES_FACILITIES, NAMES_FIFTH
from assistant.quantities import INSTALMENTS, Quantity, normalise, of_role, read_quantities
from assistant.types import Calculation, Step, Turn
from assistant.verdict import is_yes_no
from assistant.vocabulary import grant_type_of


@dataclass(frozen=True)
class Route:
    kind: str
    calculation: Calculation | None
    missing: tuple[str, ...]
    clarification: str | None


def _n(text: str) -> str:
    return nfkc_keep_circled(text)  # ⑤事業 must stay ⑤, not become 「5事業」


# ---- input extractors: text -> value or None -------------------------------------------------------
def _amount_after(text: str, keywords: str) -> int | None:
    """The first amount that follows one of the keywords (within a few characters)."""
    norm = _n(text)
    amounts = find_amounts(norm)
    if not amounts:
        return None
    for m in re.finditer(keywords, norm):
        for yen, start, _ in amounts:
            if 0 <= start - m.end() <= 12:
                return yen
    return None


def _first_amount(text: str) -> int | None:
    found = find_amounts(_n(text))
    return found[0][0] if found else None


def _people(text: str) -> int | None:
    t = _n(text)
    m = re.search(r"(?:定員|利用定員|収容人数|収容可能人数|収容)\s*(?:は|が|:)?\s*(\d+)\s*(?:人|名)", t) or re.search(
        r"(\d+)\s*(?:人|名)\s*(?:規模|以上|程度|収容|の施設|が入れる|が利用|用の|定員|の(?:シェア|サテライト|コワーキング))", t
    )
    return int(m.group(1)) if m else None


_grant_type = grant_type_of


def _companies(text: str) -> int | None:
    m = re.search(r"(\d+)\s*社(?!\s*(?:あたり|当たり|につき))", _n(text))  # 「1社あたり」 is a rate, not a count
    return int(m.group(1)) if m else None


# 「件数の上限まで」「KPIの社数分」: as many companies as the KPI counts
_UP_TO_THE_LIMIT = re.compile(r"件数の?上限(?:まで|いっぱい|どおり)|上限件数(?:まで|いっぱい)|KPIの(?:社数|企業数|数)(?:分|まで|だけ)")


def _companies_paid(text: str) -> int | str | None:
    """The companies a 進出支援金 question pays (not the KPI's count beside them); 「件数の上限まで」 pays as many as
    the KPI counts, whatever it is changed to later in the conversation."""
    counts = read_quantities(text)
    if any(q.role == "KPI企業数" for q in counts):
        paid = next((q.value for q in counts if q.role == "社数"), None)
        return UP_TO_THE_LIMIT if paid is None and _UP_TO_THE_LIMIT.search(_n(text)) else paid
    return _companies(text)



_TOTAL_SCORE = re.compile(r"(?:合計|総合評価(?:点数)?|総合|総計|計)(?:点数)?(?:が|は|:)?\s*(\d+)\s*点"
                          r"|素点(?:の?合計)?(?:が|は|:)?\s*(\d+)(?:\s*点|(?![\d.%]))")  # 「素点N、…」: 点 left out
_AVERAGE_SCORE = re.compile(r"(\d+)\s*(?:観点|項目|個)[^。\d]{0,6}?平均(?:点)?(?:が|は|で)?\s*(?:ちょうど|約)?\s*(\d+(?:\.\d+)?)\s*点")
_ITEMS_TIMES_POINTS = re.compile(r"(\d+)\s*(?:つ|項目|個|観点|の(?:評価の)?(?:観点|項目))(?:の(?:評価の)?観点)?(?:が|とも|は|を)?\s*"
                                 r"(?:すべて|全て|いずれも|各|それぞれ|どれも|全部|みな|みんな)?\s*(?:が)?\s*"
                                 r"(?:最低の|最高の|満点の)?\s*(\d+)\s*点")
# ⑤'s 付加項目 counted rather than scored: 「付加項目は…の3つとも当てはまる」 (each is worth 1 point)
_EXTRA_ITEMS_MET = re.compile(r"付加(?:項目)?[^。]{0,40}?(\d)\s*(?:つ|項目|個)\s*(?:とも|すべて|全て|全部)?[^。\d]{0,6}?"
                              r"(?:当てはま|あてはま|該当|満た|取れ|とれ|取得|獲得|もらえ|付く|つく|つけ)")
_POINTS = re.compile(r"(\d+)\s*点(?!満点)")
# a change to the earlier total: 「あと1点積み上げられたら」「さらに2点上がれば」「素点が3点増えたら」
_RELATIVE_POINTS = re.compile(r"(?:あと|さらに|もう|プラス|\+)\s*(\d+)\s*点\s*(?:分)?\s*(?:を)?\s*(?:積|上|増|足|加|取|伸|アップ|多|高)"
                              r"|(\d+)\s*点\s*(?:増え|上が|アップ|多く)")
_SHEET_ITEM = re.compile(r"(?:ア|イ|ウ|エ|付加項目|付加)\s*(?:[(（][^)）]{0,12}[)）])?\s*(?:が|は|:)?\s*(\d)(?!\d|\s*[年月日社人%つ個]|\s*項目)")
# 「①が6点、②が6点…」「①政策目的適合性が8点」: a score per numbered viewpoint (summed when there are several)
_VIEWPOINT_SCORE = re.compile(r"[①-④][^、。①-④]{0,30}?(\d{1,2})\s*点")
# item scores (0–3 each, with or without 「点」) written one after another with commas, 、 or ・ between them,
# six or more in a row
_SCORE_LIST = re.compile(r"(?<![\d.])(?:[0-3]\s*点?\s*[,、，・/]\s*){5,}[0-3](?:\s*点)?(?![\d.%])")
# a viewpoint named in words, then its item scores (「…適合性は2・1・2、…持続可能性は1・1・0」)
_NAMED_VIEWPOINT_LIST = re.compile(r"(?<=[がはで:：])\s*((?:[0-3]\s*・\s*)+[0-3])(?![\d.%])")
_VIEWPOINT_LIST = re.compile(r"[①-④][^\d①-④。]{0,6}?((?:[0-3]\s*[・,、/]\s*)+[0-3])(?![\d.%])")
_POINTS_TIMES_ITEMS = re.compile(r"(\d+)\s*点(?:(?:が|を|の)\s*(\d+)\s*(?:項目|個|つ|観点)|\s*[×xX*]\s*(\d+)(?!\s*[%万円人社]))")
_BONUS_POINTS = re.compile(r"加点(?:は|が)?\s*(\d)\s*点|(\d)\s*点(?:の)?加点")


MAX_ITEM_POINTS = 3  # each viewpoint's item (ア・イ・ウ, ⑤'s ア・イ) is scored 1–3, an added item 0–1


def _mixed_sheet(t: str) -> int | None:
    """A sheet written partly by item letter and partly as lists (「①…がア3・イ2・ウ2、②…が2・2・1、③…が2・1・2」):
    every item score of either form, each span read once; None unless both forms are there."""
    spans: list[tuple[int, int, int]] = []  # start, end, points
    for m in _SHEET_ITEM.finditer(t):
        spans.append((m.start(1), m.end(1), int(m.group(1))))
    lettered = len(spans)
    for pattern in (_VIEWPOINT_LIST, _NAMED_VIEWPOINT_LIST):
        for m in pattern.finditer(t):
            if any(a < m.end(1) and m.start(1) < b for a, b, _ in spans):
                continue  # the letters' own scores, already read
            spans += [(m.start(1) + d.start(), m.start(1) + d.end(), int(d.group())) for d in re.finditer(r"\d", m.group(1))]
    return sum(p for _, _, p in spans) if len(spans) > lettered and len(spans) >= 4 else None


_EXTRA_SCORED = re.compile(r"付加(?:項目)?([^。]{1,80}?)(?<![\d.])(?:(?:それぞれ|各)\s*)?(\d)\s*点(\s*ずつ)?")
_EACH_OF_THEM = re.compile(r"(?:それぞれ|各)\s*$")
_ITEM_JOIN = re.compile(r"(?:点|こと|もの|項目|」)\s*(?:と|や|及び|および)、?")


def _extra_points(t: str) -> list[int]:
    """⑤'s 付加項目 scored after their words (「付加項目は…で1点」). Items named in brackets count as one word each
    (their names are long), and 「N点ずつ」「それぞれN点」 after several of them gives each its N."""
    bracketed = re.sub(r"「[^」]*」", "「」", t)
    points = []
    for m in _EXTRA_SCORED.finditer(bracketed):
        each = int(m.group(2))
        named = m.group(1)
        if m.group(3) or _EACH_OF_THEM.search(bracketed[: m.start(2)]):
            # 「AとBでそれぞれ1点」「「A」「B」で1点ずつ」: each item named before it gets the points
            points.append(each * max(named.count("「」"), len(_ITEM_JOIN.findall(named)) + 1))
        else:
            points.append(each)
    return points


def _score(text: str) -> int | None:
    """The total score: stated (「合計19点」「総合評価点数が21点」), or items × points plus further items
    (「6つがすべて2点、付加項目は1点」 = 13), or the only score mentioned. Several scores and no total: None,
    so the router asks instead of taking the first (「2点」 of 「6つがすべて2点」 is not a total)."""
    t = _n(text)
    if m := _TOTAL_SCORE.search(t):
        return int(m.group(1) or m.group(2))
    if _RELATIVE_POINTS.search(t):
        return None  # 「あと1点積み上げたら」: a change to a total stated before (the follow-up adds it)
    if m := _AVERAGE_SCORE.search(t):
        # 「12観点の平均2.5点」: the items times their average (a total of whole points)
        total = int(m.group(1)) * Fraction(m.group(2))
        return int(total) if total.denominator == 1 else None
    # A sheet given item by item: 「ア3・イ2・ウ2」 (and ⑤'s 付加項目), or 「3点が4項目、2点が5項目」.
    # ⑤'s 付加項目 named by what they reward (付加項目, some words, N点): scored after their words, when the sheet
    # itself does not list them
    extra = [] if re.search(r"付加(?:項目)?\s*(?:[(（][^)）]{0,12}[)）])?\s*(?:が|は|:)?\s*\d(?!\s*つ)", t) else _extra_points(t)
    sheet = _SHEET_ITEM.findall(t)
    if any(int(x) > MAX_ITEM_POINTS for x in sheet):
        return None  # an item is scored 0–3: a 9 is not a score the sheets give (asked back, not summed)
    # 「付加項目は…の2つが取れそう」: added items counted, not scored (each is worth 1 point)
    met = _EXTRA_ITEMS_MET.search(t) if not extra else None
    counted = int(met.group(1)) if met else 0
    if len(sheet) >= 4:
        return sum(int(x) for x in sheet) + sum(extra) + counted
    if sheet and (mixed := _mixed_sheet(t)) is not None:
        return mixed + sum(extra) + counted
    groups = _VIEWPOINT_LIST.findall(t) or _NAMED_VIEWPOINT_LIST.findall(t)
    if len(groups) >= 2:
        # a viewpoint mark (①–④) followed by its item scores (N・N・N), for several viewpoints: all summed
        return sum(int(x) for g in groups for x in re.findall(r"\d", g))
    listed = _SCORE_LIST.search(t)
    if listed:
        return (sum(int(x) for x in re.findall(r"\d", listed.group(0))) + (sum(extra) if "付加" not in t[: listed.start()] else 0)
                + counted)
    viewpoints = _VIEWPOINT_SCORE.findall(t)
    if len(viewpoints) >= 2 and not re.search(r"加点[^。]{0,6}[①-④]", t):
        return sum(int(x) for x in viewpoints)
    per_points = _POINTS_TIMES_ITEMS.findall(t)
    if per_points:
        return sum(int(points) * int(items or times) for points, items, times in per_points)
    bonus_spans = [m.span() for m in _BONUS_POINTS.finditer(t)]
    products = list(_ITEMS_TIMES_POINTS.finditer(t))
    if products:
        covered = [m.span() for m in products] + bonus_spans
        rest = [int(m.group(1)) for m in _POINTS.finditer(t) if not any(a <= m.start() < b for a, b in covered)]
        met = _EXTRA_ITEMS_MET.search(t)
        return sum(int(m.group(1)) * int(m.group(2)) for m in products) + sum(rest) + (int(met.group(1)) if met else 0)
    mentions = [m for m in _POINTS.finditer(t) if not any(a <= m.start() < b for a, b in bonus_spans)]
    return int(mentions[0].group(1)) if len(mentions) == 1 else None


def _bonus(text: str) -> int | None:
    """My Number card bonus points: from the stated 12月末申請率 by the rule's bands, else as stated (「加点2点」,
    「加点はなし」). A rate and a bonus both stated: the rate decides (the asker's bonus may be a guess, 「ほぼ60%なので
    2点」); `_bonus_premise` says so."""
    t = _n(text)
    stated_total = _TOTAL_SCORE.search(t)
    if stated_total and re.search(r"含む|含め|(?<!見)込み|うち", t[stated_total.end() : stated_total.end() + 20]):
        return 0  # 「合計22点（マイナンバー加点2点を含む）」: already in the total
    from_rate = _rate_bonus(t)
    return from_rate if from_rate is not None else _stated_bonus(t)


def _stated_bonus(t: str) -> int | None:
    if m := _BONUS_POINTS.search(t):
        return int(m.group(1) or m.group(2))
    if re.search(r"加点(?:は|が)?(?:なし|無し|ない|ありません)", t):
        return 0
    return None


# 「住民12,480人のうち、申請済みが7,613人」: the rate from the two head-counts
_APPLIED_OF_RESIDENTS = re.compile(r"(?:住民|人口|町民|市民|村民)[^。\d]{0,10}?([\d,]+)\s*人[^。]{0,30}?申請[^。\d]{0,8}?"
                                   r"(?:12\s*月末(?:時点)?(?:で|に|は)?)?[^。\d]{0,8}?([\d,]+)\s*人")


def _application_rate(text: str) -> str | None:
    """The My Number card 申請率 the question states (the one at 12月末 first; not a 交付率 or the national
    average beside it), or the one its head-counts give, in percent as written."""
    t = _n(text)
    rates = [q for q in read_quantities(t) if q.role == "申請率"]
    if rates:
        december = [q for q in rates if re.search(r"12\s*月末", t[max(0, q.start - 16) : q.start])]
        return f"{(december or rates)[0].value / 100:g}"
    counted = _counted_rate(t)
    return f"{counted[1] * 100 / counted[0]:.6g}" if counted else None


def _rate_month(text: str) -> str | None:
    """The month the stated 申請率 is of when that is not 12月末 (「10月末の時点で申請率61%」): the bonus is counted
    on the rate at 12月末, so a rate of another month says nothing certain of it. None when a rate at 12月末 is
    stated, or no month is."""
    t = _n(text)
    rates = [q for q in read_quantities(t) if q.role == "申請率"]
    months = [re.search(r"(\d{1,2})\s*月(?:末|時点)", t[max(0, q.start - 16) : q.start]) for q in rates]
    if not rates or any(m is not None and m.group(1) == "12" for m in months) or months[0] is None:
        return None
    return f"{months[0].group(1)}月末"


# 「申請件数はM件」「申請者数がM人」, and the population in either order around it
_APPLICATIONS = re.compile(r"申請(?:件数|者数|数|済み?の?(?:方|人)?|者)[^。\d]{0,8}?(?:12\s*月末(?:時点)?(?:で|に|は|の)?)?"
                           r"[^。\d]{0,6}?([\d,]+)\s*(?:件|人|枚)")


def _counted_rate(t: str) -> tuple[int, int] | None:
    """(residents, applied) when the text gives the 申請率 as two head-counts: 「住民N人のうち申請済みM人」, or a
    count of applications and the population stated apart (「申請件数はM件、人口はN人」)."""
    if m := _APPLIED_OF_RESIDENTS.search(t):
        residents, applied = (int(g.replace(",", "")) for g in m.groups())
        if 0 < applied <= residents:
            return residents, applied
    if m := _APPLICATIONS.search(t):
        applied = int(m.group(1).replace(",", ""))
        population = [q.value for q in read_quantities(t) if q.role == "人口" and not m.start() <= q.start < m.end()]
        if len(population) == 1 and 0 < applied <= population[0]:
            return population[0], applied
    return None


def _with_counted_rate(calculation: Calculation, texts: Sequence[str]) -> Calculation:
    """The 申請率 worked out from head-counts shown as the calculation's first step (the rate states none itself)."""
    for text in texts:
        t = _n(text)
        if any(q.role == "申請率" for q in read_quantities(t)):
            return calculation  # a rate stated as such: nothing was derived
        if counted := _counted_rate(t):
            residents, applied = counted
            shown = f"{applied * 100 / residents:.1f}%"
            step = Step("rate", f"申請率：{applied:,}人 ÷ {residents:,}人 = {shown}", {"申請者数": applied, "住民数": residents},
                        shown)
            return replace(calculation, summary=f"申請率は{applied:,}人÷{residents:,}人で{shown}です。{calculation.summary}",
                           formula=f"・{step.label}\n{calculation.formula}", steps=(step, *calculation.steps))
    return calculation


def _rate_bonus(t: str) -> int | None:
    rate = _application_rate(t)
    if rate is None:
        return None
    try:
        return int(str(calculate("mynumber_bonus", {"12月末申請率": rate}).result["加点"]))
    except CalculationError:
        return None


def _bonus_premise(text: str) -> str:
    """The correction (「ご想定の加点2点ではなく、12月末申請率から加点は1点です。」) when the bonus the asker assumes
    is not what the stated rate gives; else ""."""
    t = _n(text)
    stated, from_rate = _stated_bonus(t), _rate_bonus(t)
    if stated is None or from_rate is None or stated == from_rate:
        return ""
    confirming = re.search(r"ですよね|ますよね|でしょうか|ってこと|ということ|で(?:合って|あって)|ですね[?？]", t)
    return f"{'いいえ、' if confirming else ''}ご想定の加点{stated}点ではなく、12月末申請率から加点は{from_rate}点です。"


_SINGLE_YEAR_KPI = re.compile(r"KPI[^。]{0,40}?(?:(?:1|一)\s*(?:年|か年|カ年|ヵ年)(?:度)?分?(?:だけ|のみ)|単年度(?:だけ|のみ)?|初年度(?:分)?(?:だけ|のみ))")


def _cross(text: str) -> str | None:
    t = _n(text)
    if re.search(r"×(?:が|は)?(?:ある|あり|付|1つ|ひとつ)|×がつ|(?:1つ|一つ|ひとつ|いずれか|どれか)(?:が|でも)?\s*[「『]?×", t):
        return "はい"
    # A requirement the plan cannot meet: the KPI of outside-prefecture companies set to none.
    if re.search(r"(?:県外|都道府県外)の?企業[^。]{0,40}?(?:0\s*社|ゼロ|見込めず|見込めない)", t):
        return "はい"
    # KPIs must be set for several years (「KPI複数年度設定」): a KPI of one year only fails it
    if _SINGLE_YEAR_KPI.search(t):
        return "はい"
    if re.search(r"(?:すべて|全て)(?:○|〇|丸)", t):
        return "いいえ"
    return None


# ⑤'s requirement that the 推進体制 has a 地元企業等 with 法人格 (「法人格を有する組織」): a partner said to lack it
_NO_LEGAL_PERSONALITY = re.compile(r"法人格(?:の|が|を)?(?:ない|無い|なし|持たない|有しない)|任意団体|個人事業主")


# ⑤'s 推進体制 needs a 進出企業 and a 地元企業等: a plan with no local partner yet fails that requirement
# (the local side said missing, not found, not agreed or not joining; or the 推進体制 said to hold 進出企業 only)
_NO_LOCAL_PARTNER = re.compile(r"地元(?:側|の)?(?:の)?(?:パートナー|企業等?|会社|事業者|法人|組織|団体|相手|側)[^。]{0,16}?"
                               r"(?:見つかって(?:い)?な|見つかっていません|見つからな|見つかりません|いな(?:い|く)|いません"
                               r"|おらず|決まって(?:い)?な|決まっていません|なし|無し|まとまら|まとまりません|入って(?:い)?な"
                               r"|入っておらず|入っていません|参加し(?:てい)?な|参加していません|断られ|得られ(?:てい)?な)"
                               r"|推進体制[^。]{0,12}?進出企業(?:\s*\d+\s*社)?(?:しか|だけ|のみ)")


def _cross5(text: str) -> str | None:
    """⑤'s 申請要件: a × stated, a local partner without 法人格, or none at all (the requirement it then fails)."""
    stated = _cross(text)
    if stated == "はい" or _NO_LEGAL_PERSONALITY.search(_n(text)) or _NO_LOCAL_PARTNER.search(_n(text)):
        return "はい"
    return stated


_OUTSIDE_SHARE = re.compile(r"(?:(?:県外|都道府県外)(?:から)?の?(?:利用者|人|方)|利用者のうち(?:県外|都道府県外))[^。]{0,12}?"
                            r"(\d+(?:\.\d+)?)\s*(割|%)")


def _kpi_requirement_failed(texts: list[str], kind: object) -> str | None:
    """A KPI below its type's requirement (県外企業数 3社/1社 以上, 県外利用者の割合 5割/3割 以上) makes the 申請要件
    「×」: the gate that turns any score into D. Returns the unmet requirement in words, or None."""
    for t in texts:
        # 県外企業数 of the KPI below its type's minimum (3社 / 1社)
        qs = read_quantities(t)
        companies = [q.value for q in qs if q.role == "KPI企業数"]
        least = integer("kpi_high_companies" if kind == "高水準" else "kpi_standard_companies")
        if companies and companies[0] < least:
            return f"KPIの県外企業数{companies[0]}社が{least}社未満"
        need = fraction("kpi_high_users" if kind == "高水準" else "kpi_standard_users")
        m = _OUTSIDE_SHARE.search(t)
        users = [q.value for q in qs if q.role == "利用者数"]
        outside = [q.value for q in qs if q.role == "県外利用者数"]
        if m is not None:
            share = Fraction(m.group(1)) / (10 if m.group(2) == "割" else 100)
        elif users and outside and 0 < outside[0] <= users[0]:
            share = Fraction(outside[0], users[0])  # the users planned and those from outside the prefecture
        else:
            continue
        if share < need:
            shown = f"{float(share) * 100:.1f}".removesuffix(".0")
            return f"県外利用者の割合{shown}%が{need.numerator * 10 // need.denominator}割未満"
        return None
    return None


def _applied_type(text: str) -> str | None:
    """The type applied for: 「高水準で申請」; a type named only as an outcome (「標準タイプ採択ということですね」)
    is not what was applied for."""
    t = _n(text)
    if m := re.search(r"(高水準|標準)(?:タイプ)?(?:で|に|として|を)?(?:申請|応募|出す|出し|狙)", t):
        return m.group(1)
    if re.search(r"(?:高水準|標準)(?:タイプ)?(?:で|に|と|として)?(?:の)?(?:採択|通|なる|決定)", t):
        return None
    return grant_type_of(t)


def _elapsed(text: str) -> str | None:
    """A period as written (N年M か月, N年半); a calendar year (YYYY年) is none, nor a payment spread over years
    (「3年に分けて払う」)."""
    t = _n(text)
    for m in re.finditer(r"(?<!\d)(\d{1,2}\s*年\s*(?:半|\d+\s*(?:か月|ヶ月|カ月|ヵ月|日))?|\d+\s*(?:か月|ヶ月|カ月|ヵ月))", t):
        if not INSTALMENTS.match(t, m.end()):
            return m.group(1).replace(" ", "")
    return None


# A facility's size: 「定員10人」「収容30名」, or 「10人の施設」「20人規模」 — not 「職員2名常駐」.
_FACILITY = re.compile(
    r"(?:定員|利用定員|収容人数|収容可能人数|収容)\s*(?:は|が|:)?\s*(\d+)\s*(?:人|名)"
    r"|(\d+)\s*(?:人|名)\s*(?:規模|収容|定員|の(?:施設|オフィス|サテライト|シェア|コワーキング|小規模|大型))"
)
_SAME_FACILITIES = re.compile(r"([2-9])\s*(?:か所|カ所|ヶ所|箇所|施設|棟)[^。？?]{0,12}?(?:それぞれ|各|いずれも)")
_SOFT = re.compile(r"ソフト経費|プロモーション|利用促進|運営以外")


@lru_cache(maxsize=256)
def _facilities(text: str) -> tuple[tuple[int, int], ...]:
    """(収容可能人数, 総事業費) of each facility of a plan: each facility stated with its capacity and its amount in parentheses, several joined by と
    （同5,000万円）」. Each amount is the first one after its facility, before the next facility or the soft costs.
    Anything it cannot pair safely (an amount before the first facility, a facility without an amount) gives
    () — the router then asks or leaves the question to retrieval rather than guess."""
    t = _n(text)
    respective = _respective_facilities(t)
    if respective:
        return respective
    mentions = list(_FACILITY.finditer(t))
    if not mentions:
        return ()
    soft = _SOFT.search(t)
    amounts = find_amounts(t)
    soft_amount = _amount_after(t, _SOFT_AMOUNT)
    plan_amounts = [(yen, start) for yen, start, _ in amounts if not (soft_amount == yen and soft and start > soft.start())]
    if plan_amounts and plan_amounts[0][1] < mentions[0].start():
        return ()  # 「2,800万円で定員10人の施設と…」: amounts before facilities are not paired by guesswork
    out = []
    for m, following in zip(mentions, [*mentions[1:], None], strict=True):
        end = following.start() if following else len(t)
        if soft and m.start() < soft.start() < end:
            end = soft.start()
        own = [yen for yen, start in plan_amounts if m.end() <= start < end]
        if not own:
            return ()
        out.append((int(m.group(1) or m.group(2)), own[0]))
    same = _SAME_FACILITIES.search(t)
    if len(out) == 1 and same:
        out *= int(same.group(1))  # N か所 of one size, each with the same amount (それぞれ)
    return tuple(out)


# 「定員はA棟15人、B棟30人で、整備費はそれぞれ2,000万、3,000万円」: the capacities listed, then
# the amounts in the same order after それぞれ
_CAPACITY_LIST = re.compile(r"(?:定員|収容(?:可能)?人数)(?:は|が|:)?((?:[^。？?、]{0,8}?\d+\s*(?:人|名)、?){2,})")
_RESPECTIVELY = re.compile(r"それぞれ|順に|各々")


def _respective_facilities(t: str) -> tuple[tuple[int, int], ...]:
    listed = _CAPACITY_LIST.search(t)
    if listed is None:
        return ()
    capacities = [int(c) for c in re.findall(r"(\d+)\s*(?:人|名)", listed.group(1))]
    respectively = _RESPECTIVELY.search(t, listed.end())
    if respectively is None:
        return ()
    end = t.find("。", respectively.end())
    amounts = [yen for yen, start, _ in find_amounts(t) if respectively.end() <= start < (end if end != -1 else len(t))]
    return tuple(zip(capacities, amounts, strict=True)) if len(amounts) == len(capacities) else ()


_SOFT_AMOUNT = r"ソフト経費(?:に|は|が|:)?|プロモーション等?(?:の)?(?:ソフト経費)?(?:に|は)?|運営以外の経費(?:に|は)?"


def _facility_input(index: int, field: int) -> Callable[[str], object]:
    def extract(text: str) -> object:
        found = _facilities(text)
        return found[index][field] if len(found) > index else None

    return extract


def _eligible_cost(text: str) -> int | None:
    """The eligible cost a score question states when it asks the 国費 (the quantity reader's)."""
    if not re.search(r"国費|いくら|補助額|交付額", _n(text)):
        return None
    amounts = [q for q in read_quantities(text) if q.unit == "円"]
    found = [q.value for q in amounts if q.role in ("交付対象事業費", "事業費")]
    if not found and len(amounts) == 1 and amounts[0].role == "金額":
        found = [amounts[0].value]  # 「3,000万円の計画」: the one amount stated is the plan's cost
    return found[0] if len(found) == 1 else None


def _fiscal_correction(text: str) -> str | None:
    """The asker's own 財政力補正 (a coefficient the documents do not give): 「財政力補正は0.9」; a hedge may stand
    between the name and the value (「財政力補正を仮にXと置く」「財政力補正はおよそ0.85」)."""
    m = re.search(r"財政力補正(?:係数)?(?:の値)?(?:を|が|は|も)?\s*(?:仮に|かりに|仮で|およそ|約|ざっくり|だいたい)?\s*"
                  r"(\d+(?:\.\d+)?)", text)
    if m:
        return m.group(1)
    # the value further on in the same clause, after who set it (「財政力補正は企画課の指示で仮に0.8とし」); a
    # coefficient is a bare decimal, not an amount, a share or a count
    m = re.search(r"財政力補正[^。？?\d]{0,24}?(\d\.\d+|[0-2])(?![\d.,，万千億円%％割人社件年か])", text)
    return m.group(1) if m else None


def _population(text: str) -> int | None:
    """The population the question states, as the quantity reader reads it (万/千 forms included)."""
    found = [q.value for q in read_quantities(text) if q.role == "人口"]
    return found[0] if found else None


# the asker's city said to be a 政令指定都市 (「うちは政令市ですが」「政令指定都市の…市です」)
_OWN_DESIGNATED_CITY = re.compile(r"(?:うち|当市|本市|私ども|弊市|こちら)[^。]{0,6}?(?:政令市|政令指定都市|指定都市)"
                                  r"|(?:政令市|政令指定都市|指定都市)(?:です|で、|ですが|なので|の[^。]{0,6}市です)")


def _own_designated_city(text: str) -> bool | None:
    return True if _OWN_DESIGNATED_CITY.search(_n(text)) else None


def _population_in(text: str, year: str) -> int | None:
    """The head-count a question gives for a census year (「2010年8,100人、2020年7,000人」「2020年は1万人」): the
    first one after the year and before any other year."""
    t = normalise(text)  # the quantities' offsets are in this form
    for q in read_quantities(text):
        if q.unit != "人":
            continue
        years = re.findall(r"(20\d\d)\s*年", t[max(0, q.start - 20) : q.start])
        if years and years[-1] == year:
            return q.value
    return None


_NOT_A_MUNICIPALITY = {"指定都市", "政令指定都市", "中核市", "市町村", "都市", "特別区", "各市", "当市", "本市", "同市", "当町", "当村", "両町", "両市", "両村",
                       "町村", "市町", "区域", "島しょ部の町村", "県内の市町村"}


# measures whose eligibility is not the municipality's (the 2021 measures, ④'s companies): not the 参考 table's check
_OTHER_MEASURE = re.compile(r"デジタル活用環境構築推進事業|お試しサテライト|進出支援金")


def _municipality(text: str) -> tuple[str | None, str | None]:
    t = _n(text)
    if _OTHER_MEASURE.search(t):
        return None, None  # another measure's eligibility: answered from its passages
    prefecture = next((p for p in PREFECTURES if p in t), None)
    listed = listed_municipalities()
    name = next((n for n in sorted(listed, key=len, reverse=True) if n in t), None)
    if name is None:
        after = t.split(prefecture, 1)[1] if prefecture else t
        # (「神奈川県の市です」 names no city: a name does not open with a particle)
        # (「埼玉県内の村」 neither: a name holds no の)
        m = re.match(r"\s*(?![のにでがはも])([一-龥ぁ-ねは-んァ-ヶー々]{1,6}?[市町村区])", after) if prefecture else None
        if m is None and not prefecture:
            m = re.search(r"([一-龥ァ-ヶー々]{1,6}[市町村])(?:は|が|の|って)", t)
        name = m.group(1) if m else None
    if name in _NOT_A_MUNICIPALITY:
        name = None
    if name is None and prefecture in TOKYO_AREA and re.search(r"(?:都|県)(?:は|が|として)", t):
        name = prefecture
    # (the asker introduced as the municipality's own office, 「…県旭市の企画政策課です」, asks about the municipality)
    municipality_asked = name and re.search(rf"{re.escape(name)}(?:は|が|も)[^。？?]{{0,10}}(?:対象|申請)"
                                            rf"|{re.escape(name)}(?:役所|役場)?の[^。]{{0,8}}(?:課|室|係|担当)(?:です|の|で)", t)
    if name and prefecture in TOKYO_AREA and _prefecture_applies(t, prefecture) and not municipality_asked:
        name = prefecture  # the prefecture applying for itself (県として) for work within one municipality: the applicant is the 県
    return name, prefecture


# two municipalities named together (「A町とB市」「A町、B市」): each is a case of the eligibility check
_TWO_MUNICIPALITIES = re.compile(r"([一-龥々ヶ]{1,4}[市町村])(?:と|や|、|・|及び|および)([一-龥々ヶ]{1,4}[市町村])(?=が|は|の|も|を|、|って|で)")
_ELIGIBILITY_ASK = re.compile(r"対象(?:団体)?(?:に|と)?(?:なり|なれ|なる|です|でしょう|か)|申請(?:すること)?(?:は|が|も)?でき|対象外")


def _several_municipalities(text: str) -> Route | None:
    """「A町とB市はそれぞれ対象になる？」: each municipality checked against the 東京圏 rule and the 参考 table, in the
    order named, with the 都道府県 the question names for the ones the table does not list."""
    pair = _TWO_MUNICIPALITIES.search(text)
    if pair is None or not _ELIGIBILITY_ASK.search(text) or _OTHER_MEASURE.search(text):
        return None
    names = [n for n in pair.groups() if n not in _NOT_A_MUNICIPALITY]
    if len(names) != 2 or names[0] == names[1]:
        return None
    prefecture = next((p for p in PREFECTURES if p in text), None)
    if prefecture and _prefecture_applies(text, prefecture) or re.search(r"区域|域内|に限", text):
        return None  # a 都県's project over these municipalities: one case, checked by the eligibility shape
    listed = listed_municipalities()
    parts = []
    for name in names:
        where = listed.get(name) or prefecture
        if where is None:
            return None  # a municipality whose 都道府県 is unknown: the single check asks for it
        try:
            parts.append(calculate("eligibility", {"自治体名": name, "都道府県": where}))
        except CalculationError:
            return None
    summary = "".join(p.summary for p in parts)
    return Route("eligibility", combined("eligibility", parts, inputs={"自治体名": "・".join(names)},
                                         result={n: p.result.get("判定") for n, p in zip(names, parts, strict=True)},
                                         formula="\n".join(p.formula for p in parts), summary=summary), (), None)


def _prefecture_applies(text: str, prefecture: str) -> bool:
    # 「埼玉県が…」「県として」, or the 県 said again as the project's runner (「県庁企画課です。県が主体で実施する」)
    return re.search(rf"{prefecture}\s*(?:\([^)]{{0,10}}\))?\s*(?:が|は|として|自身)", text) is not None or (  # NFKC: （ -> (
        # (「県として、二つの町に絞って…」: the 県 said as the applicant, its ask after a comma)
        prefecture in text and re.search(r"(?<![市町村])(?:都|県)(?:庁)?(?:が|として)(?:事業主体|主体|実施|申請|事業)|(?<![市町村])(?:都|県)の事業"
                                         r"|(?<![市町村内])(?:都|県)として[、,]", text) is not None)


# 「人口が13%ほど減った」「人口減少率は12.5%」「人口が1割減」: the asker's own 2010→2020 decline, in percent
_DECLINE = re.compile(r"人口減少率(?:は|が|で)?[^。％%割]{0,8}?(?P<rate>\d+(?:\.\d+)?)\s*(?P<unit>%|割)"
                      r"|人口(?:は|が|も)?[^。％%割]{0,16}?(?P<fell>\d+(?:\.\d+)?)\s*(?P<fell_unit>%|割)"
                      r"(?:以上|超|ほど|程度|くらい|ぐらい|近く|強|弱)?(?:の)?(?:減|減少|減っ|減り)")


def _stated_decline(text: str) -> float | None:
    m = _DECLINE.search(_n(text))
    if m is None:
        return None
    number, unit = (m.group("rate"), m.group("unit")) if m.group("rate") else (m.group("fell"), m.group("fell_unit"))
    return float(number) * (10 if unit == "割" else 1)


def _eligible_name(text: str) -> str | None:
    """The municipality asked about; with none named but its decline stated (「千葉県内の村で、人口が15%減った」), its kind (町) stands for it: the decline decides, not the name."""
    name, prefecture = _municipality(text)
    if name is None and prefecture:
        # 「栃木県北部の村」「埼玉県内の政令市」: the kind, which is all the check reads of a town it cannot look up
        kind = re.search(r"(?:うち|当|本|[都県道府]内|[都県道府]|部|の)(?:の)?(政令市|政令指定都市|[市町村])"
                         r"(?=で|は|の|も|です|として|に|、)", _n(text))
        return kind.group(1) if kind else None
    return name


def _business_area(text: str) -> str | None:
    """The municipality a 都県's project is limited to, when the 都県 itself applies."""
    t = _n(text)
    name, prefecture = _municipality(t)
    if not prefecture or name != prefecture:
        return None
    listed = listed_municipalities()
    found = [n for n in sorted(listed, key=t.find) if n in t and listed[n] == prefecture]
    # names listed without their 市町村, the kind said once after them (「A・B・Cの3町」)
    found += [n for n in sorted(listed, key=lambda n: t.find(n[:-1])) if listed[n] == prefecture and n not in found
              and len(n) >= 3 and re.search(rf"(?<![一-龥々ヶ]){re.escape(n[:-1])}(?=[・、と][^。]{{0,20}}?の\s*\d+\s*[市町村]|の\s*\d+\s*[市町村])", t)]
    # municipalities the table does not list, named beside them (「…の3市町に絞って、もし熊谷市も加えたら」)
    others = _unlisted_named(t, prefecture)
    if found and others:
        return "・".join(dict.fromkeys([*found, *others]))
    if found:
        return "・".join(found) if len(found) > 1 else found[0]
    m = re.search(r"([一-龥ァ-ヶー々]{1,6}?[市町村])(?:の区域|の域内|域内|内|に限)", t)
    if m and m.group(1) not in _NOT_A_MUNICIPALITY:
        return m.group(1)
    # the 都県's whole area (「県内全域」「県全域で」): no municipality the project is limited to
    return WHOLE_AREA if re.search(r"(?:[都県]内|[都県]|管内)\s*全域|全県|全都", t) else None


# a municipality's name before a particle; a name may open in kana after a listing particle (「青梅市やあきる野市」)
_MUNICIPALITY_NAMED = re.compile(r"(?:(?<=[市町村][やと])[ぁ-ん]{1,3}|(?<![一-龥々ヶ]))[一-龥々ヶ]{1,4}[市町村]"
                                 r"(?=も|を|と|・|、|の|は|が|まで|に|や|から)")


def _unlisted_named(t: str, prefecture: str) -> list[str]:
    """Municipalities a text names that the 参考 table does not list (「…もし熊谷市も加えたら」「青梅市から聞かれたら」)."""
    listed = listed_municipalities()
    return list(dict.fromkeys(
        m.group() for m in _MUNICIPALITY_NAMED.finditer(t)
        if m.group() not in _NOT_A_MUNICIPALITY and m.group() not in listed and m.group() != prefecture
        and not m.group().startswith(("各", "当", "本", "同", "両", "隣", "全", "他", "近隣", "周辺", "県内", "都内"))))


class _AllOf:
    """Asks when every pattern is found somewhere, in any order — linear where `(?=.*a)(?=.*b)` or `a.*b.*c`
    backtrack quadratically on a long question."""

    def __init__(self, *patterns: str) -> None:
        self.patterns = [re.compile(p) for p in patterns]

    def search(self, text: str) -> bool:
        return all(p.search(text) for p in self.patterns)


class _YesNoAsk:
    """A yes/no ask (「うちの町は対象になりますか」): the pattern found in a sentence that asks no question word of
    its own (「健康ポイントを何に使えるようにしたのか」 asks what, not whether)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def search(self, text: str) -> bool:
        from assistant.question_parts import asks, split_sentences

        # only a sentence that asks: 「…が対象になると聞きました」「…を使えないかと考えています」 tell the asker's
        # story, and the question after them asks something else (a list, a building, a law)
        from assistant.verdict import confirms_what_was_said

        sentences = split_sentences(text)
        # a bare confirmation (「この理解で合っていますか」) asks about the sentence before it
        asking = [sentences[i - 1] + s if i and confirms_what_was_said(s) else s
                  for i, s in enumerate(sentences) if asks(s)]
        return any(self._asks_in(s) for s in asking or sentences)

    def _asks_in(self, text: str) -> bool:
        from assistant.question import INTERROGATIVE

        for m in self.pattern.finditer(text):
            start = max(text.rfind(mark, 0, m.start()) for mark in "。?？!！、") + 1
            ends = [i for i in (text.find(mark, m.end()) for mark in "。?？!！") if i != -1]
            if not INTERROGATIVE.search(text[start : min(ends, default=len(text))]):
                return True
        return False


class _PlanAsk:
    """A plan: two or more facilities, or one facility with the same size repeated or with soft costs; and a
    question about money."""

    def search(self, text: str) -> bool:
        if not re.search(rf"{_MONEY_ASK}|合計", text):
            return False
        count = sum(1 for _ in _FACILITY.finditer(text)) or len(_respective_facilities(_n(text)))
        return count >= 2 or (count == 1 and bool(_SAME_FACILITIES.search(text) or _SOFT.search(text)))


@dataclass(frozen=True)
class _Shape:
    kind: str
    asks: re.Pattern[str] | _AllOf | _PlanAsk | _YesNoAsk  # what makes the question this calculator's
    inputs: dict[str, Callable[[str], object]]  # calculator input -> extractor; the first is the trigger:
    optional: tuple[str, ...] = ()  # without it in the question (or the topic turn) there is nothing to compute
    # Asked, but its inputs cannot be read safely (a plan whose amounts cannot be paired with its facilities):
    # say how to write them rather than fall through to a calculator that would read half of them.
    unreadable: str | None = None

    @property
    def required(self) -> list[str]:
        """The inputs without which there is nothing to compute."""
        return [n for n in self.inputs if n not in self.optional]


def _direct_costs(text: str) -> int | None:
    """The direct costs an overhead is a share of: stated as a total, or the sum of the items listed."""
    stated = _amount_after(text, r"直接経費(?:の)?(?:合計|総額)?(?:が|は|:)?")
    items = [q.value for q in read_quantities(text) if q.role == "直接経費"]
    return sum(items) if len(items) >= 2 else stated


# 「繰り返し」「見返し」 are no repayment, nor 「返還制度」 (whether there must be one is a rule, not an amount)
_REPAY = re.compile(r"返還(?!制度)|返金|返納|(?<!繰り)(?<!折り)(?<!見)(?<!裏)返(?:さ|し|す)")


_OUTCOME = r"採択|区分|結果|どうなり|どうなる|何評価|評価(?:は|に|で|と|を|が)|ランク|判定|ライン|届|通る|通り|受か|落ち"
_MONEY_ASK = r"国費|交付額|補助額|補助され|交付され|いくら|金額|幾ら|国から(?:来|出|もら|入|交付)"
_SHAPES = [
    _Shape("overhead_limit", re.compile(r"一般管理費"),
           {"直接経費合計": _direct_costs}),
    _Shape("b1_b2_check", re.compile(r"(?:B\s*[12]|外構|用地取得|造成|附帯施設|カフェ|宿泊).*(?:認められ|計上でき|可能|大丈夫|範囲内|問題)"),
           {"交付対象事業費": lambda t: _amount_after(t, r"交付対象事業費|整備・?運営費|事業費"),
            "B1": lambda t: _amount_after(t, r"B\s*1\)?|附帯施設|カフェ|宿泊|交流スペース"),
            "B2": lambda t: _amount_after(t, r"B\s*2\)?|外構工事費|用地取得費|造成費|解体費|取得費|外構|用地取得")},
           optional=("B1", "B2")),
    _Shape("digital_env_grant", re.compile(rf"デジタル活用環境構築推進事業.*(?:{_MONEY_ASK})"),
           {"事業費": lambda t: _amount_after(t, r"総額|事業費|総事業費|計画|経費")}),
    _Shape("trial_office_tax", re.compile(r"お試し.*(?:特別交付税|措置額).*(?:いくら|金額|額は)"),
           {"対象経費": lambda t: _amount_after(t, r"対象経費|経費"), "財政力補正": _fiscal_correction},
           optional=("財政力補正",)),
    _Shape("repayment", _REPAY,
           {"受給額": _first_amount,
            "経過": _elapsed}),
    # A score and a question about its outcome, in either order (「21点でした…結果はどうなりますか」).
    _Shape("project5_adoption", _AllOf(r"⑤|進出企業定着", r"\d+\s*点|[アイ]\s*\d|(?:[0-3]\s*[・,、，]\s*){2,}[0-3]", _OUTCOME),
           {"総合評価点数": _score, "加点": _bonus, "申請要件×": _cross5, "タイプ": _grant_type,
            "事業費": lambda t: _amount_after(t, r"総事業費|事業費|交付対象事業費")},
           optional=("加点", "申請要件×", "タイプ", "事業費")),
    _Shape("adoption_decision", _AllOf(r"総合評価|点数|評価点|合計|観点|採点|項目|点が|素点", r"\d+\s*点|素点\s*(?:は|が|:)?\s*\d|[アイ]\s*\d|(?:[0-3]\s*[,、，]\s*){5,}[0-3]|(?:[0-3]\s*・\s*){2,}[0-3]",
                                                  # the outcome asked, or the money it decides (the type sets the rate)
                                                  rf"{_OUTCOME}|{_MONEY_ASK}|持ち出し|負担"),
           {"総合評価点数": _score, "申請タイプ": _applied_type, "加点": _bonus, "申請要件×": _cross,
            "交付対象事業費": _eligible_cost},
           optional=("申請タイプ", "加点", "申請要件×", "交付対象事業費"),
           unreadable="総合評価と採択区分を計算するには、総合評価点数（12の評価の観点の合計、または各項目の点数）を教えてください。"),
    _Shape("mynumber_bonus", re.compile(r"(?:マイナンバー|申請率).*(?:加点|何点|点数)|加点.*(?:申請率|マイナンバー)"),
           {"12月末申請率": _application_rate}),
    _Shape("population_decline", _AllOf(r"2010", r"2020", r"減少|減っ|減り"),
           {"2010年人口": lambda t: _population_in(t, "2010"), "2020年人口": lambda t: _population_in(t, "2020")}),
    _Shape("migrants_minimum", _AllOf(r"移住者", r"何人|最低|下限|何名"),
           {"市町村人口": _population, "タイプ": _grant_type},
           unreadable="移住者数の下限（人口の0.01%以上）を計算するには、施設が所在する市町村の人口を教えてください。"),
    _Shape("local_burden_2021", _AllOf(r"実質(?:的な|的に)?[^。]{0,4}負担", rf"{_MONEY_ASK}|どのくらい|どれくらい"),
           {"事業費": lambda t: _amount_after(t, r"総事業費|事業費|交付対象事業費"), "タイプ": _grant_type}),
    _Shape("relocation_support_national", re.compile(rf"進出支援金.*(?:{_MONEY_ASK}|合計)"),
           {"社数": _companies_paid, "タイプ": _grant_type,
            "支給額": lambda t: 1_000_000 if re.search(r"上限額?どおり|満額|上限まで|最大額", t) else _amount_after(t, r"支給額|1社(?:あたり|当たり|につき)?(?!\s*目)"),
            "KPI企業数": lambda t: next((q.value for q in read_quantities(t) if q.role == "KPI企業数"), None)},
           optional=("支給額", "KPI企業数")),
    _Shape("project5_grant", re.compile(rf"(?:⑤|進出企業定着|地域活性化支援事業|プロジェクト).*(?:{_MONEY_ASK})"),
           {"総事業費": lambda t: _amount_after(t, r"総事業費|事業費|交付対象事業費"), "タイプ": _grant_type}),
    # A plan of several facilities, or a facility plus soft costs (「10人の施設と30人の施設…ソフト経費…国費の合計」).
    _Shape("plan_total", _PlanAsk(),
           {"施設1_収容可能人数": _facility_input(0, 0), "施設1_総事業費": _facility_input(0, 1),
            "施設2_収容可能人数": _facility_input(1, 0), "施設2_総事業費": _facility_input(1, 1),
            "施設3_収容可能人数": _facility_input(2, 0), "施設3_総事業費": _facility_input(2, 1),
            "ソフト経費": lambda t: _amount_after(t, _SOFT_AMOUNT), "施設数": lambda t: len(_facilities(t)) or None,
            "タイプ": _grant_type},
           optional=("施設2_収容可能人数", "施設2_総事業費", "施設3_収容可能人数", "施設3_総事業費", "ソフト経費", "施設数"),
           unreadable="施設ごとに「定員10人の施設（総事業費2,800万円）と定員30人の施設（総事業費5,000万円）」のように、"
                      "収容可能人数と総事業費を並べて教えてください（タイプとソフト経費もあれば添えてください）。"),
    _Shape("grant_amount", re.compile(rf"(?:施設|定員|人|整備|運営).*(?:{_MONEY_ASK})"),
           {"総事業費": lambda t: _amount_after(t, r"総事業費|事業費|総工費|交付対象事業費"),
            "収容可能人数": _people, "タイプ": _grant_type}),
    _Shape("eligibility", _YesNoAsk(r"対象(?:者|団体)?(?:に|と)?(?:なり|なれ|なる|です|でしょう|か)|申請(?:すること)?(?:は|が|も)?でき|活用でき|使え|利用でき"
                                    r"|無理(?:です|でしょう|か)|対象外(?:です|でしょう|なん|か|と|だと)|" + NO_CONCERN +
                                    # applying said otherwise: 「手を挙げることは可能ですか」「申請することは可能ですか」
                                    r"|手を(?:挙|あ)げ(?:る|られ)|(?:申請|応募)(?:する)?(?:こと)?(?:は|が|も)?(?:でき|可能)"),
           {"自治体名": _eligible_name, "都道府県": lambda t: _municipality(t)[1], "事業区域": _business_area,
            "政令指定都市": _own_designated_city, "人口減少率": _stated_decline},
           optional=("都道府県", "事業区域", "政令指定都市", "人口減少率")),
]
_INPUT_NAMES = {"収容可能人数": "収容可能人数（1施設の定員）", "タイプ": "タイプ（高水準／標準）", "申請タイプ": "申請タイプ（高水準／標準）",
                "総事業費": "総事業費", "経過": "申請日から利用終了までの期間"}


# 「①〜④は昨年度に標準で採択」「施設整備は高水準タイプで採択済み」: the type ①～④ were adopted at
# (adopted, or supposed in a follow-up: 「①～④を標準とするなら？」)
_ADOPTED_1_TO_4 = re.compile(r"(?:①\s*[～〜~\-ー－から]*\s*④|[①-④]|施設整備|利用促進)[^。⑤]{0,24}?(高水準|標準)(?:タイプ)?\s*(?:で|に)?\s*(?:の)?"
                             r"(?:採択|だったら|なら|の場合|であれば|になったら)")


def _elements_1_to_4_type(texts: list[str]) -> str | None:
    """The type ①～④ were adopted at, as the conversation states it (⑤ is adopted at that type)."""
    return next((m.group(1) for t in texts if (m := _ADOPTED_1_TO_4.search(t))), None)


def _extract(shape: _Shape, texts: list[str]) -> dict[str, object]:
    """Each input from the first text (current question, then earlier user turns) that states it."""
    found: dict[str, object] = {}
    for name, extractor in shape.inputs.items():
        for text in texts:
            value = extractor(text)
            if value not in (None, ""):
                found[name] = value
                break
    return found


MAX_TURN_CHARS = 400  # inputs are stated in a sentence; longer turns are not searched further


_PLAN_ASK = re.compile(r"国費|交付額|補助額|交付され|補助され|いくら|幾ら|負担|持ち出し|見込|最大|合計|総額|差|違い|どのくらい|どれくらい"
                       r"|増え|減り|変わ|なら|だと|だったら|場合は|たら[?？。]?\s*$|たら[?？]")
# Questions for another calculator: an overhead, B1/B2 shares, the 2021 measures, repayment, scores, KPI.
_OTHER_CALCULATOR = re.compile(r"一般管理費|B\s*[12]|外構|用地|デジタル活用環境|お試しサテライト|特別交付税|返還|返金|返納|撤退|返して|返す|返さ|申請率|マイナンバー"
                               r"|何点|点数|評価|移住者|KPI.*(?:満た|要件)")
_ONE_MORE_FACILITY = re.compile(r"もう\s*(?:1|一)\s*(?:か所|カ所|ヶ所|箇所|施設|棟|つ)")
_ADDING = re.compile(r"足し|加え|追加|もう[1一]つ|[2-3２３]つ目")
_UP_TO_CAP_ASK = re.compile(r"上限(?:額)?(?:いっぱい|まで|どおり)|満額|最大限")
_MAXIMUM_PLAN = re.compile(r"最大限|目一杯|めいっぱい|フルに|上限まで(?:使|活用)|最大で(?:いくら|どれだけ)|天井"
                           r"|(?:一番|最も)大きく(?:なる)?(?:組み合わせ|組合せ|構成)")
_COMPARE = re.compile(r"増え|減り|減る|差|違い|比べ|変わ")


# the cap asked (「上限は合計いくら」「いくらまで見てもらえる」), not a share of it (国費, 補助額, 負担)
_CAP_ONLY_ASK = re.compile(r"上限|いくらまで|どこまで")
_SHARE_ASK = re.compile(r"国費|交付額|補助額|補助され|交付され|負担|持ち出し|手出し|補助率|もらえる額")


def _facility_cap_asked(question: str) -> tuple[Facility, ...]:
    """Facilities of a stated size (「40人くらい」, not a band's bound 「20人未満」) whose cap alone is asked, no
    amount given: each at its band's cap."""
    text = _n(question)
    if not re.search(r"上限", text) or _SHARE_ASK.search(text) or _OTHER_CALCULATOR.search(text):
        return ()
    quantities = read_quantities(question)
    sizes = of_role(quantities, "定員")
    if not sizes or any(q.unit == "円" for q in quantities) or any(
            re.match(r"\s*(?:未満|以上|以下|超|を超え|より)", text[q.end:]) for q in sizes):
        return ()
    return facilities_at_cap(question)


_ASKERS_OWN = re.compile(r"(?<![のこそ])うち(?!訳)|当町|当市|当村|本町|本市|弊|わが町|我が町|私ども|こちらの|町でも|市でも|村でも")


def own_of_asker(text: str) -> bool:
    """The question speaks of the asker's own plan (「うちも…」), not only of an adopted example it names."""
    return bool(_ASKERS_OWN.search(text))


# 「片方を40人規模にしたら」: one of the facilities the conversation planned, at another size
_ONE_OF_THEM = re.compile(r"片方|一方|(?:1|一|ひと)つ(?:だけ)?を|(?:1|一)か所(?:だけ)?を")


# 「何施設まで作れる」「いくつ整備できる」: how many facilities of a size one 団体 may build
_COUNT_ASK = re.compile(r"何(?:施設|か所|カ所|ヶ所|箇所|棟)|いくつ(?:まで)?[^。？?]{0,4}?(?:作|造|つく|整備|建て)|施設(?:の)?数")


def _one_facility_resized(text: str, earlier: list[str]) -> Route | None:
    """The conversation's plan with one of its facilities (the last) at the size this turn gives."""
    sizes = of_role(read_quantities(text), "定員")
    if not earlier or len(sizes) != 1 or not _ONE_OF_THEM.search(text) or any(q.unit == "円" for q in read_quantities(text)):
        return None
    base = _conversation_plan(earlier)
    if base is None:  # an earlier turn that asked the caps of facilities of stated sizes: those facilities at their caps
        at_cap = next((f for f in (facilities_at_cap(e) for e in earlier) if f), ())
        base = Plan(facilities=at_cap, grant_type=next((k for k in map(grant_type_of, earlier) if k), None))
    if len(base.facilities) < 2:
        return None
    plan = replace(base, facilities=(*base.facilities[:-1], replace(base.facilities[-1], people=sizes[0].value)),
                   grant_type=grant_type_of(text) or base.grant_type)
    if all(f.cost is None for f in plan.facilities) and (_CAP_ONLY_ASK.search(text) or plan.grant_type is None):
        return Route("plan_program", calculate_caps(plan), (), None)  # the caps asked, at the new sizes
    try:  # (no type said in the conversation: both, never one of them guessed)
        return Route("plan_program", calculate_plan(plan, (plan.grant_type,) if plan.grant_type else TYPES), (), None)
    except CalculationError:
        return None


def plan_route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """A plan (facilities, soft costs, ③, 進出支援金, ⑤) and a question about its money: the plan program.
    A follow-up that changes the type or one amount, or asks how much more, re-runs the earlier plan."""
    text = _n(question)
    earlier = [t.content for t in reversed(history) if t.role == "user" and t.content.strip()]
    one_changed = _one_facility_resized(text, earlier)
    if one_changed is not None:
        return one_changed
    sized_cap = _facility_cap_asked(question)
    if sized_cap:  # 「40人くらいの施設の上限は？」: the band of that size, its cap
        return Route("plan_program", calculate_caps(Plan(facilities=sized_cap), bool(_COUNT_ASK.search(text))), (), None)
    # 「もし60人入れるようにしたら？」: one input changed, the earlier plan's question asked again
    changes_input = bool(earlier) and len(text) <= 60 and bool(re.search(
        r"(?:なら|だと|だったら|したら|すると|場合は)[?？]?\s*$", text)) and bool(read_quantities(question)) and bool(
        _PLAN_ASK.search(_n(earlier[0])))
    if not (_PLAN_ASK.search(text) or changes_input) or _OTHER_CALCULATOR.search(text):
        return None
    if re.search(r"\d+\s*点", text) and re.search(r"採択|評価|区分|素点", text):
        return None  # a score sheet: the adoption decision decides the type before any 国費
    plan = _plan_of(question)
    if (plan.projects5 or plan.companies) and plan.kpi_companies is None:
        # the KPI's outside-prefecture companies, set for the whole plan, may have been said in an earlier turn
        kpi = next((q.value for e in earlier for q in read_quantities(e) if q.role == "KPI企業数"), None)
        if kpi is not None:
            plan = replace(plan, kpi_companies=kpi)
    if plan.temporary_grant and plan.empty:
        generic = [q.value for q in read_quantities(question) if q.unit == "円" and q.role in ("事業費", "金額")]
        if len(generic) != 1:
            return None
        plan = replace(plan, eligible_given=generic[0])  # 「事業費6,000万円の事業」: the eligible amount as stated
    if not plan.facilities and _MAXIMUM_PLAN.search(text) and re.search(r"施設", text) and all(
            q.unit == "社" for q in read_quantities(question)):
        # the largest plan: with ④ for the companies counted (「3社分を満額」), each at the 進出支援金's maximum
        companies = plan.companies if plan.companies and _UP_TO_CAP_ASK.search(text) else None
        plan = replace(maximum_plan(), grant_type=grant_type_of(text), companies=companies,
                       support_each=integer("relocation_max") if companies else None)
    base: Plan | None = None
    # the plan the conversation has built, read once whichever step below needs it first
    read: list[Plan | None] = []

    def so_far() -> Plan | None:
        if not read:
            read.append(_conversation_plan(earlier))
        return read[0]

    cap_asked_before = any(re.search(r"上限|最大|いくらまで", _n(e)) and facilities_at_cap(e) for e in earlier)
    if plan.empty and (_UP_TO_CAP_ASK.search(text) or re.search(r"最大|上限", text) or (
            cap_asked_before and re.search(_MONEY_ASK, text))):
        # (an earlier turn asked the cap of a facility of a stated size: 「それが…なら国費は？」 is that facility at its cap)
        # 「その場合、上限いっぱい使うと国費は？」「その組み合わせで国費は最大いくら？」: the facilities said in this
        # turn (「その40人規模のを2か所」) or else an earlier one, each at its cap
        # (the conversation's facilities when a turn since added one: 「同じ規模の施設をもう1つ」)
        conversation = so_far()
        sized = facilities_at_cap(question, counted_only=True) or _with_one_more(
            (conversation.facilities if conversation is not None and conversation.facilities
             and all(f.cost is None for f in conversation.facilities) else ())
            or next((f for f in (facilities_at_cap(e) for e in earlier) if f), ()), question)
        if sized:
            plan = Plan(facilities=sized, grant_type=grant_type_of(text))
    adding = bool(_ADDING.search(text)) and bool(earlier)
    # A turn that states only part of a plan changes the earlier plan when it reads as a follow-up
    # (「では進出支援が10社なら？」), not when it asks its own question (「3社に満額支給する場合の国費は？」).
    elliptic = bool(re.match(r"\s*(?:では|じゃあ|それで|その場合|もし|それなら|なら)", text)) or (
        len(text) <= 40 and bool(re.search(r"(?:なら|だと|だったら|では|場合は)[?？]?\s*$", text)))
    if plan.empty or adding or (earlier and _is_partial(plan) and elliptic):
        base = so_far()
        if base is None or len(text) > 120:
            single = _single_cost_asked(question) if plan.empty else None
            if single is not None:
                plan = replace(plan, eligible_given=single)
            elif plan.empty:
                return None
        else:
            plan = _changed(base, question)
            restated = read_plan(f"{earlier[0]}\n{question}")
            if plan == base and not any(q.unit == "円" for q in read_quantities(question)) and restated.projects5:
                plan = replace(restated, grant_type=plan.grant_type)  # 「実は⑤を1件採択済みでした」: the facts added
    if earlier and re.search(r"そのまま|同じ|変えず|据え置", text) and base is None:
        kept = so_far()
        if kept is not None:
            plan = replace(plan, soft=plan.soft or kept.soft, soft_to_cap=plan.soft_to_cap or kept.soft_to_cap,
                           promotion3=plan.promotion3 or kept.promotion3, companies=plan.companies or kept.companies,
                           support_each=plan.support_each or kept.support_each,
                           support_groups=plan.support_groups or kept.support_groups,
                           grant_type=plan.grant_type or kept.grant_type)
    adopted = _elements_1_to_4_type([text, *(_n(e) for e in earlier)])
    only_project5 = not (plan.facilities or plan.soft or plan.soft_to_cap or plan.promotion3 or plan.companies)
    if adopted and only_project5 and (plan.projects5 or text.startswith("⑤")):
        plan = replace(plan, grant_type=adopted)  # ⑤ takes ①～④'s adopted type, whatever the turn supposes
    if plan.grant_type is None:
        carried = next((t for t in (grant_type_of(e) for e in earlier) if t), None)
        plan = replace(plan, grant_type=carried)
    both = (not (adopted and only_project5) and bool(re.search(r"高水準", text) and re.search(r"標準", text))) or (
        base is None and plan.grant_type is None and bool(re.search(r"それぞれのタイプ|両タイプ|タイプ別", text))) or (
        plan.grant_type is None and any(re.search(r"高水準", _n(e)) and re.search(r"標準", _n(e)) for e in earlier[:2]))
    missing = [m for m in missing_inputs(plan) if not (both and m == "タイプ")]
    if missing == ["収容可能人数"] and len(plan.facilities) == 1 and plan.grant_type and plan.facilities[0].cost:
        # one facility of unknown size with its amount: each size band's result, the size still to be decided
        return Route("plan_program", calculate_by_size(plan, plan.grant_type), (), None)
    if missing == ["タイプ"] and _CAP_ONLY_ASK.search(text) and not _SHARE_ASK.search(text):
        # the caps do not depend on the type
        return Route("plan_program", calculate_caps(plan, bool(_COUNT_ASK.search(text))), (), None)
    if missing and named_examples(text) and not own_of_asker(text):
        # what is missing is a figure of an adopted example the question names, not of the asker's own plan: the
        # documents answer it, or say it is not stated
        return None
    if missing:
        words = "、".join(INPUT_WORDS[m] for m in missing)
        return Route("plan_program", None, tuple(missing), f"計算するには、{words}を教えてください。")
    types: tuple[str, ...] = TYPES if both else (str(plan.grant_type),)
    compare = base if base is not None and _COMPARE.search(text) and base != plan else None
    if compare is not None and compare.grant_type is None:
        compare = replace(compare, grant_type=plan.grant_type)
    if compare is not None and followup.compares_back(question, history):
        # 「18人の案と比べて」: the turn's figure names the earlier plan; the conversation's latest plan is the after
        plan, compare = compare, plan
    try:
        return Route("plan_program", calculate_plan(plan, types, compare_with=compare), (), None)
    except CalculationError as exc:
        return Route("plan_program", None, (), f"計算できませんでした：{exc}")


def _plan_of(text: str) -> Plan:
    """The plan a text states, with the 2021 臨時交付金 step when the real local burden is asked."""
    plan = read_plan(text)
    t = _n(text)
    # the share of the whole cost that is national or left to the municipality (「負担は事業費全体の何割か」)
    if re.search(r"(?:国費|負担|持ち出し|持出|手出し)[^。]{0,10}(?:割合|比率|何%|何パーセント|何割|占める)"
                 r"|(?:割合|比率)[^。]{0,6}(?:国費|負担|持ち出し)|実質的?な?補助率", t):
        plan = replace(plan, share_asked=True)
    # the real local burden (「実質的な負担」「実質の持ち出し」), not a real share (「実質的な割合」)
    real_burden = re.search(r"臨時交付金|実質(?:的な|的に|の)?[^。、と]{0,4}(?:負担|持ち出し|持出)", t)
    # (with partners' 寄付金・負担金 read, the real burden is what they leave to the 団体, unless the 臨時交付金 is named)
    if real_burden and plan.contributions and "臨時交付金" not in t:
        return plan
    return replace(plan, temporary_grant=True) if real_burden else plan


def _single_cost_asked(text: str) -> int | None:
    """A turn that states one amount and asks its money (国費, burden): that amount, taken
    as the eligible cost when nothing else in the conversation says what it is."""
    t = _n(text)
    generic = [q.value for q in read_quantities(text) if q.unit == "円" and q.role in ("事業費", "金額")]
    if len(generic) == 1 and re.search(r"負担|持ち出し|国費|補助額|交付額|いくら出", t) and not re.search(r"事例|千円", t):
        return generic[0]
    return None


def _is_partial(plan: Plan) -> bool:
    """A turn that states only a part of a plan (「進出支援が10社なら？」): it changes the earlier plan."""
    return not plan.empty and not plan.facilities and not plan.projects5 and not plan.eligible_given


def _conversation_plan(earlier_newest_first: list[str]) -> Plan | None:
    """The plan the conversation has built so far: the earliest turn that states one, then each later turn
    applied to it in order (additions, changed inputs, facts added)."""
    state: Plan | None = None
    sized: tuple[Facility, ...] = ()  # facilities whose cap an earlier turn asked
    for turn in reversed(earlier_newest_first):
        if _OTHER_CALCULATOR.search(_n(turn)):
            continue
        stated = _plan_of(turn)
        if state is None:
            single = _single_cost_asked(turn) if stated.empty else None
            state = replace(stated, eligible_given=single) if single is not None else None if stated.empty else stated
            if state is None and sized and re.search(_MONEY_ASK, _n(turn)):
                # the facility asked about, at its cap (and one more like it when the turn adds one)
                state = Plan(facilities=_with_one_more(sized, turn), grant_type=grant_type_of(_n(turn)))
            if re.search(r"上限|最大|いくらまで", _n(turn)):
                sized = facilities_at_cap(turn) or sized
        elif not stated.empty and (stated.facilities or stated.projects5) and not _ADDING.search(_n(turn)):
            state = stated  # a new plan
        else:
            state = _changed(state, turn)
    return state


def _with_one_more(facilities: tuple[Facility, ...], question: str) -> tuple[Facility, ...]:
    """「同じ規模の施設をもう1つ」: the facilities and one more like the last one (its size, and its amount or cap)."""
    if facilities and _ONE_MORE_FACILITY.search(_n(question)) and not of_role(read_quantities(question), "定員"):
        return (*facilities, facilities[-1])
    return facilities


def _changed(base: Plan, question: str) -> Plan:
    """The earlier plan with what this turn changes: the type, or the one amount it had."""
    plan = base
    kind = grant_type_of(question)
    if kind:
        plan = replace(plan, grant_type=kind)
    added = read_plan(question)
    if added.empty and base.facilities and _ONE_MORE_FACILITY.search(_n(question)):
        return replace(plan, facilities=_with_one_more(plan.facilities, question))
    if _ADDING.search(_n(question)) and not added.empty:
        # a turn adding one more facility (N つ目, 足したら): the earlier plan plus what this turn adds
        return replace(plan, facilities=plan.facilities + added.facilities, soft=plan.soft + added.soft,
                       projects5=plan.projects5 + added.projects5,
                       companies=(plan.companies or 0) + (added.companies or 0) or None,
                       support_each=plan.support_each or added.support_each)
    if _is_partial(added):
        # only some parts restated (「進出支援が10社なら？」): those parts replace the earlier ones
        if added.companies:
            plan = replace(plan, companies=added.companies, support_each=added.support_each or plan.support_each,
                           support_groups=added.support_groups)
        if added.soft or added.soft_to_cap:
            plan = replace(plan, soft=added.soft, soft_to_cap=added.soft_to_cap)
        if added.promotion3:
            plan = replace(plan, promotion3=added.promotion3)
        return plan
    sizes = [q for q in read_quantities(question) if q.role == "定員"]
    if len(sizes) == 1 and len(base.facilities) == 1 and added.empty:
        # 「60人入れるようにしたら？」: the one facility with its new size (its amount, or its cap, kept)
        plan = replace(plan, facilities=(replace(base.facilities[0], people=sizes[0].value),))
    amounts = [q for q in read_quantities(question) if q.unit == "円"]
    if len(amounts) == 1:
        new = amounts[0].value
        if len(base.projects5) == 1:
            plan = replace(plan, projects5=(new,))
        elif len(base.facilities) == 1 and not base.projects5:
            plan = replace(plan, facilities=(replace(base.facilities[0], cost=new),))
        elif len(base.promotion3) == 1:
            plan = replace(plan, promotion3=(new,))
    return plan


_NEGATED = re.compile(r"[^。]{0,16}?(?:ではありません|ではない|ではなく|ではございません|でもない|(?:は|も)(?:ない|なく|ありません)|なしとして|なしで)")


# a company (「A社は」「2社目は」「うち1社は」) or a group of them (「2社は」「残り2社は」) whose case follows
# (a note in brackets may follow the mark: 「A社（100万円支給）は」)
# the letters officers name cases with: Latin, the katakana series (ア, イ, ウ …) and 甲乙
_CASE_LETTER = r"(?:[A-ZＡ-Ｚ]|(?<![ァ-ヶー])[ア-コ]|[甲乙丙丁戊])"
# a company named by a letter: 「A社」「ア社」「乙社」
_LETTERED = rf"{_CASE_LETTER}社"
_COMPANY_MARK = re.compile(rf"(?:{_LETTERED}|\d社目|[一二三四五]社目|(?:うち|残りの?|もう)?\s*(?P<n>\d{{1,2}})\s*社)"
                           r"(?:\s*[(（][^)）]{1,24}[)）])?(?:は|が|:|、|について|の場合|では)"
                           rf"|{_LETTERED}(?=\s*\d[\d,]*\s*万円)")  # a lettered company with its amount right after it
_FALSE_CLAIM = re.compile(r"虚偽|偽り|不正|実態が(?:なかった|ない)|利用実態|(?:最初から|実際(?:に)?は|一度も)[^。]{0,12}?(?:使って|利用して)(?:い)?な(?:かった|い)")
_EXEMPT = re.compile(r"倒産|災害|やむを得ない")
_STAYING = re.compile(r"今も|現在も|継続して|続けて")


def _departures(question: str, default: int | None) -> list[Departure]:
    """Each company's case, from its own part of the question (「A社は100万円・2年3か月で終了、B社は…」)."""
    t = _n(question)
    marks = list(_COMPANY_MARK.finditer(t))
    cases: list[Departure] = []
    if not marks:
        return cases

    def negated(rx: re.Pattern[str], part: str) -> bool:
        return any(_NEGATED.match(part[x.end() : x.end() + 24]) for x in rx.finditer(part))

    starts = []
    for i, m in enumerate(marks):
        floor = marks[i - 1].end() if i else 0
        clause = max(t.rfind("、", floor, m.start()), t.rfind("。", floor, m.start()), t.rfind("また", floor, m.start()),
                     t.rfind("\n", floor, m.start()))
        starts.append(clause + 1 if clause >= floor and clause != -1 else m.start())
    named: set[str] = set()
    for i in range(len(marks)):
        # a lettered company named again (「P社は支給日から数えると…」 after P社's own case) is the asker's remark
        # about it, not another company
        letter = re.match(_LETTERED, marks[i].group())
        label = _n(letter.group()) if letter else ""
        if label and label in named:
            continue
        named.add(label)
        part = t[starts[i] : starts[i + 1] if i + 1 < len(marks) else len(t)]
        qs = read_quantities(part)
        amounts = [q.value for q in qs if q.unit == "円" and q.role != "合計"]
        months = [q.value for q in qs if q.role == "経過期間"]
        # still using the facility (and no period of its own): nothing else said in its part applies to it
        case = ("staying" if _STAYING.search(part) and not months else
                "false" if _FALSE_CLAIM.search(part) and not negated(_FALSE_CLAIM, part) else
                "exempt" if _EXEMPT.search(part) and not negated(_EXEMPT, part) else "")
        if months or case:
            group = int(marks[i].group("n") or 1)  # 「2社は4年で」: each of the group, the same case
            if group > 1 and len(months) == group:  # 「2社、N年とM年で」: one period each, in order
                cases += [Departure(amounts[0] if amounts else default, m, case) for m in months]
                continue
            cases += [Departure(amounts[0] if amounts else default, months[0] if months else None, case, label)] * group
    return cases


# the 交付金 returned to the state (「国に返還」「国庫に返納」): the municipality's own question, which the companies' rule does not govern
_TO_THE_STATE = re.compile(r"国(?:庫)?(?:に|へ)[^。]{0,8}?(?:返|還)")


# how a grant is paid out, asked of the rules (「支払いの方法は…」「分けて払っても」)
_HOW_TO_PAY = re.compile(r"支給(?:の)?(?:仕方|方法|時期|タイミング)|支払い?(?:の)?(?:仕方|方法)|払い方|分割|一括|回払い|何回(?:か)?に分け")


def repayments_route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """Companies leaving after different periods, or in the rules' special cases: each one's share, then
    the sum. Asked without the amount received, the shares alone (全額・半額・なし)."""
    text = _n(question)
    leaving = re.search(r"利用を(?:終了|やめ|止め)|撤退|退去|やめてしまっ|出ていっ", text)
    # a turn naming only a new year and month, after a turn about a company leaving: a moved end date
    moved_date = bool(history) and bool(re.search(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月", text)) and any(
        re.search(r"利用を(?:終了|やめ|止め)|撤退|退去|返還", _n(t.content)) for t in history if t.role == "user")
    # a turn naming a company's special case (虚偽, やむを得ない事情) after a turn about repaying
    special_after = bool(history) and bool(_FALSE_CLAIM.search(text) or _EXEMPT.search(text)) and any(
        _REPAY.search(_n(t.content)) for t in history if t.role == "user")
    if not (_REPAY.search(text) or leaving or moved_date or special_after):
        return None
    from assistant.question_parts import asking_sentence

    asking = _n(asking_sentence(question))
    if _HOW_TO_PAY.search(asking) and not _REPAY.search(asking) and not re.search(r"撤退|退去|やめ|出ていっ|利用を終了", asking):
        return None  # how the grant is paid out (分割, 一括) is asked, a departure feared in the story is no case to compute
    texts = [question, *(t.content for t in reversed(history) if t.role == "user")]
    if not _REPAY.search(text) and not any(re.search(r"進出支援金|支援金", _n(t)) for t in texts):
        return None
    if _TO_THE_STATE.search(text) and not re.search(r"進出支援金|支援金|④", text):
        return None  # the municipality paying the 交付金 back to the state: not the companies' repayment rule
    if re.search(r"[『「][^』」]{8,}[』」]", text) and re.search(r"ずれ|合って|正し|間違|違って|異な", text):
        return None  # a drafted rule quoted to be checked against the documents' (their lines answer), not a company's case
    received = None
    for t in texts:
        qs = [q for q in read_quantities(t) if q.unit == "円" and q.role in ("進出支援金", "受給額", "金額", "事業費")]
        if qs:
            received = qs[0].value
            break
        if re.search(r"満額|上限(?:額)?(?:いっぱい|まで|どおり|の)", _n(t)) and any(
                re.search(r"進出支援金|支援金", _n(x)) for x in texts):
            received = integer("relocation_max")  # 満額 in a later turn of a conversation about 進出支援金
            break
    applied = _application_date(text)
    if applied is not None and re.search(r"いつ|何年何月|何月何日|日付", text) and not _leaves_after(text):
        # 「この申請日だと半額で済むのはいつから？」: the dates the share changes, not a share
        calculation = calculate_repayment_dates(applied)
        return Route(calculation.kind, calculation, (), None)
    cases = _departures(question, received)
    ordinal = re.search(r"(\d)社目|([A-Z])社", text)  # 「2社目」, or 「B社」 of an earlier 「A社は…、B社は…」
    another = _ANOTHER_COMPANY.search(text)  # 「もう1社が…」: one more company after the earlier ones
    if (ordinal or another) and len(cases) <= 1 and history:
        # the N-th company with its own period, after a turn about the first companies: that company added to (or changed
        # in) the earlier cases
        earlier = next((c for t in texts[1:] if (c := _departures(t, received))), [])
        if earlier:
            periods = [q.value for q in read_quantities(question) if q.role == "経過期間"]
            new = cases[0] if cases else Departure(received, periods[0]) if periods else None
            if new is not None:
                n = (len(earlier) + 1 if ordinal is None else int(ordinal.group(1)) if ordinal.group(1)
                     else ord(ordinal.group(2)) - ord("A") + 1)
                cases = [*earlier[: n - 1], new, *earlier[n:]] if n <= len(earlier) else [*earlier, new]
                cases = [c if c.received is not None else replace(c, received=received) for c in cases]
    if special_after and not any(c.months for c in cases) and len(cases) <= 1:
        # 「そもそも申請が虚偽だった」 about the company an earlier turn described: its case, whatever its period
        earlier = next((c for t in texts[1:] if (c := _departures(t, received))), []) or next(
            ([Departure(received, q.value)] for t in texts[1:] for q in read_quantities(t) if q.role == "経過期間"), [])
        case = "false" if _FALSE_CLAIM.search(text) else "exempt"
        if len(earlier) == 1:
            calculation = calculate_repayments([replace(earlier[0], case=case)])
            return Route(calculation.kind, calculation, (), None)
    if len(cases) < 2:
        periods = [q.value for q in read_quantities(question) if q.role == "経過期間"]
        if not periods and history:
            # this turn's date ends the period an earlier turn's first date began
            moved = [q.value for t in texts[1:] for q in read_quantities(f"{_first_date(t)}に申請、{text}")
                     if _first_date(t) and q.role == "経過期間"]
            periods = moved[:1]
        special = any(not _NEGATED.match(text[m.end() : m.end() + 24]) for m in re.finditer(r"虚偽|不正|倒産|災害|やむを得ない", text))
        if special or not periods:
            return None  # a special case alone: the repayment calculator answers it
        cases = [Departure(received, p) for p in periods]
    calculation = calculate_repayments(cases)
    return Route(calculation.kind, calculation, (), None)


_ANOTHER_COMPANY = re.compile(r"(?:もう|別の|他の|ほかの|さらに|追加で)\s*(?:1|一)\s*社|(?:別の|他の|ほかの)(?:会社|企業)")


_WESTERN_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _application_date(text: str) -> dt.date | None:
    """The one calendar date a repayment question states, when it is the application's (申請日, 申請した)."""
    dates = list(_WESTERN_DATE.finditer(text))
    if len(dates) != 1 or not re.search(r"申請", text[max(0, dates[0].start() - 12): dates[0].end() + 12]):
        return None
    try:
        return dt.date(*(int(g) for g in dates[0].groups()))
    except ValueError:
        return None


def _leaves_after(text: str) -> bool:
    """Whether the text says when a company stopped using the facility (an end date or a period)."""
    return bool(re.search(r"(?:\d+\s*(?:年|か月|ヶ月|カ月))[^。]{0,6}(?:で|後に|経って)[^。]{0,6}(?:やめ|撤退|終了|退去)", text))


def _first_date(text: str) -> str:
    """The first calendar date (year, month, day) a turn states, as written, or ""."""
    m = re.search(rf"(?:令和|平成)\s*(?:\d{{1,2}}|元)\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|{_WESTERN_DATE.pattern}", _n(text))
    return m.group(0) if m else ""


# What officers call the 「ハード事業」 the お試し measure leaves out (rule c_trial_hard_excluded): works on a building.
_HARD_WORKS = re.compile(r"ハード事業|改修|工事|建築|建設|施設整備|リフォーム|内装")


# What the 団体 is left to pay, asked: its burden, not the grant (the documents' 負担, or the officer's 自分で持つ,
# 手出し, 単費, 一般財源で).
_BURDEN_ASK = re.compile(r"負担|持ち出[しすさ]|持出|用意(?:しないと|しなければ|する必要|が必要)|自分で(?:持つ|出す|払う|賄う|まかなう)|自前で出す|手出し|単費|一般財源|措置されな|措置されず|戻らない|戻ってこない|返ってこない|賄えない|まかなえない|残る|自腹|自前")


# the overhead planned at its cap: 「一般管理費は上限額まで」「一般管理費も満額で」
_OVERHEAD_AT_CAP = re.compile(r"一般管理費[^。]{0,12}(?:上限(?:額)?(?:いっぱい|まで)|満額|最大)")


def catalogue_route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """The 2021 measures with several cost items: summed, then the measure's limits. A follow-up that changes
    the direct costs and asks again re-runs the earlier one with the new costs."""
    text = _n(question)
    qs = read_quantities(question)
    earlier = [t.content for t in reversed(history) if t.role == "user"]
    named = next((e for e in earlier if "デジタル活用環境構築" in _n(e)), "")
    most = bool(re.search(r"最大|上限いっぱい|上限まで|満額", text))
    if named and "デジタル活用環境" not in text and len(text) <= 80:
        # a later turn of a conversation that named the measure: its direct costs (this turn's, or those an earlier
        # turn stated when this one asks the subsidy), the overhead said earlier
        direct = [q.value for q in qs if q.role == "直接経費"]
        if not direct and re.search(r"補助額|補助金|いくら補助|もらえ|交付額|補助(?:は|が)?\s*(?:いくら|何)", text):
            direct = next(([q.value for q in read_quantities(e) if q.role == "直接経費"] for e in earlier
                           if any(q.role == "直接経費" for q in read_quantities(e))), [])
            most = most or any(re.search(r"一般管理費[^。]{0,16}(?:いくら|どこ|どれ|まで|上限)", _n(e)) for e in earlier)
        if direct:
            said = [q.value for e in earlier for q in read_quantities(e) if q.role == "一般管理費"]
            # (this turn's overhead raised to its cap overrides the amount an earlier turn said)
            raised = bool(_OVERHEAD_AT_CAP.search(text))
            full = raised or any(_OVERHEAD_AT_CAP.search(_n(e)) for e in earlier)
            chosen = UP_TO_THE_CAP if full or (most and not said) else (said[0] if said else None)
            stated = [q.value for q in qs if q.role == "一般管理費"]
            if stated and not raised:
                chosen = stated[0]  # this turn's own overhead, over any an earlier turn said
            calculation = calculate_digital_env(direct, chosen)
            if raised and said and re.search(r"増え|増す|差|違い|どれだけ|変わ", text):
                # the change in the subsidy asked: against the overhead the earlier turn said
                subsidy = int(str(calculation.result["補助額"]))
                before = int(str(calculate_digital_env(direct, said[0]).result["補助額"]))
                change = subsidy - before
                moved = "増えます" if change > 0 else "減ります" if change < 0 else "変わりません"
                calculation = replace(calculation, summary=calculation.summary
                                      + f"一般管理費{fy(said[0])}のときの補助額{fy(before)}より{fy(abs(change))}{moved}。",
                                      result={**calculation.result, "補助額の増減": change})
            return Route("digital_env_program", calculation, (), None)
    if re.search(r"デジタル活用環境構築", text) and re.search(rf"{_MONEY_ASK}|上限", text):
        direct = [q.value for q in qs if q.role == "直接経費"]
        overhead = [q.value for q in qs if q.role == "一般管理費"]
        subsidy_asked = re.search(r"補助額|補助金|補助され|いくら補助|補助(?:は|って)?\s*いくら|もらえ|交付額", text)
        overhead_asked = re.search(r"一般管理費[^。]{0,12}(?:いくら|上限|まで)", text) and not subsidy_asked
        if re.search(rf"一般管理費[^。]{{0,12}}(?:{_AT_THE_LIMIT.pattern})", text) and direct and not overhead:
            return Route("digital_env_program", calculate_digital_env(direct, UP_TO_THE_CAP), (), None)
        if direct and (subsidy_asked or (len(direct) >= 2 and not overhead_asked)):
            # the subsidy asked: the whole chain; 「最大」 with no overhead stated takes the overhead at its cap
            chosen = overhead[0] if overhead else (UP_TO_THE_CAP if most and subsidy_asked else None)
            return Route("digital_env_program", calculate_digital_env(direct, chosen, bool(_BURDEN_ASK.search(text))),
                         (), None)
    if (re.search(r"お試し", text) and re.search(r"特別交付税|措置", text)
            and re.search(rf"{_MONEY_ASK}|措置額|{_BURDEN_ASK.pattern}", text)):
        # an amount whose own words (since the previous amount) name works: 「床と壁の改修工事300万円」
        amounts = [q for q in qs if q.unit == "円" and q.role != "合計"]
        key = normalise(question)  # the quantities' offsets are into the quantity reader's key
        hard = [q for i, q in enumerate(amounts) if _HARD_WORKS.search(key[amounts[i - 1].end if i else 0 : q.start])]
        items = [q.value for q in amounts if all(q is not h for h in hard)]
        if items:
            found = _fiscal_correction(text)
            correction = Fraction(found) if found else None
            if correction is None or 0 < correction <= 2:
                burden_asked = bool(_BURDEN_ASK.search(text))
                return Route("trial_office_program",
                             calculate_trial_office(items, correction, tuple(h.value for h in hard), burden_asked), (), None)
    return None


# how much room is left for an item: 「いくらまで」「いくら未満に抑える」「どこまで入れられる」
_ROOM_ASK = r"(?:いくらまで|いくら未満|いくら以内|どこまで|上限|最大|入れられ|抑え|収め)"
_B_SHARE = re.compile(r"(半分|半額|\d+(?:\.\d+)?\s*割|\d+(?:\.\d+)?\s*%)(?:ちょうど)?(?:に|と|程度|くらい|ほど|の|で|まで)?")


def _share_value(text: str) -> Fraction:
    t = text.replace(" ", "")
    if t in ("半分", "半額"):
        return Fraction(1, 2)
    if t.endswith("割"):
        return Fraction(t[:-1]) / 10
    return Fraction(t.rstrip("%")) / 100


_B_WORDS = re.compile(r"B\s*[12]|外構|用地|買い取り|取得費|造成|カフェ|宿泊|附帯")
_LIMIT_ASK = re.compile(r"収ま|超え|認められ|計上|いくらまで|上限|最大|大丈夫|範囲|問題|可能|でき|守れ|守って|適合|満た|OK|オーケー|いけ|(?:良|よ|い)(?:い|かった)(?:です|でしょう|んです)")


_STATED_GRADE = re.compile(r"(?:総合評価|評価|判定)(?:が|は|で)?\s*[「『]?([SABCD])(?![a-zA-Z])|(?<![a-zA-Z])([SABCD])\s*[」』]?\s*(?:評価|判定|ランク)")
_P5_WORDS = re.compile(r"⑤|進出企業定着|地域活性化支援")


# how many municipalities the 参考 table lists (「参考の一覧に埼玉の町村はいくつある？」)
_LISTED_COUNT_ASK = re.compile(r"(?:何|いくつ)(?:団体|市町村|自治体|市|町|村|か所)?[^。]{0,6}(?:載|掲載|あ|入)|団体数|(?:市町村|自治体)の?数"
                               r"|(?:何|いくつ)(?:団体|市町村|自治体|市|町|村)?\s*(?:ですか|でしょう)?[?？]?\s*$")  # 「村はいくつ？」
# the cost asked back from a share of it: 「国費N円には事業費がいくら必要か」「地方負担がN円だった事業費は」
_COST_ASK = re.compile(r"(?:交付対象)?事業費[^。]{0,12}?(?:いくら|どれだけ|どのくらい|何円)|(?:いくら|どれだけ)[^。]{0,6}(?:必要|要る|いる|だった)"
                       r"|(?:必要な|要る)\s*(?:交付対象)?事業費")
_LOCAL_STATED = re.compile(r"(?:地方負担|持ち出し|自己負担|町負担|市負担|村負担)[^。\d]{0,16}$")


def _cost_asked_from_share(text: str, qs: Sequence[Quantity]) -> Calculation | None:
    amounts = [q for q in qs if q.unit == "円"]
    named = re.search(r"高水準|標準", text)  # both named: the case is the one named first, the other compared
    kind = grant_type_of(text) or (named.group(0) if named else None)
    if len(amounts) != 1 or kind is None or not _COST_ASK.search(text):
        return None
    amount = amounts[0]
    before = text[max(0, amount.start - 24) : amount.start]
    facility = bool(re.search(r"収容|何人|規模|人数", text))
    people = [q.value for q in qs if q.role == "定員"]
    if amount.role == "国費" and len(people) == 1:
        # one facility of a stated size: its cap may stop the cost short, the rest then soft costs
        both = bool(re.search(r"高水準", text) and re.search(r"標準", text))
        return cost_for_national(amount.value, ("高水準", "標準") if both else (kind,), people[0])
    if amount.role == "国費":
        return cost_from_share(kind, national=amount.value, facility_asked=facility)
    if _LOCAL_STATED.search(before):
        # 「実質的な持ち出し」 of the 2021 交付金: the burden after the 臨時交付金's 8割
        real = bool(re.search(r"実質", before) or "臨時交付金" in text)
        return cost_from_share(kind, local=amount.value, real=real)
    return None


# B2 said to be planned at its limit, no amount: 「B2（外構）は限度額まで計上する」
_B2_AT_CAP = re.compile(r"(?:B\s*2|外構|用地|造成|駐車場)[^。]{0,30}?(?:上限|最大|限度)(?:額)?\s*(?:いっぱい|一杯|まで|限)|"
                        r"(?:B\s*2|外構|用地|造成|駐車場)[^。]{0,30}?(?:目一杯|めいっぱい|満額)")


# whether a plan meets a requirement (「届く？」「クリア？」「大丈夫？」); a figure said alone may also be asked to be
# overlooked (「目をつぶってもらえる？」「問題ない？」)
_MEETS = r"届|満た|クリア|足り|達し|大丈夫|いけ|OK"
_MEETS_ASK = re.compile(_MEETS)
_MEETS_OR_OVERLOOKED_ASK = re.compile(_MEETS + r"|目をつぶ|見逃|問題")


def checks_route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """Shares and counts checked against a plan: B1/B2, the outside-prefecture user share, an example's rate."""
    text = _n(question)
    qs = read_quantities(question)

    def first(role: str) -> int | None:
        found = [q.value for q in qs if q.role == role]
        return found[0] if found else None

    def total_of(role: str) -> int | None:  # 「カフェ2,400万円と宿泊スペース1,000万円」: one B1 of 3,400万円
        found = [q.value for q in qs if q.role == role]
        return sum(found) if found else None

    stated_share = _B_SHARE.search(text)
    if (_B_WORDS.search(text) and (_LIMIT_ASK.search(text) or re.search(r"いけ|大丈夫|OK", text)) and stated_share
            and not any(q.unit == "円" for q in qs)
            # the asker's plan (a plan word), not the rule asked about (a limit word beside the share)
            and re.search(r"計画|予定|見込み|考えて|つもり|になる|になり|したい", text)
            and not re.search(r"上限|以内|未満|しか", text[stated_share.start() : stated_share.end() + 6])):
        # B1/B2 stated as a share of the 交付対象事業費, no amounts
        share = _share_value(stated_share.group(1))
        is_b2 = bool(re.search(r"B\s*2|外構|用地|造成|解体|取得費", text[: stated_share.start()]))
        return Route("b_limits", b_shares(None if is_b2 else share, share if is_b2 else None), (), None)
    if _B_WORDS.search(text) and _LIMIT_ASK.search(text):
        yen = [q.value for q in qs if q.unit == "円"]
        # an amount equal to the sum of all the others is their total (「本体A万円、カフェB万円…、合計C万円」):
        # the shares are of the whole 交付対象事業費, the B parts included
        summed = [v for v in yen if len(yen) >= 3 and 2 * v == sum(yen)]
        total = summed[0] if summed else first("交付対象事業費") or first("事業費")
        if total is None:
            for turn in (t.content for t in reversed(history) if t.role == "user"):
                total = next((q.value for q in read_quantities(turn) if q.role == "交付対象事業費"), None)
                if total is not None:
                    break
        if total is not None:
            b1_room = bool(re.search(rf"(?:B\s*1|カフェ|宿泊|附帯)(?!\s*(?:と|・|、|及び)\s*B\s*2)[^。]{{0,30}}{_ROOM_ASK}", text))
            b2_room = bool(re.search(rf"(?:B\s*2|外構|用地|造成|駐車場)[^。]{{0,30}}(?:{_ROOM_ASK}|載せ)", text))
            b2_at_cap = total_of("B2") is None and bool(_B2_AT_CAP.search(text))
            return Route("b_limits", b_limits(total, total_of("B1"), total_of("B2"), b1_room_asked=b1_room,
                                              b2_room_asked=b2_room, b2_at_cap=b2_at_cap), (), None)
    stated = _STATED_GRADE.search(text)
    grades = {next(g for g in m.groups() if g) for m in _STATED_GRADE.finditer(text)}
    if (stated and len(grades) == 1 and not re.search(r"\d+\s*点|何点|点数|目安", text)
            and re.search(r"採択|タイプ|通る|通り|落ち", text) and not _P5_WORDS.search(text)):
        # the grade is given (S–D), not the points
        letter = next(g for g in stated.groups() if g)
        applied = "高水準" if re.search(r"高水準(?:タイプ)?で(?:申請|出)", text) else (
            "標準" if re.search(r"標準(?:タイプ)?で(?:申請|出)", text) else None)
        return Route("adoption_of_grade", adoption_of_grade(letter, applied), (), None)
    if re.search(r"最低(?:でも)?何点|何点以上|何点あれば|何点必要|何点取れば|何点以下|何点未満", text) and not _POINTS.search(text) \
            and not _P5_WORDS.search(text):
        bonus = _bonus(text)
        if bonus is not None:  # the least raw total for each outcome, the bonus from the stated 申請率
            rate = _application_rate(text) if not _BONUS_POINTS.search(text) else None
            return Route("score_needed", score_needed(Fraction(rate), None) if rate else score_needed(None, bonus), (), None)
    users, outside = first("利用者数"), first("県外利用者数")
    outside_companies, migrants = first("県外企業数") or first("KPI企業数"), first("移住者数")
    share_said = first("県外利用者割合")
    kind = grant_type_of(text)
    if share_said is not None and not users and kind and (is_yes_no(text) or _MEETS_OR_OVERLOOKED_ASK.search(text)):
        # 「県外利用者の比率は45%の見込み…大丈夫ですよね？」: the share said, checked against the type's requirement
        return Route("kpi_check", kpi_check((kind,), outside_companies, None, None, migrants, first("人口"),
                                            stated_share=Fraction(share_said, 10_000)), (), None)
    kpi_figures = sum(x is not None for x in (outside_companies, outside if users else None, migrants))
    if kpi_figures >= 2 and re.search(r"KPI|要件", text) and _MEETS_ASK.search(text):
        # a plan's KPI figures checked against the type asked (both when both or none are named)
        if users and outside and outside > users:
            return Route("kpi_check", None, (), f"県外の利用者数（{outside:,}人）が延べ利用者数（{users:,}人）を超えています。"
                                                 "数字をご確認ください。")
        types_named = tuple(k for k in ("高水準", "標準") if k in text)
        checked = (types_named if len(types_named) == 1 and not re.search(r"それぞれ|両方|ならどう|だとどう", text)
                   else ("高水準", "標準"))
        return Route("kpi_check", kpi_check(checked, outside_companies, users, outside, migrants, first("人口")), (), None)
    scored = re.search(r"\d+\s*点", text) and re.search(r"採択|評価|結果|どうな|見込", text)
    if users and outside and outside <= users and not scored:  # with a score, the share is the adoption's gate
        return Route("user_share", user_share(users, outside), (), None)
    kinds = [k for k in ("高水準", "標準") if k in text]
    type_supposed = re.search(r"(高水準|標準)(?:タイプ)?(?:に(?:する|した|して)?)?(?:なら|だと|だったら|の場合)"
                              r"|(高水準|標準)(?:タイプ)?に(?:切り替え|切替え|変え|し|なっ)たら", text)
    if type_supposed and len(kinds) == 1 and history:
        # 「高水準ならどうなります？」 after a conversation about the other type: both, the conversation's first
        before = next((k for t in reversed(history) if t.role == "user" for k in ("高水準", "標準") if k in _n(t.content)), None)
        if before is not None and before != kinds[0]:
            kinds = [before, kinds[0]]
    if users is None and type_supposed:
        # a type supposed after a turn that stated the users: those users, at the type now supposed
        users = next((q.value for t in reversed(history) if t.role == "user"
                      for q in read_quantities(t.content) if q.role == "利用者数"), None)
    if users and kinds and re.search(r"最低|何人|下限|いくら|どれだけ|何社", text) and re.search(r"KPI|県外|移住", text):
        return Route("kpi_minimums", kpi_minimums(tuple(kinds), first("人口"), users,
                                                  bool(re.search(r"開き", text) or followup.DIFFERENCE_ASK.search(text))), (), None)
    if len(kinds) == 2 and re.search(r"並べ|比べ|それぞれ|両方", text) and re.search(r"要件", text) and re.search(r"県外|移住", text):
        # both types' KPI requirements side by side; a population said in an earlier turn gives 高水準's 移住者数
        population = first("人口") or next((q.value for t in reversed(history) if t.role == "user"
                                           for q in read_quantities(t.content) if q.role == "人口"), None)
        return Route("kpi_minimums", kpi_minimums(tuple(kinds), population, None), (), None)
    recent = " ".join([text, *(_n(t.content) for t in reversed(history) if t.role == "user")][:2])
    if NAMES_FIFTH.search(recent) and re.search(r"何件|件数|いくつ|何本|本数|何プロジェクト", recent):
        both = read_quantities(" ".join([*(t.content for t in history if t.role == "user")][-1:] + [question]))
        kpi = [q.value for q in both if q.role == "KPI企業数"]
        done = [q.value for q in both if q.role == "採択済件数"]
        if kpi:
            counter = "本" if re.search(r"何本|本数|\d\s*本", recent) else "件"
            # the 国費 those projects can bring, when asked too, at the type this turn or an earlier one names
            said = [text, *(_n(t.content) for t in reversed(history) if t.role == "user")]
            kind = next((k for t in said if (k := grant_type_of(t))), None) if re.search(r"国費|交付額", text) else None
            return Route("project5_count", project5_count(kpi[-1], done[-1] if done else 0, counter, kind), (), None)
    named = named_examples(text)
    kinds = [k for k in ("高水準", "標準") if k in text]
    if (kinds and re.search(r"国費|交付額|いくら|多|少な|差|違", text)
            and not re.search(r"負担|持ち出し|合計|合わせ|足し|総額|総計|全部で", text)):
        # an adopted example at the other type (its 国費 had it been adopted as the other type); a short
        # follow-up takes the example the turn before named
        previous = next((_n(t.content) for t in reversed(history) if t.role == "user"), "")
        shown = named or (named_examples(previous) if len(text) <= 60 and re.search(r"事例|採択", previous) else [])
        other = [e for e in shown if e.grant_type is not None and any(k != e.grant_type for k in kinds)]
        if other:
            return Route("example_at_type", example_at_type(other, kinds), (), None)
    if (not named and kinds and re.search(r"事例", text) and re.search(r"どこ|どれ|どの(?:団体|自治体|市町村|事例)|一覧|挙げ", text)
            and not re.search(_MONEY_ASK, text) and (chosen := examples_of(text))):
        # which adopted examples a type (or element) covers: each named with its amounts
        return Route("examples_listed", examples_listed(chosen, "・".join(k + "タイプ" for k in kinds)), (), None)

    def supposed_for(examples: list[Example]) -> str | None:
        # 「もし2つとも高水準だったら」「標準採択だったら」: a type other than some example was adopted at
        return next((k for k in kinds if re.search(rf"{k}(?:タイプ)?[^。]{{0,12}}(?:なら|たら|だとしたら|としたら|とすれば|の場合|であれば)", text)
                     and any(e.grant_type not in (None, k) for e in examples)), None)

    # 「どちらが多い」「両方の事例を比べて」: two examples compared, by which bears more
    compared = bool(re.search(r"比べ|比較|どちら|どっち|差|違い", text)) and not re.search(r"合計|合わせ|足し|総額", text)
    if named and history and re.search(r"並べ|比べ|比較|も(?:あわせて|合わせて|一緒に)|(?:2|二|ふた)つ|両方|どちら|どっち", text):
        # 「A市の事例も並べて」: the example asked beside the one the conversation is about
        talked_of = [e for t in history if t.role == "user" for e in named_examples(_n(t.content))]
        named = list(dict.fromkeys([e for e in talked_of if e not in named] + named))
    # (the 団体's share of the cost: 「報酬を誰が負担しているか」 asks about something else of the example)
    if (named and re.search(r"事例|採択", text)
            and (re.search(r"地方負担|国費以外|国費で(?:賄|まかな)われない|持ち出し", text)
                 or re.search(r"負担", text) and re.search(rf"{_MONEY_ASK}|何円|千円|万円|[割%]", text))):
        headroom = bool(re.search(r"上限[^。？?]{0,16}(?:余裕|余地|残り|あと|まで|届)|余裕", text))
        return Route("example_burdens", example_burdens(named, supposed_for(named), headroom, compared), (), None)
    if not named and re.search(r"負担", text) and len(text) <= 40 and history:
        # the burden asked right after a turn naming an adopted example: that example's local share (at a type
        # supposed, when this turn supposes one)
        previous = next((t.content for t in reversed(history) if t.role == "user"), "")
        earlier_named = named_examples(_n(previous))
        if earlier_named and re.search(r"事例|採択", _n(previous)):
            return Route("example_burdens", example_burdens(earlier_named, supposed_for(earlier_named)), (), None)
    if (re.search(r"合計|(?<!組み)合わせ|足し|足す|総額|総計|全部で", text) and (len(named) >= 2 or re.search(r"事例", text))
            and re.search(r"国費|事業費|いくら|金額|千円|万円", text)):  # a sum of money asked, not 「組み合わせた事業」
        chosen = examples_of(text)
        fields = [f for f in ("交付対象事業費", "国費") if f in text] or ["国費"]
        if chosen:
            share_asked = bool(re.search(r"割合|比率|何%|何パーセント|何割|占め", text))
            return Route("example_sum", sum_examples_of(chosen, fields, share_asked), (), None)
    if re.search(r"事例", text) and re.search(r"千円", text):
        eligible, national = first("交付対象事業費"), first("国費")
        if eligible and national and eligible % 1000 == 0 and national % 1000 == 0 and national < eligible:
            found = example_rate(eligible // 1000, national // 1000)
            if found is not None:
                return Route("example_rate", found, (), None)
        kind = grant_type_of(text)
        if eligible and national is None and kind and re.search(r"負担|国費以外|持ち出し|残り", text):
            return Route("example_share", example_share(eligible // 1000, kind), (), None)
    return None


def route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """The calculation a turn asks for, if any (`_route`), with the other calculations its other asks need
    (`_with_other_asks`) and its local burden split among the parties the turn names in a ratio of its own
    (assistant/calculators/shares.py)."""
    routed = _route(question, history)
    if routed is None or routed.calculation is None:
        return routed
    routed = _with_other_asks(question, history, routed)
    assert routed.calculation is not None
    split = shares.with_split(routed.calculation, _n(question))
    return routed if split is routed.calculation else replace(routed, calculation=split)


def _shape_run(kind: str, texts: list[str]) -> Calculation | None:
    """The calculator of one shape run on the inputs the texts state, or None when some are missing or wrong."""
    shape = next((sh for sh in _SHAPES if sh.kind == kind), None)
    if shape is None:
        return None
    inputs = _extract(shape, texts)
    if any(n not in inputs for n in shape.required):
        return None
    try:
        return calculate(kind, inputs)
    except CalculationError:
        return None


def _reads_a_figure_otherwise(other: Calculation, main: Calculation) -> bool:
    """A figure of the question that `other` takes as a share (a burden, a 国費) where the whole question's
    calculation takes it as a cost, or the other way round (the 実質的な持ち出し read again as a 事業費): `other`
    misreads the case. (Calculators name one cost differently — 事業費, 交付対象事業費 — which is no misreading.)"""
    def amounts(c: Calculation) -> dict[int, str]:
        out = {}
        for k, v in c.inputs.items():
            if isinstance(v, str) and re.search(r"[万億千]?円$", v):
                try:
                    v = parse_amount(v)
                except AmountParseError:
                    continue
            if isinstance(v, int) and not isinstance(v, bool) and v >= 10_000:
                out[v] = k
        return out

    def share(key: str) -> bool:
        return bool(re.search(r"負担|国費|補助額|措置額|持ち出し", key))

    mine = amounts(main)
    return any(v in mine and share(mine[v]) != share(k) for v, k in amounts(other).items())


def _with_other_asks(question: str, history: Sequence[Turn], routed: Route) -> Route:
    """A question that asks several things, each its own calculation (「移住の目標は何人から？あと、県外からの利用の比率は
    足りていますか？」): each ask is routed with the asker's case told before the asks, and a calculation of
    another kind than the whole question's is run beside it, its steps after the first's."""
    from assistant.question_parts import split_question
    from assistant.question_parts import story as story_of

    main = routed.calculation
    assert main is not None
    parts = split_question(question)
    if len(parts) < 2:
        return routed
    story = story_of(question)
    others: list[Calculation] = []
    for part in parts:
        ask = part[len(story):] if story and part.startswith(story) else part
        alone = _route(story + ask, history)
        other = alone.calculation if alone is not None else None
        if other is None or other.kind == main.kind:
            # the case's figures may have drawn the route to the whole question's calculation: the ask alone says
            # which calculation it is, the case gives its inputs
            own = _route(ask, history)
            if own is not None and own.calculation is None and own.missing and own.kind != main.kind:
                other = _shape_run(own.kind, [story + ask])
        if (other is None or other.kind == main.kind or any(o.kind == other.kind for o in others)
                or other.summary in main.summary or _reads_a_figure_otherwise(other, main)):
            continue
        others.append(other)
    if not others:
        return routed
    return replace(routed, calculation=combined(
        main.kind, [main, *others], inputs={**{k: v for o in others for k, v in o.inputs.items()}, **main.inputs},
        result={**{k: v for o in others for k, v in o.result.items()}, **main.result},
        formula="\n".join(c.formula for c in (main, *others)), summary="".join(c.summary for c in (main, *others))))


def _route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """The calculation a turn asks for, if any. A follow-up that changes an input of an earlier calculated question
    (assistant/calculators/followup.py) runs that question again with the change: its difference when the turn asks
    how much the result moves, else the changed run when this turn computes nothing by itself."""
    own, own_from_topic = _routed_with_topic(question, history)
    if own is not None and own.calculation is not None and any("増減" in k for k in own.calculation.result):
        return own  # the calculator compared the plans itself (a changed plan against the earlier one)
    # the earlier questions are run by their own routes only (never through this function again): a conversation of
    # follow-ups costs one route per earlier turn, not one per path through them
    # 「…も足したら？」: the conversation's items and this one together, before this turn's own reading of them
    added = _with_added_items(question, history) if history else None
    if added is not None:
        return added
    if history and (own is None or own.calculation is None):
        swapped = (_with_other_entity(question, history) or _with_referred_examples(question, history)
                   or _with_added_municipality(question, history))
        if swapped is not None:
            return swapped
    between = followup.between_turns(question, history, _route_turn_or_with_topic) if history else None
    compared = followup.difference(question, between) if between is not None else None
    if compared is not None:  # 「前と後で何人違う？」: two earlier turns' results compared
        return Route(compared.kind, compared, (), None)
    changed = followup.rerun(question, history, _route_turn_or_with_topic) if history else None
    if changed is not None and followup.compares_back(question, history):
        # 「40人案と比べて」: the turn's figure names the earlier plan, so the latest turn is the after
        changed = replace(changed, before=changed.after, after=changed.before,
                          changes=tuple(" → ".join(reversed(c.split(" → "))) for c in changed.changes))
    if changed is not None and followup.asks_difference(_n(question)):
        compared = followup.difference(question, changed)
        if compared is not None:
            return Route(compared.kind, compared, (), None)
    # a turn computed only as the earlier topic with this turn's figure appended (「では定員をN人にしたら？」) reads both
    # figures at once; the earlier question re-run with the figure replaced is the faithful reading
    if changed is not None and (own is None or own.calculation is None or changed.moved or own_from_topic):
        return Route(changed.after.kind, changed.after, (), None)
    against = (followup.against_earlier(question, history, own.calculation, _route_turn_or_with_topic)
               if changed is None and history and own is not None and own.calculation is not None else None)
    compared = followup.difference(question, against) if against is not None else None
    if compared is not None:  # 「…18人にしたら？さっきと比べていくら減る？」: this turn's plan against the earlier one
        return Route(compared.kind, compared, (), None)
    second = _with_second_case(question, history, own)
    if second is not own:
        return second
    each = _with_labelled_cases(question, history, own)
    if each is not own:
        return each
    return _with_two_parties(question, history) or _with_hypothetical(question, history, own) or own


def _entities_named(text: str) -> list[tuple[str, str]]:
    """(class, name as written) of what a turn names that a calculation is about: an adopted example, a 都県 of the
    参考 table, a measure of the 2021 catalogue."""
    found = [("example", e.municipality) for e in named_examples(text)]
    found += [("prefecture", p) for p in TOKYO_AREA if p in text]
    found += [("measure", b.measure) for b in named_budgets(text)]
    return found


def _written(text: str, name: str) -> str | None:
    """How `text` writes `name` (in full, or an example's short name 「佐渡」 for 佐渡市)."""
    return name if name in text else name[:-1] if name[:-1] and name[:-1] in text else None


# 「じゃあ佐渡は？」「千葉県だと？」: a short turn naming one other thing of the same kind as the turn before
MAX_SWAP_CHARS = 40


def _with_other_entity(question: str, history: Sequence[Turn]) -> Route | None:
    """The turn before asked a calculation about one example (a 都県, a measure); this short turn names another of
    the same kind and nothing else to compute: the turn before asked again about the one named now."""
    text = _n(question)
    if len(text) > MAX_SWAP_CHARS:
        return None
    named = _entities_named(text)
    if len(named) != 1:
        return None
    kind, new = named[0]
    turns = [t for t in history if t.role == "user"]
    if not turns:
        return None
    previous = _n(turns[-1].content)
    earlier = [name for k, name in _entities_named(previous) if k == kind and name != new]
    if len(earlier) != 1 or (old := _written(previous, earlier[0])) is None:
        return None
    swapped = previous.replace(old, new)
    before = list(history)[: max(i for i, t in enumerate(history) if t.role == "user")]
    routed = _route_turn(swapped, before)
    if (routed is None or routed.calculation is None) and before:
        routed = _with_other_entity(swapped, before)  # the turn before was such a swap itself (「じゃあ佐渡は？」)
    return routed if routed is not None and routed.calculation is not None else None


def _with_added_municipality(question: str, history: Sequence[Turn]) -> Route | None:
    """「そこに隣の○○市も加えたら？」 after turns about a 東京圏 都県's project limited to some municipalities: the
    project with the one added, checked against the 参考 table."""
    text = _n(question)
    if not re.search(r"加え|含め|足し|入れ", text) or not re.search(r"[一-龥々ヶ]{1,4}[市町村]", text):
        return None
    earlier = [_n(t.content) for t in history if t.role == "user"][-3:]
    # the turns read as one question, asked as the yes/no the municipality check answers (the turn itself may ask
    # 「どうでしょう」, which names no coverage)
    routed = _route_turn("".join(earlier) + text + "。これは対象になりますか？", [])
    if routed is None or routed.calculation is None or routed.calculation.kind != "eligibility":
        return None
    return routed if "・" in str(routed.calculation.inputs.get("事業区域", "")) else None


# 「その2つ」「両方」「それら」: adopted examples the conversation named before
_REFERS_BACK = re.compile(r"(?:その|この|あの)(?:2|3|二|三)つ|両方|(?:2|二)つとも|それら|その両|(?:2|二)つを合わせ|(?:2|二)団体")


# 「そこの目標だと」「その町の」「この事例では」: the one adopted example the conversation is about
_REFERS_TO_ONE = re.compile(r"そこ(?:の|で|は|だと)|(?:その|この|あの|同)(?:市|町|村|事例|団体|自治体)")


def _with_referred_examples(question: str, history: Sequence[Turn]) -> Route | None:
    """A turn pointing back at adopted examples without naming them: several, the ones the earlier questions named
    (oldest first), else the ones the last answer named; one, the example the latest question naming one named;
    asked about by name."""
    text = _n(question)
    several = _REFERS_BACK.search(text)
    # (the patterns first: reading the examples a turn names costs more, and most follow-ups point back at none)
    if not (several or _REFERS_TO_ONE.search(text)) or named_examples(text):
        return None
    if not several:
        last = next((found for t in reversed(history) if t.role == "user" and (found := named_examples(_n(t.content)))), [])
        if len(last) != 1:
            return None
        routed = _route_turn(f"{last[0].municipality}の事例について。{question}", [])
        return routed if routed is not None and routed.calculation is not None else None
    names: list[str] = []
    for turn in reversed(history):
        if turn.role != "user":
            continue
        names = [e.municipality for e in named_examples(_n(turn.content)) if e.municipality not in names] + names
        if len(names) >= 2:
            break
    if len(names) < 2:
        answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        names = [e.municipality for e in named_examples(_n(answer))]
    if len(names) < 2:
        return None
    routed = _route_turn(f"{'・'.join(names)}の事例について。{question}", [])
    return routed if routed is not None and routed.calculation is not None else None


# 「うちは…、隣町は…」「A市は…、B町は…」: the asker's case and another's in one question
_PARTY = re.compile(r"(?:うち|当町|当市|当村|本町|本市|わが町)(?:は|の方は|のほうは)|(?:隣|となり)の?(?:町|市|村)(?:は|の方は|のほうは)"
                    r"|[A-ZＡ-Ｚ](?:市|町|村)(?:は|の方は|のほうは)")


def _with_two_parties(question: str, history: Sequence[Turn]) -> Route | None:
    """Two parties' cases in one question, each with its own figures: each case computed with the question's shared
    words (what comes before the first party and the sentences after the second one's), then both, and the
    difference of their 国費 when asked."""
    text = _n(question)
    marks = list(_PARTY.finditer(text))
    if len(marks) != 2:
        return None
    first, second = marks
    end = text.find("。", second.end())
    end = len(text) if end == -1 else end + 1
    shared_before, shared_after = text[: first.start()], text[end:]
    cases = [text[first.start() : second.start()].rstrip("、,"), text[second.start() : end]]
    runs = [_route_turn(f"{shared_before}{case}{'' if case.endswith('。') else '。'}{shared_after}", history)
            for case in cases]
    calcs = [r.calculation for r in runs if r is not None and r.calculation is not None]
    if len(calcs) != 2 or calcs[0].kind != calcs[1].kind or calcs[0].result == calcs[1].result:
        return None
    names = [re.sub(r"(?:の方|のほう)?は$", "", m.group(0)) for m in marks]
    both = _both_cases(calcs[0], calcs[1], names[1], names[1])
    both = replace(both, summary=f"{names[0]}は、{calcs[0].summary}{names[1]}は、{calcs[1].summary}")
    # (a case not adopted gets no 国費)
    grants = [c.result.get("国費", 0 if str(c.result.get("採択区分", "")).startswith("不採択") else None) for c in calcs]
    if followup.DIFFERENCE_ASK.search(shared_after or text) and all(isinstance(g, int) for g in grants):
        a, b = (int(g) for g in grants)  # type: ignore[arg-type]
        step = Step("difference", f"国費の差：{fy(max(a, b))} − {fy(min(a, b))} = {fy(abs(a - b))}", {names[0]: a, names[1]: b},
                    abs(a - b))
        both = replace(both, summary=both.summary + f"国費の差は{fy(abs(a - b))}です。",
                       formula=f"{both.formula}\n・{step.label}", steps=(*both.steps, step),
                       result={**both.result, "国費の差": abs(a - b)})
    return Route(both.kind, both, (), None)


# 「外構工事900万円も足したら？」「さらに用地600万円も載せたら？」: an item added to what the conversation stated
_ADDED_ITEM = re.compile(r"も(?:足|加え|載せ|入れ|追加|計上)|(?:足|加え|載せ|追加)(?:したら|すると|たら|て)")


def _with_added_items(question: str, history: Sequence[Turn]) -> Route | None:
    """A turn adding an item with its amount to the conversation's earlier figures: the earlier turns and this one
    read as one question, when that gives the same calculation the latest earlier turn gave."""
    text = _n(question)
    if not _ADDED_ITEM.search(text) or not any(q.unit == "円" for q in read_quantities(question)):
        return None
    users = [t.content[:MAX_TURN_CHARS] for t in history if t.role == "user" and t.content.strip()]
    if not users:
        return None
    earlier = tuple(history[:-2]) if len(history) >= 2 else ()
    # (the latest turn may itself have added an item: 「…も足したら？」 then 「さらに…も載せたら？」)
    before = _with_added_items(users[-1], earlier) or _route_turn(users[-1], earlier)
    if before is None or before.calculation is None:
        return None
    together = _route_turn("\n".join([*users, question]))
    if together is None or together.calculation is None or together.calculation.kind != before.calculation.kind:
        return None
    return together


# The question's last sentence supposes a change (「もし標準タイプだったら、負担はいくら増えていた？」).
# (「あと、同じ条件で標準にしていたら…」: after a connective too, and a counterfactual 「…ていたら」)
_SUPPOSES = re.compile(r"^\s*(?:(?:それと|あと|また|ちなみに)[、,]?\s*)?(?:もし|仮に|同じ[^。？?]{0,12}?で)"
                       r"|(?:だったら|としたら|とすると|の場合(?:は|に)?|なら)[、,]|ていたら")


def _with_hypothetical(question: str, history: Sequence[Turn], own: Route | None = None) -> Route | None:
    """A question that computes a case and then supposes a change in its last sentence: the case, and the change run
    as a follow-up of it (assistant/calculators/followup.py) — the difference when asked, else both. None when the
    change moves nothing the case computes, or when it supposes the other type and the question's own calculation
    already gives that type's figures."""
    sentences = [s for s in re.split(r"(?<=[。？?])", question) if s.strip()]
    if len(sentences) < 2 or not _SUPPOSES.search(_n(sentences[-1])):
        return None
    base = "".join(sentences[:-1])
    # a figure of a kind the case has not stated (a user count after a population) is a further input, not a change
    stated_roles = {q.role for q in read_quantities(base)}
    if any(q.role not in stated_roles for q in read_quantities(sentences[-1])):
        return None
    turns = [*history, Turn("user", base), Turn("assistant", "…")]
    changed = followup.rerun(sentences[-1], turns, _route_turn_or_with_topic)
    if changed is None or changed.after.result == changed.before.result:
        return None
    types_to = [c.split(" → ")[-1] for c in changed.changes if re.fullmatch(r"(?:高水準|標準)タイプ → (?:高水準|標準)タイプ", c)]
    if (own is not None and own.calculation is not None and types_to and len(types_to) == len(changed.changes)
            and all(any(t in str(k) for k in own.calculation.result) for t in types_to)
            and not followup.DIFFERENCE_ASK.search(_n(sentences[-1]))):
        return None
    if followup.DIFFERENCE_ASK.search(_n(sentences[-1])):
        compared = followup.difference(sentences[-1], changed)
        if compared is not None:  # the question's own case first, then what the change moves
            return Route(compared.kind, replace(compared, summary=changed.before.summary + compared.summary), (), None)
    change = "、".join(changed.changes)
    return Route(changed.after.kind, _both_cases(changed.before, changed.after, change, change), (), None)


# A short turn that gives figures for the rule the previous turn asked about (a user count 「…人なら？」 after the
# KPI's user share was asked): read together with that turn.
_GIVES_FIGURES = re.compile(r"(?:なら|だと|だったら|の場合|で置くなら|とすると|としたら)")
# a figure given as its limit rather than a number (at the cap, 満額, 限度額)
_AT_THE_LIMIT = re.compile(r"上限(?:額)?(?:まで|いっぱい|どおり|の額)|満額|限度(?:額)?(?:まで|いっぱい)")


def _route_turn_or_with_topic(question: str, history: Sequence[Turn] = ()) -> Route | None:
    return _routed_with_topic(question, history)[0]


def _routed_with_topic(question: str, history: Sequence[Turn] = ()) -> tuple[Route | None, bool]:
    """The turn's own route, else the route of the turn read after the topic asked just before; and whether it is
    the latter (the turn's figure appended to the earlier question, not the turn alone)."""
    own = _route_turn(question, history)
    at_limit = _AT_THE_LIMIT.search(_n(question)) is not None  # 「…も上限まで計上したら？」: the limit is the figure
    if own is not None or not history or len(_n(question)) > 60 or not (_GIVES_FIGURES.search(_n(question)) or at_limit):
        return own, False
    users = [i for i, t in enumerate(history) if t.role == "user" and t.content.strip()]
    if not users or not (read_quantities(question) or at_limit):
        return None, False
    last = users[-1]
    topic = history[last].content[:MAX_TURN_CHARS]  # the rule asked just before
    merged = _route_turn(f"{topic}\n{question}", history[:last])
    return (merged, True) if merged is not None and merged.calculation is not None else (None, False)


# 「…%だった場合も知りたい」: a second value of one input, asked as another case
_SECOND_CASE = re.compile(r"場合(?:の[^。？?]{0,6}?)?も|ときも|時も|ケースも|場合は(?:どう|どうな)|場合について")
_ALTERNATIVE_BETWEEN = re.compile(r"[^。？?]{0,16}?(?:か|または|あるいは|もしくは)[、,\s]*")
_EITHER_AFTER = re.compile(r"^[^。]{0,12}?か(?![月所])|それぞれ|どちら|各々|両方")


# 「加点がなかった場合の結果も」: the same sheet without the My Number bonus, as another case
_NO_BONUS_CASE = re.compile(r"加点(?:が|は)?(?:なかった|ない|無い|なし|無し|ゼロ|0点)(?:の)?(?:場合|とき|時|なら|だと|ケース)")


def _without_bonus(question: str, history: Sequence[Turn], own: Route) -> Route | None:
    """The asker's sheet scored again without its bonus (the 申請率 or the points that gave it left out, and the
    sentence asking for the other case): both outcomes as one answer."""
    calc = own.calculation
    key = normalise(question)
    asked = _NO_BONUS_CASE.search(key)
    if calc is None or asked is None or not calc.inputs.get("加点"):
        return None
    start = max(key.rfind(mark, 0, asked.start()) for mark in "。?!") + 1
    ends = [i for i in (key.find(mark, asked.end()) for mark in "。?!") if i != -1]
    other_case = (start, min(ends, default=len(key) - 1) + 1)

    def without(spans: list[tuple[int, int]]) -> str:
        return "".join(ch for i, ch in enumerate(key) if not any(a <= i < b for a, b in spans))

    # the asker's case without the sentence asking for the other one (「加点なしだと」 states no bonus of its own)
    main = _route_turn(without([other_case]), history)
    if main is not None and main.calculation is not None and main.calculation.kind == calc.kind:
        calc = main.calculation
    spans = [(q.start, q.end) for q in read_quantities(question) if q.role == "申請率"]
    spans += [m.span() for m in _BONUS_POINTS.finditer(key)]
    other = _route_turn(without([*spans, other_case]), history)
    if other is None or other.calculation is None or other.calculation.kind != calc.kind:
        return None
    return Route(own.kind, _both_cases(calc, other.calculation, "加点なし", "加点なしの場合"), (), None)


# 「…を1,200万円まで削れば」「定員を25人にしたら」: a later sentence of the question changing an input it gave
_CHANGED_TO = re.compile(r"^\s*(?:まで|に|へ)\s*(?:削|減ら|抑え|下げ|増や|上げ|変え|落と|し|す)[^。?]{0,3}?(?:れば|せば|えれば|げれば|たら|たとしたら)")


def _changed_in_question(key: str, quantities: Sequence[Quantity]) -> list[Quantity]:
    """[the value as first given, the value a later sentence changes it to] when a later sentence of the question
    supposes another value of an input it gave (same role and unit), else []."""
    for i, later in enumerate(quantities):
        if not _CHANGED_TO.match(key[later.end : later.end + 16]):
            continue
        sentence_start = max(key.rfind(mark, 0, later.start) for mark in "。?!") + 1
        earlier = [q for q in quantities[:i] if q.role == later.role and q.unit == later.unit and q.end <= sentence_start]
        if len(earlier) == 1:
            return [earlier[0], later]
    return []


def _with_second_case(question: str, history: Sequence[Turn], own: Route | None) -> Route | None:
    """A question that gives one input twice, the second as another case (two 申請率, the second 「…の場合も」): the
    calculation for the first, then the same question with the second value in its place, as one answer."""
    if own is None or own.calculation is None:
        return own
    if (no_bonus := _without_bonus(question, history, own)) is not None:
        return no_bonus
    key = normalise(question)
    quantities = read_quantities(question)
    values = [q for q in quantities if q.role == "申請率"]  # the input officers ask twice about
    changed = _changed_in_question(key, quantities)
    if changed:
        values = changed
    elif len(values) != 2:
        # any other input given as two alternatives (「定員は18人か22人か」「事業費が4,000万円か5,000万円」)
        values = next(([a, b] for a, b in zip(quantities, quantities[1:], strict=False)
                       if a.unit == b.unit and _ALTERNATIVE_BETWEEN.fullmatch(key[a.end : b.start])), [])
        if not values:
            return own
    first, second = values
    # 「…の場合も」 after the second value, or the two given as alternatives (「55%を超えるか、54.8%にとどまるか…それぞれ」)
    alternatives = _ALTERNATIVE_BETWEEN.fullmatch(key[first.end : second.start]) and _EITHER_AFTER.search(
        key[second.end : second.end + 40].split("。")[0])
    if not (_SECOND_CASE.search(key[second.end : second.end + 24]) or alternatives or changed):
        return own
    # the second case's sentence is dropped and its value put where the first stood
    sentence_start = max(key.rfind(mark, 0, second.start) for mark in "。?!") + 1
    if alternatives:  # 「Aか、Bか…」: the question with B alone where A and B stood
        alternative = key[: first.start] + key[second.start :]
    else:
        alternative = key[: first.start] + key[second.start : second.end] + key[first.end : sentence_start]
    other = _route_turn(alternative, history)
    calc = own.calculation
    # the first case read alone, where the question's own reading may have added both values: without the sentence
    # that changes it, or without the second alternative's value
    alone_texts = []
    if changed:
        ends = [e for e in (key.find(mark, second.end) for mark in "。?!") if e != -1]
        alone_texts.append(key[:sentence_start] + (key[min(ends) + 1 :] if ends else ""))
    if alternatives:
        alone_texts.append(key[: first.end] + key[second.end :])
    for text in alone_texts:
        alone = _route_turn(text, history)
        if alone is None or alone.calculation is None or alone.calculation.kind != calc.kind:
            return own
        calc = alone.calculation
    if other is None or other.calculation is None or other.calculation.kind != calc.kind:
        return own
    shown = key[second.start : second.end]
    first_case = key[first.start : first.end] if alternatives else ""  # alternatives: each case named
    return Route(own.kind, _both_cases(calc, other.calculation, shown, f"{shown}の場合", first_case), (), None)


# 「甲町61.2%、乙町58.0%…」「P案は…、Q案は…」: one input given once per named case, each value right after its case's name
_CASE_NAME = rf"(?:{_CASE_LETTER}|[一-龥ァ-ヶー]{{1,5}}?)(?:町|村|市|区|社|案|施設|事業|県)"
_CASE_BEFORE = re.compile(rf"(?P<name>{_CASE_NAME})\s*(?:は|が|の|:|=)?\s*(?:[一-龥]{{1,4}}(?:は|が)?)?\s*$")
_CASES_BETWEEN = re.compile(r"^\s*(?:[、,・/]|と|および|及び|\n)?\s*")
# a total over the cases asked for (「合計」「全部で」「総額」): their figures summed, when every case's result names one
_TOTAL_ASKED = re.compile(r"合計|合算|総額|全部で|全体で|計(?:で|は)|トータル|足すと|足し")
MAX_CASES = 8


def _labelled_cases(key: str, quantities: Sequence[Quantity]) -> list[tuple[str, Quantity, int]]:
    """(case name, its value, where its name starts) for the longest run of values of one unit, each right after a
    case's name and separated from the one before only by a list mark; [] when there is no such run of two or more."""
    best: list[tuple[str, Quantity, int]] = []
    run: list[tuple[str, Quantity, int]] = []
    for q in quantities:
        floor = run[-1][1].end if run else max(key.rfind(m, 0, q.start) for m in "。?!\n") + 1
        before = _CASE_BEFORE.search(key[floor : q.start])
        same_run = bool(run) and before is not None and run[-1][1].unit == q.unit and _CASES_BETWEEN.fullmatch(
            key[run[-1][1].end : floor + before.start()]) is not None
        if not same_run:
            run = []
        if before is not None:
            run.append((before.group("name"), q, floor + before.start()))
        if len(run) > len(best):
            best = list(run)
    names = [name for name, _, _ in best]
    return best if 2 <= len(best) <= MAX_CASES and len(set(names)) == len(names) else []


def _written_as(value: int, example: int, summary: str) -> str:
    """`value` in the unit a case's summary writes its `example` figure in (円 as 万円, 点, 人, 社), or bare."""
    if fy(example) in summary:
        return fy(value)
    unit = re.search(rf"(?<![\d,.]){example:,}\s*(点|人|社|件|か所|日)|(?<![\d,.]){example}\s*(点|人|社|件|か所|日)", summary)
    return f"{value:,}{next(g for g in unit.groups() if g)}" if unit else f"{value:,}"


def _with_labelled_cases(question: str, history: Sequence[Turn], own: Route | None) -> Route | None:
    """A question that gives one input for several named cases (each town's 申請率, each plan's 事業費): the same
    question computed once per case, with that case's value alone where the list stood, as one answer; a total
    when asked and every case's result has the same figure."""
    if own is None or own.calculation is None:
        return own
    key = normalise(question)
    cases = _labelled_cases(key, read_quantities(question))
    if not cases or all(name in own.calculation.formula for name, _, _ in cases):
        return own  # (the question's own calculation already went case by case: each company's repayment)
    # each case's value where the first case's stood, in the first case's wording (the later cases' often omit it)
    start, end = cases[0][1].start, cases[-1][1].end
    runs: list[tuple[str, Calculation]] = []
    for name, q, _ in cases:
        routed = _route_turn(key[:start] + key[q.start : q.end] + key[end:], history)
        if routed is None or routed.calculation is None or routed.calculation.kind != own.calculation.kind:
            return own
        runs.append((name, routed.calculation))
    result = {f"{k}（{name}）": v for name, c in runs for k, v in c.result.items()}
    summary = "".join(f"{name}：{c.summary}" for name, c in runs)
    formula = "\n".join(f"【{name}】\n{c.formula}" for name, c in runs)
    extra: list[Step] = []
    shared = [k for k, v in runs[0][1].result.items() if isinstance(v, int) and not isinstance(v, bool)
              and all(isinstance(c.result.get(k), int) for _, c in runs)]
    if _TOTAL_ASKED.search(key) and len(shared) == 1:
        total = sum(int(c.result[shared[0]]) for _, c in runs)
        result[f"{shared[0]}（合計）"] = total
        extra.append(Step("sum", f"{shared[0]}の合計", {name: c.result[shared[0]] for name, c in runs}, total))
        summary += f"{shared[0]}の合計は{_written_as(total, runs[0][1].result[shared[0]], runs[0][1].summary)}です。"
    calculation = combined(own.calculation.kind, [c for _, c in runs], inputs=own.calculation.inputs, result=result,
                           formula=formula, summary=summary, extra_steps=extra)
    return Route(own.kind, calculation, (), None)


def _both_cases(first: Calculation, other: Calculation, case: str, key: str, first_case: str = "") -> Calculation:
    """A question's case and another case of it as one calculation: the other's results keyed 「…（key）」, its
    steps after the first's under 【case の場合】 (and the first's under its own name when it has one)."""
    named = f"{first_case}の場合は、" if first_case else ""
    return combined(first.kind, (first, other), inputs=first.inputs,
                    result={**first.result, **{f"{k}（{key}）": v for k, v in other.result.items()}},
                    formula=(f"【{first_case}の場合】\n" if first_case else "") + f"{first.formula}\n【{case}の場合】\n{other.formula}",
                    summary=f"{named}{first.summary}{case}の場合は、{other.summary}")


def _about_a_catalogue_measure(text: str, earlier: Sequence[str]) -> bool:
    """A turn about another measure of the 2021 catalogue: it names one, or it names nothing of the 制度概要 and the
    turn before named one (「それって…でも使えますか？」 after a question about デジタル活用環境構築推進事業). The 2021
    地方創生テレワーク交付金 is no other measure: officers call the programme by its name (programme_aliases)."""
    from assistant.japanese import programme_aliases

    def others(said: str) -> list[Budget]:
        return [b for b in named_budgets(said) if "テレワーク型" not in programme_aliases(b.measure)]

    if others(text):
        return True
    if re.search(r"[①-⑤]|テレワーク|デジ田|制度概要|今回|高水準|標準タイプ", text):
        return False
    return bool(earlier) and bool(others(earlier[0]))


def applicants_route(question: str) -> Route | None:
    """Applicants for the 進出支援金 listed A, B, C …: each checked against the 支援対象者の要件, the ones that qualify
    paid as a plan (assistant/calculators/applicants.py)."""
    text = _n(question)
    # ④ itself, not ④ closing a range of elements (「①～④は採択済み」 says nothing about 進出支援金)
    if not re.search(r"進出支援金|支援金|(?<![～〜~\-ー－])④", text):
        return None
    applicants = read_applicants(question)
    qualified = [a for a in applicants if not a.refused_by]
    if len(applicants) < 2 or not qualified or any(a.amount is None for a in qualified):
        return None
    kpi = [q.value for q in read_quantities(question) if q.role == "KPI企業数"]
    stated = grant_type_of(question)
    plan = Plan(companies=len(qualified), support_groups=tuple((1, a.amount or 0) for a in qualified),
                kpi_companies=kpi[0] if kpi else None, grant_type=stated)
    money = calculate_plan(plan, (stated,) if stated else TYPES)
    return Route("plan_program", with_applicants(applicants, money), (), None)


_FACILITY_COUNT = re.compile(r"(\d+)\s*(?:か所|カ所|ヶ所|箇所|施設|棟)")
_FACILITY_WORDS = re.compile(r"施設|オフィス|サテオフ|コワーキング|拠点|か所|カ所|ヶ所|箇所")


def facility_counts_route(question: str) -> Route | None:
    """「…の3施設の計画で大丈夫ですよね？」「20人未満なら4か所いける？」: a yes/no question about a plan's facilities
    (each with its 収容可能人数, or N of one size) and no amount asked, checked against the count limits."""
    text = _n(question)
    if not is_yes_no(question) or re.search(_MONEY_ASK, text) or not _FACILITY_WORDS.search(text):
        return None
    sizes = [q.value for q in read_quantities(question) if q.role == "定員"]
    counted = _FACILITY_COUNT.search(text)
    if len(sizes) <= 1 and counted and int(counted.group(1)) >= 2:
        # N facilities of one size: the size stated, else the band named (「20人未満」 is read as 19人)
        sizes = sizes * int(counted.group(1)) if sizes else []
    if len(sizes) < 2:
        return None
    return Route("facility_counts", facility_counts(sizes), (), None)


# (「12観点」 are ①～④'s twelve viewpoints: a sheet of them is ①～④'s, whatever the conversation was about)
_NAMES_A_PART = re.compile(r"[①-⑤]|進出企業定着|施設|定員|ソフト経費|進出支援金|活用促進|開設支援|整備|12\s*(?:の)?(?:評価の)?観点")


def _about_project5(text: str, earlier: Sequence[str]) -> bool:
    """A turn naming no element of its own, with a score or a project's amount, after a turn about ⑤ (the latest
    earlier turn naming an element names ⑤)."""
    if not earlier or _NAMES_A_PART.search(text) or not re.search(r"\d\s*点|プロジェクト|事業費|\d\s*本", text):
        return False
    latest = next((e for e in earlier[:2] if re.search(r"[①-⑤]|進出企業定着", e)), "")
    return bool(NAMES_FIFTH.search(latest))


# 「何日空いて」「何日間」「日数は」: a count of days asked (not the day asked: 「何日の何時」「何月何日」「何日までに」)
_DAYS_ASK = re.compile(r"(?<!月)何日(?![のにま何]|から|が)|日数|何週")


# 「12月20日に相談に行きたいが、まだ間に合うか」: a day of the asker's checked against a phase
_DAY_OF_ASKER = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:[(（][月火水木金土日][)）])?\s*(?:ごろ|頃)?(?:に|まで)")
_STILL_ASK = _YesNoAsk(r"受け付け|受付|間に合|大丈夫|まだ|できます|できる|OK|可能")  # asked yes/no


def schedule_route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """Days between the schedule's dates: each clause that asks a count of days, with the events it names; or a day
    the asker plans checked against the phase it names. 「そこから」 points at the date the turn before asked about."""
    text = _n(question)
    day = _DAY_OF_ASKER.search(text)
    if day and not _DAYS_ASK.search(text) and _STILL_ASK.search(text[day.end() :]):
        checked = date_in_phase(int(day.group(1)), int(day.group(2)), text)
        return Route("schedule_date", checked, (), None) if checked is not None else None
    if not _DAYS_ASK.search(text):
        return None
    clauses = [c for c in re.split(r"(?<=[、。？?])", text) if c.strip()]
    asks: list[tuple[list[Event], bool]] = []
    named: list[Event] = []
    previous = next((_n(t.content) for t in reversed(history) if t.role == "user" and t.content.strip()), "")
    if previous and re.match(r"\s*(?:では|じゃあ)?、?\s*(?:そこ|その日|そっから|それ)", text):
        named = events_named(previous)[-1:]  # the date the turn before asked about is where the count starts
    for clause in clauses:
        named += events_named(clause)
        if _DAYS_ASK.search(clause):
            # the events named since the previous ask, this clause's own first
            asks.append((list(dict.fromkeys(named)), bool(re.search(r"含め|含む|両日", clause))))
            named = []
    if not any(events for events, _ in asks):
        return None
    try:
        weekdays = bool(re.search(r"土日(?:祝日?)?(?:を|は)?除|平日|営業日|開庁日", text))
        return Route("schedule_days", days_between(asks, weekdays), (), None)
    except CalculationError:
        return None


# Whose score a 「N点」 is: the nearest mark before it — ⑤ (or ⑤'s sheet: 基礎項目・付加項目), else ①～④'s sheet.
_SCORE_OWNER = re.compile(r"⑤|進出企業定着|基礎項目|付加項目|(?P<first>①|12\s*(?:の)?観点|素点)")
_POINTS = re.compile(r"(\d+)\s*点")


# A figure derived from the adopted examples' KPI tables, by what the question asks of them.
_MOST = r"(?:いちばん|一番|最も|最大|最多|多い順|少ない順|最小|最少)"
# a total asked for (of example rows, of catalogue budgets)
_SUM_ASK = re.compile(r"合計|足す|足し|合わせ")
_METRIC_ASKS = (
    # (国費 over the outside users, before the outside users alone, which the same words name)
    ("県外利用者1人あたりの国費", re.compile(r"県外[^。]{0,30}?利用者[^。]{0,40}?国費[^。]{0,20}?(?:割る|割っ|÷|(?:1人|一人)(?:あたり|当たり))"
                                   r"|国費[^。]{0,30}?県外[^。]{0,20}?利用者[^。]{0,20}?(?:割る|割っ|÷)")),
    ("県外利用者数", re.compile(r"県外(?:から)?の?(?:延べ|のべ)?利用者(?:数)?[^。]{0,30}?(?:人数|何人|×|掛け|直す|直し)")),
    ("県外企業の割合", re.compile(r"県外企業[^。]{0,20}?(?:割合|占める|比率|何\s*[%％])|(?:割合|比率)[^。]{0,20}?県外企業")),
    ("利用者1人あたりの国費", re.compile(r"国費[^。]{0,30}?利用者[^。]{0,20}?(?:割る|割っ|÷)|(?:1人|一人)(?:あたり|当たり)の?国費")),
    ("交付対象事業費", re.compile(rf"交付対象事業費[^。]{{0,24}}?{_MOST}|{_MOST}[^。]{{0,24}}?交付対象事業費|交付対象事業費[^。]{{0,30}}?何倍")),
    # (a row compared as it stands, after the derived figures that name it: 「国費を利用者数で割ると」 is not 利用者数)
    *((row, re.compile(rf"{ask}[^。]{{0,24}}?{_MOST}|{_MOST}[^。]{{0,24}}?{ask}")) for row, ask in (
        ("移住者数", r"移住者"), ("利用企業数", r"利用企業"), ("利用者数", r"(?<!県外)(?<!県外の)利用者(?!割合)"))),
)


_ONE_OF_ALL = re.compile(r"(?:だけ|のみ)で[^。]{0,8}?(?:何割|何%|何パーセント|占め)|\d\s*事例")


def example_metrics_route(question: str) -> Route | None:
    """A figure of the adopted examples' 2024 targets asked per example and compared (the outside users, the
    outside companies' share, the 国費 per user): the named examples, else all the facility examples."""
    text = _n(question)
    if "事例" not in text and not named_examples(text):
        return None
    named = [e for e in named_examples(text) if e.kpi]
    chosen = named or [e for e in examples_of(text) if e.kpi and not e.project5]  # (of the type named, if any)
    # (「5割ライン」「何人上回る」: the requirement's line asked about in other words)
    asked = bool(re.search(r"要件|満たし|クリア|達して|通用|ライン|上回|下回|届[いくか]", text))
    against = re.search(r"(高水準|標準)(?:タイプ)?の?(?:KPI)?(?:の)?(?:申請)?(?:要件|[3５5３]割ライン)", text)
    if named and asked and against and re.search(r"県外企業|県外利用", text):
        # 「古賀市の目標は高水準の要件を満たす水準か」: the named examples' targets against the type named
        return Route("example_kpi_check", example_kpi_check(named, against.group(1)), (), None)
    rows = rows_asked(text)
    # one named example's share of all the examples' total (the total asked, then what one example makes of it)
    share_of = named[0] if len(named) == 1 and _ONE_OF_ALL.search(text) else None
    if share_of is not None:
        chosen = [e for e in examples_of(text) if e.kpi and not e.project5]
    # a row's own total (「利用企業数の合計」「移住者数を全部足すと」), not the total of a figure derived per example
    if chosen and rows and re.search(r"(?:企業数|利用者数|移住者数)[^。？?]{0,8}?(?:合計|総数|総計|足す|足し)", text) \
            and len(chosen) >= 2:
        return Route("example_row_totals", example_row_totals(chosen, rows, share_of), (), None)
    metric = next((name for name, ask in _METRIC_ASKS if ask.search(text)), None)
    if metric is None or not chosen:
        return None
    return Route("example_metric", example_metric(chosen, metric, asked, rounded=bool(re.search(r"四捨五入|端数|切り上げ", text)),
                                                  summed=bool(_SUM_ASK.search(text))), (), None)


def both_scorings_route(question: str) -> Route | None:
    """①～④'s score and ⑤'s in one question (同時申請): each graded on its own scale with the My Number bonus,
    ①～④'s grade deciding the type both are adopted at (⑤ takes ①～④'s type)."""
    t = _n(question)
    if not NAMES_FIFTH.search(t) or not _POINTS.search(t):
        return None
    owned: dict[str, list[re.Match[str]]] = {"1-4": [], "5": []}
    for m in _POINTS.finditer(t):
        marks = list(_SCORE_OWNER.finditer(t, 0, m.start()))
        if marks and not re.match(r"\s*(?:以上|以下|未満|満点|差)", t[m.end() : m.end() + 3]):
            owned["1-4" if marks[-1].group("first") else "5"].append(m)
    if len(owned["1-4"]) != 1 or len(owned["5"]) != 1:
        return None
    first, fifth = owned["1-4"][0], owned["5"][0]
    bonus = _bonus(t.replace(fifth.group(), "")) or 0
    included = re.search(r"加点込み|加点を?含", t[max(0, fifth.start() - 12) : fifth.end() + 8])
    applied = _applied_type(t)
    try:
        decision = calculate("adoption_decision", {"総合評価点数": int(first.group(1)), "申請タイプ": applied, "加点": bonus,
                                                   "申請要件×": _cross(t)})
        adopted = decision.result.get("採択区分")
        kind = next((k for k in ("高水準", "標準") if isinstance(adopted, str) and k in adopted), None)
        project = calculate("project5_adoption", {"総合評価点数": int(fifth.group(1)), "加点": 0 if included else bonus,
                                                  "申請要件×": _cross5(t[fifth.start() - 80 :] if fifth.start() > 80 else t),
                                                  **({"タイプ": kind} if kind else {})})
    except CalculationError as error:  # a score outside its scale: said, not computed
        return Route("both_scorings", None, ("総合評価点数",), str(error))
    summary = f"①～④：{decision.summary.split('。')[0]}。{project.summary.split('。')[0]}。"
    parts = [decision, project]
    result: dict[str, object] = {"①～④の採択区分": adopted, "⑤の評価": project.result.get("評価"),
                                 "⑤の採択区分": project.result.get("採択区分"), **({"採択タイプ": kind} if kind else {})}
    plan = replace(read_plan(question), grant_type=kind)  # the plan's amounts at the adopted type
    if project.result.get("採択区分") != "採択":
        plan = replace(plan, projects5=())  # ⑤ not adopted: only ①～④'s amounts
    if kind and not plan.empty and not missing_inputs(plan):
        money = calculate_plan(plan, (kind,))
        summary += money.summary.split("。")[0] + "。"
        parts.append(money)
        result.update({k: v for k, v in money.result.items() if k in ("国費", "交付対象事業費", "地方負担")})
    formula = "\n".join(f"【{name}】{c.formula}" for name, c in zip(("①～④", "⑤", "事業費"), parts, strict=False))
    return Route("both_scorings", combined("both_scorings", parts, inputs={**decision.inputs, "⑤の総合評価点数": int(fifth.group(1))},
                                           result=result, formula=formula, summary=summary), (), None)


# which municipalities, by name: 「どこが載っていますか」「具体的にどの市町村」「名前を挙げて」
_LISTED_NAMES_ASK = re.compile(r"どこ|どの(?:市町村|自治体|団体|市|町|村)|具体的に|名前|挙げて|列挙|全部教えて|(?:すべて|全て|残らず)(?:教え|挙げ|知り)")


# a share asked as a number (「何%」「何割」), and a ratio asked as such (「何倍」「何分の1」「割合」)
_PERCENT_ASK = r"何\s*[%％]|何パーセント|何割"
_RATIO_ASK = rf"何倍|分の\s*1|分の一|割合|{_PERCENT_ASK}"
_BUDGET_ARITHMETIC = re.compile(rf"合計|足す|足し|合わせ|差|どっち|どちら|{_RATIO_ASK}|比べ|比較")
_BUDGET_RATIO = re.compile(rf"{_RATIO_ASK}|比べ|比較")
# every measure's budget added up: 「全部足すと」「すべての施策の予算を合計」
_EVERY_BUDGET = re.compile(r"(?:全部|すべて|全て|全施策)[^。？?]{0,8}(?:足す|足し|合計|合わせ)|(?:足す|足し|合計|合わせ)[^。？?]{0,6}(?:全部|すべて|全て)")


def budgets_route(question: str, history: Sequence[Turn] = ()) -> Route | None:
    """The 2021 catalogue's budgets of two or more measures, added up, compared or divided; a measure the turn
    before named counts when this turn points back to it (「そこの予算と…」)."""
    text = _n(question)
    if "予算" not in text or not _BUDGET_ARITHMETIC.search(text):
        return None
    named = named_budgets(text)
    if _EVERY_BUDGET.search(text):
        # every measure of the catalogue's list, and the sum again without one named to be left out
        left = [b for b in named if _left_out(text, b)]
        every = list(catalogue_budgets())
        # 「そのうち…が占める割合」: the one measure named (not left out) as a share of the sum
        kept = [b for b in named if b not in left]
        share_of = kept[0] if len(kept) == 1 and _SHARE_OF_SUM.search(text) else None
        return Route("catalogue_budgets", compare_budgets(every, every, None, without=left[0] if left else None,
                                                          share_of=share_of), (), None)
    if history and re.search(r"そこ|その|それ|この|同じ|さっき|先ほど", text):
        previous = next((_n(t.content) for t in reversed(history) if t.role == "user"), "")
        named = [*(b for b in named_budgets(previous) if b not in named), *named]
    # 「情報銀行の事業は除いて、…の3つを足すと」: a measure named to be left out is not summed
    named = [b for b in named if not _left_out(text, b)]
    if len(named) < 2:
        return None
    against = gap_to = None
    # a difference asked wins over 「比べ」 alone, which is as often the asker's own task (「予算を比べています」)
    ratio = _BUDGET_RATIO.search(text)
    if ratio and not _BUDGET_RATIO_ONLY.search(text) and _BUDGET_GAP.search(text):
        ratio = None
    if ratio and len(named) >= 3:
        # 「…の3つを足すと？…交付金と比べると何分の1？」: the measure named last, before the comparison, is the yardstick
        before = [b for b in named_budgets(text[: ratio.start()])]
        against = before[-1] if before else named[-1]
    elif (gap := _BUDGET_GAP.search(text)) and len(named) >= 3 and _SUM_ASK.search(text[: gap.start()]):
        # 「3つを足すと？それと、…交付金とはどれだけ差が？」: the sum against the measure named with the difference
        before = [b for b in named_budgets(text[: gap.start()]) if b in named]
        gap_to = before[-1] if before else named[-1]
    summed = [b for b in named if b not in (against, gap_to)]
    return Route("catalogue_budgets", compare_budgets(named, summed, against, gap_to), (), None)


_SHARE_OF_SUM = re.compile(rf"占める|割合|{_PERCENT_ASK}|シェア")
_BUDGET_GAP = re.compile(r"差|違い|どれだけ(?:多|少)|いくら(?:多|少)|どのくらい(?:多|少)|より(?:多|少)")
_BUDGET_RATIO_ONLY = re.compile(_RATIO_ASK)  # a ratio asked as such, not by 「比べ」
_LEFT_OUT = re.compile(r"^[^、。？?]{0,8}?(?:は|を)?(?:除いて|除いた|除き|除く|抜いて|抜いた|抜き|以外)")


def _left_out(text: str, budget: Budget) -> bool:
    """The text names the measure to leave it out (「…の事業は除いて」「…以外の」)."""
    return any(_LEFT_OUT.match(text[m.end():]) for name in names_of(budget) for m in re.finditer(re.escape(name), text))


_LISTED_TABLE = re.compile(r"一覧|参考|載って|掲載|リスト")
_LISTED_TABLE_TOPIC = re.compile(r"東京圏|条件不利|人口減少|東京都|埼玉|千葉|神奈川")
# a kind of municipality asked about: 「『村』は」「村はいくつ」「市は全部で何」「何市」「村の数」「村ってありました」
_LISTED_KIND = re.compile(r"[『「]([市町村])[』」]|([市町村])(?:は|が|って)[^。？?]{0,8}?(?:いくつ|何|あり|ある)|([市町村])の数"
                          r"|何([市町村])")
_EVERY_PREFECTURE = re.compile(r"都県別|都県ごと|各都県|都県それぞれ")


# the asker's own 都 said as such: 「都内の町村」「都庁で…担当」 (「東京」 alone is no 都県 here: it is 東京圏's)
_OWN_METROPOLIS = re.compile(r"都内|都庁|都下|都の(?:担当|市町村|町村|島しょ)")


def _tokyo_area_named(text: str) -> list[str]:
    """The 東京圏 都県 a text names: by name (the 県 ones with or without 県: 「埼玉・千葉の町」), 東京都 also as 「都内」."""
    return [p for p in TOKYO_AREA if p in text or (p != "東京都" and p[:-1] in text)
            or (p == "東京都" and _OWN_METROPOLIS.search(text))]


def _listed_count_route(text: str, history: Sequence[Turn]) -> Route | None:
    """How many municipalities the 参考 table lists (of a kind, for the 都県 named). A follow-up that asks only for
    a kind (「そこに町はいくつ？」) counts in the table and 都県 of the turn before it, when that turn asked about the
    table."""
    context = text
    if not (_LISTED_COUNT_ASK.search(text) and _LISTED_TABLE.search(text) and _LISTED_TABLE_TOPIC.search(text)):
        previous = next((_n(t.content) for t in reversed(history) if t.role == "user"), "")
        if not (_LISTED_KIND.search(text) and len(text) < 40 and _LISTED_COUNT_ASK.search(previous)
                and _LISTED_TABLE.search(previous) and _LISTED_TABLE_TOPIC.search(previous)):
            return None
        context = previous + "\n" + text
    kind = _LISTED_KIND.search(text)
    asked_kind = next((g for g in kind.groups() if g), None) if kind else None
    named = _tokyo_area_named(context)
    return Route("listed_count", listed_count([] if _EVERY_PREFECTURE.search(context) else named, asked_kind), (), None)


# how many items a list has: 「何項目」「いくつ挙がって」「項目数」
_LIST_COUNT_ASK = re.compile(r"何項目|項目数|何個|何種類|(?:いくつ|何つ)(?:あ|挙が|並|載|書)")


def _list_count_route(text: str) -> Route | None:
    """A ■ list of the 制度概要 counted (assistant/calculators/lists.py): the part (①～④ / ⑤) the question names, or
    both with what only one of them has."""
    if not _LIST_COUNT_ASK.search(text):
        return None
    asked = lists_asked(text)
    fifth = bool(NAMES_FIFTH.search(text))
    facilities = bool(re.search(r"[①-④](?![～〜~]\s*⑤)|施設整備・利用促進", text))
    chosen = [b for b in asked if (b.part == FIFTH and (fifth or not facilities)) or (b.part != FIFTH and (facilities or not fifth))]
    return Route("list_count", count_lists(chosen), (), None) if chosen else None


# figures of the scoring scales themselves (assistant/calculators/scoring.scale_arithmetic)
_HIGHEST_ASK = re.compile(r"最高点|理論上[^。]{0,12}何点|最大で何点")
_S_SHARE_ASK = re.compile(r"満点に対する(?:割合|比率)|満点の(?:何割|何%|何パーセント)")
# (an average asked as such: 「1観点あたり何点の幅」 asks the scale's range, a lookup)
_AVERAGE_ASK = re.compile(r"(?:1|一)?観点(?:あたり|当たり)[^。]{0,12}平均|平均(?:点|何点)")
_GIVEN_BONUS = re.compile(r"加点(?:が|は)?\s*(\d)\s*点|(\d)\s*点の加点")


def _scale_route(text: str) -> Route | None:
    """The scales' own figures asked (no score sheet of the asker's): the highest totals, S's share of 満点, the
    average per viewpoint a grade needs."""
    asks = frozenset(name for name, ask in (("highest", _HIGHEST_ASK), ("s_share", _S_SHARE_ASK), ("average", _AVERAGE_ASK))
                     if ask.search(text))
    if not asks:
        return None
    bonus_spans = [m.span() for m in _GIVEN_BONUS.finditer(text)]
    if any(not any(a <= m.start() < b for a, b in bonus_spans) for m in re.finditer(r"\d+\s*点", text)):
        return None  # a score of the asker's own: the sheet's routes read it
    fifth = bool(NAMES_FIFTH.search(text))
    facilities = bool(NAMES_FACILITIES.search(text))
    parts = tuple(p for p, named in ((FACILITIES, facilities or not fifth), (FIFTH, fifth)) if named)
    given = next((int(g) for m in _GIVEN_BONUS.finditer(text) for g in m.groups() if g), None)
    return Route("scale_arithmetic", scale_arithmetic(parts, asks, given), (), None)


def _route_turn(question: str, history: Sequence[Turn] = ()) -> Route | None:
    text = _n(question)
    scheduled = schedule_route(question, history)
    if scheduled is not None:
        return scheduled
    counted = _listed_count_route(text, history) or _list_count_route(text) or _scale_route(text)
    if counted is not None:
        return counted
    named_prefectures = _tokyo_area_named(text)
    if named_prefectures and _LISTED_NAMES_ASK.search(text) and (
            _LISTED_TABLE.search(text) or (
                re.search(r"入って|対象|申請でき|該当", text)
                and any(re.search(r"東京圏|条件不利|人口減少", _n(t.content)) for t in history if t.role == "user"))):
        # which municipalities the 参考 table lists for a 都県 (asked outright, or after a turn about the 東京圏 rule)
        unlisted = [n for p in named_prefectures for n in _unlisted_named(text, p)]
        return Route("listed_names", listed_names(named_prefectures, unlisted), (), None)
    reverse = _cost_asked_from_share(text, read_quantities(question))  # a stated share is no plan's cost
    if reverse is not None:
        return Route("cost_from_share", reverse, (), None)
    earlier = [_n(t.content[:MAX_TURN_CHARS]) for t in reversed(history) if t.role == "user" and t.content.strip()]
    if _about_project5(text, earlier):
        # a score sheet or a project's amount in a conversation about ⑤ is ⑤'s (6 viewpoints, 21 points; the
        # per-project cap and the KPI's count limit)
        text, question = f"⑤の{text}", f"⑤の{question}"
    several = _several_municipalities(text)
    if several is not None:
        return several
    # Repayments first: a turn about a company leaving is never a plan, even after a plan's turns.
    planned = (budgets_route(question, history) or both_scorings_route(question) or example_metrics_route(question) or repayments_route(question, history) or applicants_route(question) or plan_route(question, history)
               or catalogue_route(question, history)
               or checks_route(question, history) or facility_counts_route(question))
    if planned is not None:
        return planned
    from assistant.question_parts import asking_sentence

    if targets_asked(text, _n(asking_sentence(question))):
        return None  # an adopted example's targets asked (its 移住者数 …): a figure of its table, not a rule's minimum
    # A short follow-up inherits the earlier question's calculator only when it asks nothing of its own
    # (「標準タイプだと？」 after a 国費 question; not 「返してもらう必要は？」 after one).
    own_asks = [bool(shape.asks.search(text)) for shape in _SHAPES]
    asks_own = any(own_asks)
    for shape, own in zip(_SHAPES, own_asks, strict=True):
        # the topic may have been set two turns back (「KPIの移住者数は？」「うちだと何人？」「隣の市だと？」)
        follow = (not own and not asks_own and earlier and len(text) <= 80
                  and bool(shape.asks.search(" ".join(earlier[:2])) or shape.asks.search(" ".join([text, *earlier[:1]]))))
        if not own and not follow:
            continue
        if shape.kind == "eligibility" and _about_a_catalogue_measure(text, earlier):
            continue  # the 2021 measure's own 補助対象者 (its lines answer), not the 制度概要's eligibility
        trigger = next(iter(shape.inputs))
        relative = _RELATIVE_POINTS.search(text) if earlier and "総合評価点数" in shape.inputs else None
        if trigger not in _extract(shape, [text] if own and not relative else [text, *earlier[:2]]):
            if own and shape.unreadable:
                return Route(shape.kind, None, (trigger,), shape.unreadable)
            continue  # a lookup (「50人以上の施設の上限はいくら？」) with nothing to compute: retrieval answers it
        inputs = _extract(shape, [text, *earlier])
        if shape.kind.startswith("project5") and (adopted := _elements_1_to_4_type([text, *earlier])):
            inputs["タイプ"] = adopted  # ⑤ takes ①～④'s adopted type, whatever its own grade (「A評価なら高水準？」)
        earlier_total = inputs.get("総合評価点数")
        if relative and isinstance(earlier_total, int):  # the earlier total, changed by this turn
            inputs["総合評価点数"] = earlier_total + int(relative.group(1) or relative.group(2))
        if shape.kind == "adoption_decision" and "申請要件×" not in inputs:
            failed = _kpi_requirement_failed([text, *earlier], inputs.get("申請タイプ"))
            if failed:
                inputs["申請要件×"] = "はい"
                inputs["満たさない申請要件"] = failed
        missing = tuple(n for n in shape.required if n not in inputs)
        if shape.kind == "b1_b2_check" and not ({"B1", "B2"} & set(inputs)):
            missing = (*missing, "B1 または B2 の金額")
        if missing and named_examples(text) and not own_of_asker(text):
            return None  # a figure of the adopted example named, not of the asker's plan: retrieval answers it
        if missing:
            names = "、".join(_INPUT_NAMES.get(n, n) for n in missing)
            title = CALCULATORS[shape.kind].title
            return Route(shape.kind, None, missing, f"{title}を計算するには、{names}を教えてください。")
        plan = read_plan(question) if shape.kind == "adoption_decision" else Plan()
        with_plan = not plan.empty and not [m for m in missing_inputs(plan) if m != "タイプ"]  # the decision types it
        if with_plan:
            inputs.pop("交付対象事業費", None)  # the plan program caps and sums what a single amount would not
        try:
            calculation = calculate(shape.kind, inputs)
            if with_plan:
                calculation = _with_plan(calculation, plan, compare=bool(followup.DIFFERENCE_ASK.search(text)))
            reads_bonus = "加点" in shape.inputs or shape.kind == "mynumber_bonus"
            premise = _bonus_premise(text) if reads_bonus else ""
            if reads_bonus:
                calculation = _with_counted_rate(calculation, [text, *earlier])
            month = _rate_month(text) if shape.kind == "mynumber_bonus" else None
            if month is not None:
                calculation = replace(calculation, result={**calculation.result, "申請率の時点": month},
                                      summary=f"加点は12月末時点の申請率で算定されます（{month}の率ではありません）。"
                                              f"12月末も同じ率なら、{calculation.summary}")
            if premise:
                calculation = replace(calculation, summary=premise + calculation.summary)
        except CalculationError as exc:
            return Route(shape.kind, None, (), f"計算できませんでした：{exc}")
        return Route(shape.kind, calculation, (), None)
    return None


def _with_plan(decision: Calculation, plan: Plan, compare: bool = False) -> Calculation:
    """A score sheet and a plan in one question: the adoption decision gives the type, the plan program its 国費
    at that type (caps, bands and the soft-cost limit applied), as one calculation of both programs' steps. An
    application for 高水準 adopted as 標準, with a difference asked (「高水準で採れた場合と比べて」), gets both
    types' 国費 and their difference."""
    adopted = str(decision.result.get("採択区分", ""))
    if not adopted.endswith("タイプで採択"):
        return decision  # not adopted (or the type still open): no 国費 to compute
    kind = adopted.removesuffix("タイプで採択")
    applied = str(decision.inputs.get("申請タイプ", ""))
    types = ("高水準", "標準") if compare and kind == "標準" and applied.startswith("高水準") else (kind,)
    money = calculate_plan(replace(plan, grant_type=kind), types)
    return combined(decision.kind, (decision, money), inputs={**decision.inputs, **money.inputs},
                    result={**decision.result, **money.result}, formula=f"{decision.formula}\n{money.formula}",
                    summary=f"{decision.summary}{money.summary}")
