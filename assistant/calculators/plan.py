"""A municipality's whole plan, computed as a program of cited steps.

A plan is what an officer describes: facilities (定員 and 事業費, or 「上限まで」), ソフト経費, a ③ promotion, ④
進出支援金 for N companies, ⑤ projects (limited in number by the KPI's outside-prefecture companies). The
program applies, in order: the size band of each facility and its cap, the per-団体 facility-count limits,
the soft-cost cap, the ③ cap, the 進出支援金 per company, the ⑤ cap and count limit, the sum, the rate of the
type, the 千円 truncation of the adopted examples, and the local burden (everything stated minus 国費). Every
number comes from rules.toml; every step names the rule it applies.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from fractions import Fraction

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.common import cited_rules, floor_to, percent_text, rate_of
from assistant.calculators.grants import size_band
from assistant.calculators.rules import fraction, integer, integers, rule
from assistant.calculators.shares import Contribution, contribution_steps, read_contributions
from assistant.errors import CalculationError
from assistant.quantities import Quantity, item_label, normalise, of_role, read_quantities
from assistant.types import Calculation, Step
from assistant.vocabulary import grant_type_of

UP_TO_THE_CAP = 10**12  # an amount asked 「上限いっぱい」: the cap itself applies
BANDS = (("cap_facility_under20", "20人未満"), ("cap_facility_20to49", "20人以上50人未満"), ("cap_facility_50plus", "50人以上"))
TYPES = ("高水準", "標準")


@dataclass(frozen=True)
class Facility:
    people: int | None
    cost: int | None  # None: 「上限まで」 (the band's cap)
    label: str = ""  # the asker's own letter for it (「A：旧公民館…」), so the answer names it as they do

    def named(self, i: int) -> str:
        return self.label or f"施設{i}"


@dataclass(frozen=True)
class Plan:
    facilities: tuple[Facility, ...] = ()
    soft: tuple[int, ...] = ()
    soft_to_cap: bool = False
    promotion3: tuple[int, ...] = ()
    companies: int | None = None
    support_each: int | None = None
    # several groups paid differently (「5社に満額、2社に60万円ずつ」): (社数, 1社あたり)
    support_groups: tuple[tuple[int, int], ...] = ()
    projects5: tuple[int, ...] = ()
    kpi_companies: int | None = None
    adopted5: int = 0
    eligible_given: int | None = None  # an amount stated as the 交付対象事業費: already the eligible amount, no cap to apply
    grant_type: str | None = None
    # The 2021 交付金: 8割 of the local burden was covered by the 地方創生臨時交付金 (the 実質的な地方負担 asked)
    temporary_grant: bool = False
    # costs the plan names that the documents exclude (職員の人件費, 基金積立 …): (what, amount, rule name)
    excluded: tuple[tuple[str, int, str], ...] = ()
    # the facilities are candidates to choose from (「候補から選ぶ」): one a count limit leaves out is not built,
    # so its cost is no burden either
    choosing: bool = False
    # the asker wants the 国費's share of the whole cost (「総事業費に対する国費の割合」: caps make it less than the rate)
    share_asked: bool = False
    # how the asker counts ⑤ projects (「1本」「2件」): the answer counts them the same way
    counter: str = "件"
    # partners paying part of the local share (寄付金・負担金): (who, share of it or None, amount or None)
    contributions: tuple[Contribution, ...] = ()
    # the shares are of everything but the 国費 (「国費以外の部分の2割」), not only of the 交付対象's local share
    contributions_of_all: bool = False

    @property
    def empty(self) -> bool:
        return not (self.facilities or self.soft or self.soft_to_cap or self.promotion3 or self.companies
                    or self.projects5 or self.eligible_given)


# ---- reading a plan from a question -----------------------------------------------------------------
_CHOOSING = re.compile(r"候補|選ぶ|選び|選べ|選定|組み合わせ|どれを|どの施設")
_UP_TO_CAP = re.compile(r"上限(?:額)?(?:いっぱい|まで|どおり|通り|の|を|ずつ)|満額|最大限|上限額?で")
_NAMED_CAP = re.compile(r"(?:上限|最大|最高)(?:額)?(?:は|の|が)?\s*$")
# ソフト経費 named, or one of the items the documents list under it (プロモーション経費, ビジネスマッチング・セミナー
# 経費, 企業の採用活動経費（インターン、説明会）, オンライン会議用ブース料) in an officer's words (PR動画, マッチング
# イベント …)
_SOFT_CUE = re.compile(r"ソフト(?:経費|事業)|プロモーション|PR|ピーアール|(?:ビジネス)?マッチング|セミナー|採用活動|インターン"
                       r"|会社説明会|オンライン会議用?ブース")
# ⑤ named, or described as what it is: a company that moved in working with local firms (「進出企業と地元の酒蔵が組んで」)
_P5 = re.compile(r"⑤|進出企業定着|地域活性化支援事業|進出(?:した)?企業[^。]{0,12}地元[^。]{0,20}(?:組|連携|協働|共同)"
                 r"|地元[^。]{0,20}進出(?:した)?企業[^。]{0,12}(?:組|連携|協働|共同)")
_P3 = re.compile(r"③|活用促進")
# an element named to leave it out (「⑤は除く」「⑤を除いて」「⑤以外」): the plan is not about it
_LEFT_OUT = re.compile(r"[（(]?\s*[③⑤]\s*(?:は|を)?\s*(?:除く|除いて|除き|含めない|入れない)\s*[）)]?|[③⑤]\s*以外")
_FACILITY_WORD = re.compile(r"施設|オフィス|スペース|コワーキング|拠点|整備")


# 対象外経費 in an officer's words, each with its rule and the exception the rule itself states (「職員旅費（トップ
# セールスに伴う随行旅費は除く）」「従前から実施してきているイベント…（ただし…新たなサイドイベント等…は交付対象と
# なり得る）」); the ⑤-only one applies to a ⑤ plan (there the facility plan's own soft items — matching, seminars,
# setting up the 協議会 — are excluded).
@dataclass(frozen=True)
class ExcludedCost:
    label: str
    rule: str
    names: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    only5: bool = False
    within: re.Pattern[str] | None = None  # the measure the rule belongs to, when not the grant itself


_EXCLUDED_COSTS: tuple[ExcludedCost, ...] = (
    ExcludedCost("職員の人件費", "excluded_staff_pay", re.compile(r"職員[^、。，]{0,8}?(?:人件費|給与|給料|残業|手当)")),
    ExcludedCost("職員旅費", "excluded_staff_travel", re.compile(r"(?:職員|担当者?|係長|主事|主査|主任|課長|課員|役場の|スタッフ)[^。，]{0,24}?(?:旅費|出張(?!所)|交通費|宿泊費|宿泊代)"),
                 unless=re.compile(r"トップセールス|(?:町長|市長|村長|首長|知事)[^、。，]{0,10}?(?:随行|同行|付き添)")),
    ExcludedCost("従前から実施しているイベント", "excluded_existing_event",
                 re.compile(r"(?:毎年|例年|従前|恒例|これまで|昔から|ずっと)[^、。，]{0,16}?(?:イベント|フェス|祭|まつり|会議|フェア|大会)"),
                 unless=re.compile(r"新た|新しく|新規|サイドイベント")),
    ExcludedCost("地域おこし協力隊員の人件費", "excluded_supported_pay",
                 re.compile(r"地域おこし協力隊[^、。，]{0,8}?(?:人件費|報酬|給与|給料)")),
    ExcludedCost("特定の個人に対する給付", "excluded_individual_payment",
                 re.compile(r"(?:個人|本人|移住者|移住して)[^。]{0,24}?(?:奨励金|給付金|祝い金|祝金|一時金"
                            r"|(?:引っ?越し?|転居|家賃)[^。]{0,4}?(?:補助|助成|手当|支援))")),
    ExcludedCost("基金積立・貸付金", "excluded_loans_funds", re.compile(r"基金|積立|積み立て|貸付|貸し付け|保証金")),
    # the same cost already paid by another national subsidy (an 改修費 another ministry has granted)
    ExcludedCost("国の補助金等を受けている事業の経費", "excluded_other_national_subsidy",
                 re.compile(r"(?:国|総務省|国交省|国土交通省|経産省|経済産業省|厚労省|厚生労働省|農水省|農林水産省|文科省|文部科学省"
                            r"|環境省|観光庁|他省庁|別の省庁)の?[^。]{0,40}?補助(?:金|事業)?[^。]{0,16}?"
                            r"(?:受け|決ま|確定|採択され|もらっ|もらえる|入る|充て)"),
                 # the same cost funded twice, not a facility built with another subsidy once and used now
                 within=re.compile(r"同じ|同一|上乗せ|重ねて|併用|二重|両方|重複")),
    # the お試し measure's own exclusion: works on a building (「空き家を改修する工事費」)
    ExcludedCost("ハード事業（工事等）", "c_trial_hard_excluded", re.compile(r"改修|工事|改築|建設|建築|リフォーム|内装|リノベ"),
                 within=re.compile(r"お試し")),
    ExcludedCost("①～③事業のソフト経費に当たる経費（施設のプロモーション、マッチング、協議会設立等）", "excluded_p5_facility_soft",
                 re.compile(r"協議会[^、。，]{0,8}?(?:設立|立ち上げ|組成)|事業主体[^、。，]{0,4}組成|マッチング|セミナー"
                            # the facility's own promotion (a video or leaflet advertising the facility), not a product's
                            r"|(?:サテライトオフィス|サテオフ|コワーキング|施設)[^、。，]{0,8}?(?:プロモーション|PR|pr|宣伝)"),
                 only5=True),
)


_DENIED_AFTER = re.compile(r"[^、。]{0,10}?(?:ではありません|ではない|でない|じゃない|ではなく|ではございません)")


def excepted(cost: ExcludedCost, clause: str) -> bool:
    """The clause names the exception the cost's rule states (「トップセールスの随行」), not denying it (「…の随行では
    ありません」)."""
    return cost.unless is not None and any(not _DENIED_AFTER.match(clause, m.end()) for m in cost.unless.finditer(clause))


def exception_named(clause: str) -> ExcludedCost | None:
    """The 対象外経費 whose rule's own exception the clause names (「新しく企画するサイドイベント」), if any."""
    return next((cost for cost in _EXCLUDED_COSTS if cost.within is None and excepted(cost, clause)), None)


def excluded_cost_named(clause: str, about5: bool = False) -> ExcludedCost | None:
    """The 対象外経費 `clause` names (and not the exception its rule states), if any."""
    return next((cost for cost in _EXCLUDED_COSTS if cost.names.search(clause) and (about5 or not cost.only5)
                 and (cost.within is None or cost.within.search(clause)) and not excepted(cost, clause)), None)


def excluded_with_exception(text: str) -> ExcludedCost | None:
    """A 対象外経費 one clause of `text` names and another names the exception its rule states (「毎年のフェア」 and
    「新しく追加する体験会」): both are asked about, each on its own side of the rule."""
    clauses = [c for c in re.split(r"[、。，？?！!]", text) if c.strip()]
    return next((cost for cost in _EXCLUDED_COSTS if cost.unless is not None and not cost.only5 and cost.within is None
                 and any(cost.names.search(c) and not cost.unless.search(c) for c in clauses)
                 and any(cost.unless.search(c) for c in clauses)), None)


def _excluded_costs(t: str, qs: tuple[Quantity, ...], about5: bool) -> list[tuple[Quantity, str, str]]:
    """Amounts whose own clause (the words since the previous 、。 or amount) names a cost the documents exclude,
    and not the exception its rule states."""
    out = []
    previous_end = 0
    for q in qs:
        if q.unit != "円":
            continue
        clause = t[max(previous_end, t.rfind("、", 0, q.start) + 1, t.rfind("。", 0, q.start) + 1) : q.start]
        previous_end = q.end
        cost = excluded_cost_named(clause, about5)
        if cost is not None:
            out.append((q, cost.label, cost.rule))
    return out


# An element's own part of a plan (「③は…1,380万円、④は5社に100万円ずつ…、⑤は…3,300万円」): the element's mark, not
# one inside a range or list of elements (「①～④を」「④と⑤を」), then the words that say what is done with it.
# (a mark opening an item of a list, 「中身は、①定員18人の…、④は…」, needs no particle after it)
_ELEMENT_MARK = re.compile(r"(?<![～〜~\-・と])([①②③④⑤])(?![～〜~\-・、と])"
                           r"(?:(?:の[^、。]{0,12}?)?(?:は|で|が|:|：)|(?<=[、。:：は]\S)(?=[一-龥ァ-ヶ]))")


def _element_parts(t: str) -> list[str] | None:
    """Each named element's part of the question, when it names two or more with figures of their own (a mark
    with no figure after it, 「③で盛り上げつつ」, is the story, not a part); the words before the first part (the
    asker's type, the KPI) are read from the whole question (`_merged`)."""
    marks = list(_ELEMENT_MARK.finditer(t))
    spans = [(m.group(1), m.start(), marks[i + 1].start() if i + 1 < len(marks) else len(t)) for i, m in enumerate(marks)]
    spans = [s for s in spans if read_quantities(t[s[1] : s[2]])]
    if spans and any(q.unit == "円" for q in read_quantities(t[: spans[0][1]])):
        return None  # an amount before the first part belongs to no part: the question is read whole
    elements = [e for e, _, _ in spans]
    if len(set(elements)) < 2 or len(set(elements)) != len(elements):
        return None
    return [t[start:end] for _, start, end in spans]


def _merged(plans: list[Plan], whole: Plan) -> Plan:
    """One plan of the elements' parts, with the type, KPI and adopted ⑤ count the whole question states."""
    merged = replace(whole, facilities=tuple(f for p in plans for f in p.facilities),
                     soft=tuple(v for p in plans for v in p.soft), soft_to_cap=any(p.soft_to_cap for p in plans),
                     promotion3=tuple(v for p in plans for v in p.promotion3),
                     projects5=tuple(v for p in plans for v in p.projects5))
    paying = next((p for p in plans if p.companies), None)
    if paying is not None:
        merged = replace(merged, companies=paying.companies, support_each=paying.support_each,
                         support_groups=paying.support_groups)
    return merged


def _counter(t: str) -> str:
    return "本" if re.search(r"\d\s*本", t) else "件"


def read_plan(question: str) -> Plan:
    t = normalise(question)
    parts = _element_parts(t)
    if parts is not None:
        plans = [_read_one(p) for p in parts]
        whole = _read_one(t)
        if sum(not p.empty for p in plans) >= 2:
            return _merged(plans, whole)
    return _read_one(t)


def _read_one(question: str) -> Plan:
    t = normalise(question)
    qs = read_quantities(question)
    contributions, donated = read_contributions(t, qs)
    plan = _read_costs(t, tuple(q for q in qs if all(q is not d for d in donated)))
    if contributions:
        plan = replace(plan, contributions=contributions, contributions_of_all=bool(re.search(r"国費以外", t)))
    return plan


def _read_costs(t: str, qs: tuple[Quantity, ...]) -> Plan:
    capacities = of_role(qs, "定員")
    t = _LEFT_OUT.sub(lambda m: " " * len(m.group(0)), t)  # (blanked, not cut: the quantities' offsets stay)
    about5 = bool(_P5.search(t)) and not capacities
    about3 = bool(_P3.search(t)) and not capacities and not about5
    # the ⑤-only exclusions apply to a plan of ⑤ alone (with ③ they are that plan's own soft costs)
    found = _excluded_costs(t, qs, about5 and not _P3.search(t))
    excluded = tuple((label, q.value, name) for q, label, name in found)
    if found:  # the plan is read without them; the calculation states each with its rule
        qs = tuple(q for q in qs if all(q is not e for e, _, _ in found))
    costs = of_role(qs, "事業費", "金額")
    soft_start = m.start() if (m := _SOFT_CUE.search(t)) else None

    def in_soft_part(q: Quantity) -> bool:
        return soft_start is not None and q.start > soft_start and "。" not in t[soft_start : q.start]

    # Soft costs and nothing about a facility's size or its works (soft items listed in the sentence after the one naming ソフト事業):
    # every amount listed is a soft cost item.
    soft_only = soft_start is not None and not capacities and not any(q.role == "事業費" for q in costs) and not about5
    soft = [q.value for q in qs if q.unit == "円" and (q.role == "ソフト経費" or (q.role in ("直接経費", "金額", "B1")
                                                                                 and (in_soft_part(q) or soft_only)))]
    plan = Plan(grant_type=grant_type_of(t))
    if about5:
        projects = [q.value for q in costs if not in_soft_part(q)] + [q.value for q in of_role(qs, "⑤事業費")]
        itemised = of_role(qs, "直接経費")
        several = re.search(r"\d\s*(?:本|件|つ|プロジェクト)|それぞれ|[A-CＡ-Ｃ]\s*[:：]", t)
        if (itemised or (len(projects) > 1 and re.search(r"見積|内訳", t))) and not several:
            # one project's cost items (人件費・旅費, テキスト代, 会場費 …), not several projects: summed, then capped
            projects = [sum(q.value for q in of_role(qs, "事業費", "金額", "直接経費", "ソフト経費", "⑤事業費"))]
        kpi = of_role(qs, "KPI企業数")
        adopted = of_role(qs, "採択済件数")
        planned = of_role(qs, "件数")
        amounts = [q for q in qs if q.unit == "円" and q.role not in ("国費", "交付対象事業費", "受給額", "合計")]
        if planned and len(amounts) == planned[-1].value and len(projects) != len(amounts):
            # 「この2本」 and two amounts: each is one project, whatever its own words (PRツアー, 開発) suggest
            projects = [q.value for q in amounts]
        if not projects and kpi and (_UP_TO_CAP.search(t) or planned):
            # asked at the cap: as many projects as the KPI still allows, each at the cap; a planned count (N本, N件):
            # that many at the cap, the program then keeps as many as the KPI allows
            room = max(0, kpi[0].value - (adopted[0].value if adopted else 0))
            projects = [integer("project5_cap")] * (planned[0].value if planned else room)
        if kpi and re.search(r"(?<![～〜~\-])④(?![～〜~\-])|進出支援金", t) and _UP_TO_CAP.search(t) and not of_role(qs, "社数"):
            # 「④と⑤を上限いっぱいで」: ④ for as many companies as the KPI's outside companies, each at its cap
            plan = replace(plan, companies=kpi[0].value, support_each=integer("relocation_max"))
        return replace(plan, projects5=tuple(projects), kpi_companies=kpi[0].value if kpi else None,
                       counter=_counter(t),
                       adopted5=adopted[0].value if adopted else 0,
                       excluded=excluded if projects else ())
    if about3:
        # an amount said after another element's mark (「③で…、④も…。全社満額の100万円で」) is that element's
        marks = [(m.start(), m.group(0)) for m in re.finditer(r"(?<![～〜~\-])[①-⑤](?![～〜~\-])", t)]

        def of_3(q: Quantity) -> bool:
            before = [mark for at, mark in marks if at < q.start]
            return not before or before[-1] == "③"

        promo = [q.value for q in qs if q.unit == "円" and q.role in ("ソフト経費", "③事業費", "事業費", "金額", "直接経費")
                 and of_3(q)]
        plan = replace(plan, promotion3=tuple(promo))
        soft = []
    elif not soft_only:
        plan = replace(plan, facilities=_facilities(t, capacities, [q for q in costs if not in_soft_part(q)],
                                                    has_amounts=any(q.unit == "円" for q in qs)))
    if not about5 and (kpi := of_role(qs, "KPI企業数")):
        plan = replace(plan, kpi_companies=kpi[0].value)  # limits ④ (and ⑤) in number
    if not about5 and (tagged := of_role(qs, "⑤事業費")):
        # ⑤ applied for with a facility plan (同時申請): the amounts named as ⑤'s are its projects
        plan = replace(plan, projects5=tuple(q.value for q in tagged))
    companies = of_role(qs, "社数")
    if companies and (re.search(r"進出支援|支援金|④", t) or of_role(qs, "進出支援金")):  # (「1社80万円」 says it too)
        # the rule's cap named in passing (「最大N万円のところ1社M万円で支給」) is not the amount paid
        each = [q for q in of_role(qs, "進出支援金") if not _NAMED_CAP.search(t[max(0, q.start - 6) : q.start])]
        full = _UP_TO_CAP.search(t[companies[0].start : companies[0].end + 20]) or (
            each == [] and _UP_TO_CAP.search(t))
        plan = replace(plan, companies=companies[0].value,
                       support_each=each[0].value if each else (integer("relocation_max") if full else None))
        groups = []
        for c, following in zip(companies, [*companies[1:], None], strict=True):
            stop = min(c.end + 24, following.start if following else len(t))
            cut = t.find("、", c.end, stop)
            stop = cut if cut != -1 and not re.match(r"、?\s*\d", t[cut:cut + 2]) else stop
            after = t[c.end : stop]
            amount = next((q.value for q in qs if q.unit == "円" and c.end <= q.start < stop), None)
            if amount is None and _UP_TO_CAP.search(after[:10]):
                amount = integer("relocation_max")
            if amount is not None:
                groups.append((c.value, amount))
        if len(groups) >= 2:
            plan = replace(plan, support_groups=tuple(groups), companies=sum(n for n, _ in groups), support_each=None)
        elif len(each) > 1 and len(each) == companies[0].value:
            # one amount per company, listed: each capped on its own
            plan = replace(plan, support_groups=tuple((1, q.value) for q in each), support_each=None)
    # soft costs named without an amount, in a question about the most the plan can get, are taken at their cap
    # too (not in a ③ plan: there the soft items are ③'s own, capped as ③)
    soft_to_cap = soft_start is not None and not soft and not plan.promotion3 and bool(
        _UP_TO_CAP.search(t[soft_start : soft_start + 20]) or (
            _UP_TO_CAP.search(t) and re.search(r"最大|上限いっぱい|満額|全部|すべて|全て|フル", t)))
    plan = replace(plan, soft=tuple(soft), soft_to_cap=soft_to_cap,
                   choosing=bool(_CHOOSING.search(t)), counter=_counter(t))
    given = of_role(qs, "交付対象事業費")
    if plan.empty and len(given) == 1 and not of_role(qs, "国費") and "事例" not in t:
        plan = replace(plan, eligible_given=given[0].value)
    if excluded and not plan.empty:
        plan = replace(plan, excluded=excluded)
    return plan


# a size, then the words naming what it is (「くらいのコワーキング」「程度の小さめのサテライトオフィス」「規模の」), then
# (を/が) N つ・か所: how many facilities of the size just named. No 、。 or figure in between: those start another item.
_EACH_COUNT = re.compile(r"^[^、。，\d]{0,24}?(?:を|が)?\s*([1-9１-９一二三四五六七八九])\s*(?:つ(?!目)|か所|カ所|ヶ所|箇所|施設|棟|拠点)")
_SCORE_COUNTS = re.compile(r"(?<!\d)\d+\s*点\s*(?:が|を|の項目が)?\s*\d+\s*(?:つ|個|項目)")
_KANJI_DIGIT = str.maketrans("一二三四五六七八九", "123456789")


# the count written before the size: 「2か所（定員25人）」「3施設（各20人）」
_COUNT_BEFORE = re.compile(r"([1-9１-９一二三四五六七八九])\s*(?:か所|カ所|ヶ所|箇所|施設|棟|拠点)\s*[（(]\s*(?:定員|各|いずれも|それぞれ)?\s*$")


def _stated_count(t: str, q: Quantity) -> int | None:
    """How many facilities of the size `q` names, written after it (「40人を2か所」) or before it (「2か所（定員40人）」)."""
    m = _EACH_COUNT.match(t[q.end : q.end + 32]) or _COUNT_BEFORE.search(t[max(0, q.start - 16) : q.start])
    return int(normalise(m.group(1)).translate(_KANJI_DIGIT)) if m else None


def facilities_at_cap(question: str, counted_only: bool = False) -> tuple[Facility, ...]:
    """Facilities named by size and count only (「60人を1つと40人を2つ」), each taken at its band's cap.
    counted_only: none unless a count is stated (a size alone may be a lookup of its band's cap)."""
    t = normalise(question)
    out: list[Facility] = []
    counted = False
    for q in of_role(read_quantities(question), "定員"):
        count = _stated_count(t, q)
        counted = counted or count is not None
        out += [Facility(q.value, None)] * (count or 1)
    return tuple(out) if counted or not counted_only else ()


def _facilities(t: str, capacities: list[Quantity], costs: list[Quantity], has_amounts: bool) -> tuple[Facility, ...]:
    """Facilities in the order they are stated, each with its amount (paired in order: 「定員10人と30人、
    それぞれ2,800万円と5,000万円」). A facility whose amount is not given is kept with cost -1 so that it is
    asked for, never dropped; with no amount at all the question is a lookup of the cap."""
    # (a score sheet's 「3点が2つ」 counts items, not facilities)
    count_word = re.search(r"([2-3２３二三])\s*(?:つ(?!目)|か所|カ所|ヶ所|箇所|施設|棟)", _SCORE_COUNTS.sub("", t))
    repeated = int(normalise(count_word.group(1))) if count_word and len(capacities) == 1 else 1
    if len(capacities) == 1 and len(costs) == 1 and repeated > 1:
        return (Facility(capacities[0].value, costs[0].value),) * repeated  # N か所, それぞれ one amount
    if len(capacities) > 1 and len(costs) > 1 and len(costs) != len(capacities) and len(
            {size_band(c.value)[0] for c in capacities}) == 1:
        # several sizes that all fall in one band and one amount per facility: each amount at that band
        return tuple(Facility(capacities[0].value, k.value) for k in costs)
    if capacities and len(costs) == len(capacities):
        labels = [item_label(t, c.start, capacities[i - 1].end if i else 0) for i, c in enumerate(capacities)]
        if len(set(labels)) < len(labels):
            labels = [""] * len(labels)  # one letter for two facilities is no labelling
        return tuple(Facility(c.value, k.value, label) for c, k, label in zip(capacities, costs, labels, strict=True))
    counts = [_stated_count(t, c) for c in capacities]
    if any(counts) and not costs:
        # each size with its count (「30人を2か所と10人を1か所」): each size as many times as stated
        capacities = [c for c, n in zip(capacities, counts, strict=True) for _ in range(n or 1)]
        repeated = 1
    if capacities and not costs:
        if not _UP_TO_CAP.search(t):
            # 「定員30人の施設の上限はいくら？」: a lookup of the cap, nothing to compute; with other amounts
            # (soft costs) it is a plan whose facility amounts are missing.
            return tuple(Facility(c.value, -1) for c in capacities) * repeated if has_amounts else ()
        return tuple(Facility(c.value, None) for c in capacities) * repeated
    if len(capacities) == 1 and len(costs) > 1 and repeated == len(costs):
        return tuple(Facility(capacities[0].value, k.value) for k in costs)
    if len(capacities) == 1 and len(costs) > 1 and repeated == 1:
        # One facility and several amounts (改修工事・什器・Wi-Fi): its cost items, summed by the program.
        return (Facility(capacities[0].value, sum(k.value for k in costs)),)
    if not capacities and len(costs) == 1 and _FACILITY_WORD.search(t):
        return (Facility(None, costs[0].value),)
    if capacities:
        return tuple(Facility(c.value, -1) for c in capacities)  # amounts that cannot be paired: asked for
    return ()


def maximum_plan() -> Plan:
    """The largest ①② plan one 団体 can submit: per size band as many facilities as its limit allows, largest
    caps first, within the total; each facility and the soft costs at their caps."""
    limits = _band_limits()  # small to large
    total_left = integer("facility_limit_total")
    facilities: list[Facility] = []
    for (_cap, _band), limit, people in sorted(zip(BANDS, limits, (19, 20, 50), strict=True), key=lambda b: -integer(b[0][0])):
        n = min(limit, total_left)
        facilities += [Facility(people, None)] * n
        total_left -= n
    return Plan(facilities=tuple(facilities), soft_to_cap=True)


# ---- the program ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    grant_type: str
    eligible: int
    national: int
    stated: int
    steps: tuple[Step, ...]
    notes: tuple[str, ...]
    # the 2021 measure's 実質的な地方負担 within the 交付対象 (after the 臨時交付金), and with what the caps leave out
    real_burden: int | None = None
    real_with_over_cap: int | None = None


INPUT_WORDS = {"収容可能人数": "施設の収容可能人数（定員）", "総事業費": "施設ごとの事業費（施設整備・運営費）",
               "支給額": "1社あたりの進出支援金の額", "タイプ": "タイプ（高水準／標準）"}


def missing_inputs(plan: Plan) -> list[str]:
    """The inputs the program still needs, by name (INPUT_WORDS says them in the officer's terms)."""
    missing = []
    if any(f.people is None for f in plan.facilities):
        missing.append("収容可能人数")
    if any(f.cost == -1 for f in plan.facilities):
        missing.append("総事業費")
    if plan.companies and plan.support_each is None and not plan.support_groups:
        missing.append("支給額")
    if plan.grant_type is None:
        missing.append("タイプ")
    return missing


def run(plan: Plan, kind: str) -> Outcome:
    steps: list[Step] = []
    notes: list[str] = []
    eligible_parts: list[int] = []
    stated = 0

    # Facilities: band -> cap, then the per-団体 count limits (keeping the largest eligible amounts).
    capped: list[tuple[int, str, int]] = []  # (eligible, band label, index)
    costs: dict[int, int] = {}  # index -> the cost counted in the burden
    for i, f in enumerate(plan.facilities, 1):
        assert f.people is not None and f.cost != -1
        cap_name, band = size_band(f.people)
        cap = integer(cap_name)
        steps.append(Step("band", f"{f.named(i)}（定員{f.people}人）は「{band}」：上限{fy(cap)}", {"定員": f.people}, cap,
                          rule(cap_name)))
        cost = cap if f.cost is None else f.cost
        stated += cost
        costs[i] = cost
        eligible = min(cost, cap)
        if f.cost is not None and f.cost > cap:
            steps.append(Step("cap", f"{f.named(i)}：min({fy(cost)}, {fy(cap)}) = {fy(eligible)}", {"事業費": cost, "上限": cap},
                              eligible, rule(cap_name)))
        capped.append((eligible, band, i))
    if capped:
        limits = band_limits()
        kept: list[tuple[int, str, int]] = []
        total = integer("facility_limit_total")
        for eligible, band, i in sorted(capped, key=lambda c: -c[0]):
            name = plan.facilities[i - 1].named(i)
            band_full = sum(1 for _, b, _ in kept if b == band) >= limits[band]
            if (band_full or len(kept) >= total) and plan.choosing:
                stated -= costs[i]  # a candidate left out is not built: its cost leaves the burden too
            if band_full:
                notes.append(f"{name}は「{band}は1団体{limits[band]}施設まで」の上限を超えるため対象外")
                steps.append(Step("count_limit", f"{name}：{band}の施設は1団体{limits[band]}施設まで → 対象外",
                                  {"区分": band}, 0, rule("facility_limit_by_size")))
                continue
            if len(kept) >= total:
                notes.append(f"{name}は「1団体合計{total}施設まで」の上限を超えるため対象外")
                steps.append(Step("count_limit", f"{name}：1団体合計{total}施設まで → 対象外",
                                  {"施設数": len(kept) + 1}, 0, rule("facility_limit_total")))
                continue
            kept.append((eligible, band, i))
        eligible_parts += [e for e, _, _ in kept]
        if plan.choosing and len(kept) < len(capped):
            chosen = "・".join(plan.facilities[i - 1].named(i) for _, _, i in sorted(kept, key=lambda k: k[2]))
            notes.insert(0, f"{chosen}の組み合わせ")

    soft_cap = integer("soft_cost_limit")
    if plan.soft or plan.soft_to_cap:
        soft_total = sum(plan.soft) if plan.soft else soft_cap
        stated += soft_total
        if len(plan.soft) > 1:
            steps.append(Step("sum", f"ソフト経費：{' + '.join(fy(v) for v in plan.soft)} = {fy(soft_total)}",
                              {"項目": list(plan.soft)}, soft_total))
        soft_eligible = min(soft_total, soft_cap)
        steps.append(Step("cap", f"ソフト経費：min({fy(soft_total)}, 上限{fy(soft_cap)}) = {fy(soft_eligible)}",
                          {"ソフト経費": soft_total}, soft_eligible, rule("soft_cost_limit")))
        eligible_parts.append(soft_eligible)
    if plan.promotion3:
        total3 = sum(plan.promotion3)
        stated += total3
        cap3 = integer("cap_project3")
        eligible3 = min(total3, cap3)
        label = f"{' + '.join(fy(v) for v in plan.promotion3)} = {fy(total3)}、" if len(plan.promotion3) > 1 else ""
        steps.append(Step("cap", f"③活用促進事業：{label}min({fy(total3)}, 上限{fy(cap3)}) = {fy(eligible3)}",
                          {"事業費": total3}, eligible3, rule("cap_project3")))
        eligible_parts.append(eligible3)
    groups: tuple[tuple[int, int | None], ...] = plan.support_groups or (
        ((plan.companies, plan.support_each),) if plan.companies else ())
    asked_for = sum(count for count, _ in groups)
    if groups and plan.kpi_companies is not None and asked_for > plan.kpi_companies:
        # ④ is limited in number like ⑤: at most the KPI's outside-prefecture companies; the best-paid are kept
        steps.append(Step("count_limit", f"進出支援金の申請可能件数：KPIの県外企業数{plan.kpi_companies}社（{asked_for}社のうち）",
                          {"KPI企業数": plan.kpi_companies, "社数": asked_for}, plan.kpi_companies,
                          rule("relocation_count_limit")))
        notes.append(f"進出支援金は{plan.kpi_companies}社まで")
        room = plan.kpi_companies
        paid_for: list[tuple[int, int | None]] = []
        for count, paid in sorted(groups, key=lambda g: -min(g[1] or 0, integer("relocation_max"))):
            if room > 0:
                paid_for.append((min(count, room), paid))
                room -= min(count, room)
        stated += sum((paid or 0) * count for count, paid in groups) - sum((paid or 0) * count for count, paid in paid_for)
        groups = tuple(paid_for)
    for count, paid in groups:
        assert paid is not None
        each = min(paid, integer("relocation_max"))
        support = each * count
        stated += paid * count
        steps.append(Step("sum", f"進出支援金：{fy(each)} × {count}社 = {fy(support)}",
                          {"社数": count, "1社あたり": paid}, support, rule("relocation_max")))
        eligible_parts.append(support)
    project_eligibles: list[int] = []
    if plan.projects5:
        projects = list(plan.projects5)
        if plan.kpi_companies is not None:
            allowed = max(0, plan.kpi_companies - plan.adopted5)
            steps.append(Step("count_limit", f"⑤の申請可能件数：KPIの県外企業数{plan.kpi_companies}社"
                              + (f" − 採択済{plan.adopted5}{plan.counter}" if plan.adopted5 else "") + f" = {allowed}{plan.counter}",
                              {"KPI企業数": plan.kpi_companies, "採択済": plan.adopted5}, allowed,
                              rule("project5_count_limit")))
            if len(projects) <= allowed:
                notes.append(f"⑤は{allowed}{plan.counter}まで申請可能")
            if len(projects) > allowed:
                # The 団体 chooses which projects to apply for: the largest eligible amounts give the most 国費.
                projects = sorted(projects, key=lambda c: -min(c, integer("project5_cap")))[:allowed]
                notes.append(f"⑤は{allowed}{plan.counter}まで（国費が最大になる{allowed}{plan.counter}で計算）")
        cap5 = integer("project5_cap")
        project_eligibles = [min(cost, cap5) for cost in projects]
        for j, (cost, eligible) in enumerate(zip(projects, project_eligibles, strict=True), 1):
            stated += cost
            if cost > cap5:
                steps.append(Step("cap", f"⑤事業{j}：min({fy(cost)}, 上限{fy(cap5)}) = {fy(eligible)}",
                                  {"事業費": cost}, eligible, rule("project5_cap")))
            eligible_parts.append(eligible)

    if plan.eligible_given:
        stated += plan.eligible_given
        eligible_parts.append(plan.eligible_given)
    for label, amount, name in plan.excluded:
        stated += amount  # paid by the 団体, outside the 交付対象事業費
        steps.append(Step("gate", f"{label}{fy(amount)}：対象外経費 → 交付対象外", {"経費": amount}, 0, rule(name)))
        notes.append(f"{label}{fy(amount)}は対象外経費")
    eligible_total = sum(eligible_parts)
    if len(eligible_parts) > 1:
        steps.append(Step("sum", f"交付対象事業費：{' + '.join(fy(v) for v in eligible_parts)} = {fy(eligible_total)}",
                          {"内訳": eligible_parts}, eligible_total))
    rate, rate_rule = rate_of(kind)
    if len(project_eligibles) >= 2:
        # each ⑤ project is adopted on its own: its 国費 shown beside the total's
        for j, eligible in enumerate(project_eligibles, 1):
            steps.append(Step("rate", f"⑤事業{j}の国費：{fy(eligible)} × {rate.numerator}/{rate.denominator} = "
                              f"{fy(floor_to(eligible * rate, integer('national_truncation')))}",
                              {"交付対象事業費": eligible}, floor_to(eligible * rate, integer("national_truncation")), rate_rule))
    national = floor_to(eligible_total * rate, integer("national_truncation"))
    steps.append(Step("rate", f"国費：{fy(eligible_total)} × {rate.numerator}/{rate.denominator}（{kind}タイプ）= {fy(national)}"
                      + ("（千円未満切り捨て）" if eligible_total * rate != national else ""),
                      {"交付対象事業費": eligible_total, "補助率": f"{rate.numerator}/{rate.denominator}"}, national,
                      rate_rule))
    steps.append(Step("difference", f"地方負担：{fy(stated)} − {fy(national)} = {fy(stated - national)}",
                      {"事業費の合計": stated, "国費": national}, stated - national))
    real_burden = real_with_over_cap = None
    if plan.temporary_grant:
        local = eligible_total - national
        covered = floor_to(local * fraction("c_rinji_share"), 1)
        steps.append(Step("rate", f"臨時交付金：交付対象内の地方負担{fy(local)} × 8割 = {fy(covered)}", {}, covered,
                          rule("c_rinji_share")))
        real_burden = local - covered
        steps.append(Step("difference", f"実質的な地方負担：{fy(local)} − {fy(covered)} = {fy(real_burden)}", {},
                          real_burden))
        if stated > eligible_total:
            # what the caps leave out is the 団体's own money too, with no 臨時交付金 on it
            over = stated - eligible_total
            real_with_over_cap = real_burden + over
            steps.append(Step("sum", f"上限超過分を含めた実質的な負担：{fy(real_burden)} + {fy(over)} = "
                              f"{fy(real_with_over_cap)}", {"上限超過分": over}, real_with_over_cap))
    return Outcome(kind, eligible_total, national, stated, tuple(steps), tuple(notes), real_burden, real_with_over_cap)


def _with_over_cap(outcome: Outcome) -> str:
    """「上限を超える…を含めると…」 when the caps leave part of the cost to the 団体."""
    if outcome.real_with_over_cap is None:
        return ""
    return f"上限を超える{fy(outcome.stated - outcome.eligible)}を含めると{fy(outcome.real_with_over_cap)}"


def _band_limits() -> list[int]:
    return list(integers("facility_limit_by_size"))


def band_limits() -> dict[str, int]:
    """Each size band's label (「20人未満」 …) with how many facilities of it one 団体 may have, small to large."""
    return dict(zip((b for _, b in BANDS), _band_limits(), strict=True))


# ---- the calculation an answer carries -----------------------------------------------------------------
SIZE_OPTIONS = ((19, "20人未満"), (20, "20人以上50人未満"), (50, "50人以上"))


def calculate_by_size(plan: Plan, kind: str) -> Calculation:
    """A plan whose one facility has no stated size: the cap depends on it, so the program runs once per size
    band and the answer gives each band's result, the size still to be decided."""
    (facility,) = plan.facilities
    outcomes = [(label, run(replace(plan, facilities=(Facility(people, facility.cost),)), kind))
                for people, label in SIZE_OPTIONS]
    steps = tuple(Step(s.kind, f"【{label}】{s.label}", s.inputs, s.result, s.rule)
                  for label, outcome in outcomes for s in outcome.steps)
    said = "、".join(f"{label}なら国費{fy(o.national)}（交付対象事業費{fy(o.eligible)}）" for label, o in outcomes)
    summary = (f"施設整備・運営の上限は収容可能人数で変わるため、収容人数が決まるまで国費は確定しません。"
               f"{kind}タイプで、{said}です。")
    rules = {r.name: r for r in cited_rules(steps)}
    return Calculation(
        kind="plan_program",
        inputs={"タイプ": kind, "施設1": "定員未定・" + ("上限まで" if facility.cost is None else fy(facility.cost))},
        result={f"国費（{label}）": o.national for label, o in outcomes},
        formula="\n".join(f"・{s.label}" for s in steps),
        summary=summary,
        rules=tuple(rules.values()), steps=steps)


def _facility_input(facility: Facility) -> str:
    """A facility as the calculation's inputs show it: its size, and its amount or 「上限まで」."""
    return f"定員{facility.people}人・" + ("上限まで" if facility.cost is None else fy(facility.cost))


def calculate_caps(plan: Plan, count_asked: bool = False) -> Calculation:
    """What the caps allow, asked without a type (「2か所作ると上限は合計いくら？」): the caps and count limits do
    not depend on the type, so the program runs without its rate steps and states the 交付対象事業費 it allows
    (総事業費ベース); the national share follows once the type is known. With `count_asked` (「何施設まで作れる？」),
    one facility's band is also told how many facilities of it one 団体 may build."""
    outcome = run(plan, "標準")  # any type: the steps kept below are the same for both
    steps = tuple(s for s in outcome.steps if s.kind not in ("rate", "difference")
                  and not s.label.startswith(("国費", "地方負担")))
    high, standard = rate_of("高水準")[0], rate_of("標準")[0]
    shares = f"国費は高水準タイプでその{high.numerator}/{high.denominator}、標準タイプで{standard.numerator}/{standard.denominator}"
    if len(plan.facilities) == 1 and replace(plan, facilities=()).empty:  # one facility alone: its band and cap
        (only,) = plan.facilities
        band = size_band(only.people or 0)[1]
        summary = (f"定員{only.people}人の施設は「{band}」の区分で、施設整備・運営の上限は"
                   f"1施設{fy(outcome.eligible)}です（総事業費ベース。{shares}）。")
        if count_asked:
            per_band = dict(zip((label for _, label in BANDS), integers("facility_limit_by_size"), strict=True))
            total = integer("facility_limit_total")
            steps += (Step("band", f"「{band}」の施設は1団体{per_band[band]}施設まで（全規模合計{total}施設以内）",
                           {"区分": band}, per_band[band], rule("facility_limit_by_size")),)
            summary += f"この規模の施設は1団体{per_band[band]}施設まで（全規模合計{total}施設以内）です。"
    else:
        summary = (f"上限の合計は{fy(outcome.eligible)}です（総事業費ベース。{shares}）。"
                   + "".join(f"（{n}）" for n in outcome.notes))
    inputs: dict[str, object] = {f.named(i): _facility_input(f) for i, f in enumerate(plan.facilities, 1)}
    return Calculation(kind="plan_program", inputs=inputs, result={"交付対象事業費": outcome.eligible},
                       formula="\n".join(f"・{s.label}" for s in steps), summary=summary,
                       rules=cited_rules(steps), steps=steps)


def calculate_plan(plan: Plan, types: tuple[str, ...], compare_with: Plan | None = None) -> Calculation:
    """Run the program for each type asked (one, or both to compare), or for a changed plan against the
    earlier one (「事業費を広げたら負担はいくら増える？」)."""
    if plan.empty:
        raise CalculationError("計算する事業（施設・ソフト経費・進出支援金・⑤事業）が読み取れませんでした")
    outcomes = [run(plan, kind) for kind in types]
    before = run(compare_with, compare_with.grant_type or types[0]) if compare_with is not None else None
    first = outcomes[0]
    if len(outcomes) == 2:
        high, std = (outcomes if outcomes[0].grant_type == "高水準" else outcomes[::-1])
        difference = high.national - std.national
        summary = (f"国費は高水準タイプで{fy(high.national)}、標準タイプで{fy(std.national)}、差は{fy(difference)}です"
                   f"（地方負担は標準タイプのほうが{fy(difference)}多くなります）。")
        if plan.temporary_grant:
            summary = (f"実質的な地方負担は高水準タイプで{fy(high.real_burden or 0)}、標準タイプで{fy(std.real_burden or 0)}です"
                       f"（地方負担の8割に地方創生臨時交付金を充当）。国費は高水準{fy(high.national)}、標準{fy(std.national)}。")
        steps = (*high.steps, *(s for s in std.steps if s.kind in ("rate", "difference") or s.rule is not None
                                and s.rule.name == "c_rinji_share"),
                 Step("difference", f"差：{fy(high.national)} − {fy(std.national)} = {fy(difference)}",
                      {"高水準": high.national, "標準": std.national}, difference))
        result: dict[str, object] = {"国費（高水準タイプ）": high.national, "国費（標準タイプ）": std.national, "差": difference,
                  "地方負担（高水準タイプ）": high.stated - high.national, "地方負担（標準タイプ）": std.stated - std.national}
        if plan.share_asked and high.stated:
            shares = []
            for outcome in (high, std):
                burden = outcome.stated - outcome.national
                shown = percent_text(float(Fraction(burden * 100, outcome.stated)))
                steps = (*steps, Step("rate", f"地方負担の割合（{outcome.grant_type}タイプ）：{fy(burden)} ÷ "
                                      f"{fy(outcome.stated)} = {shown}", {"地方負担": burden, "事業費の合計": outcome.stated},
                                      shown))
                result[f"地方負担の割合（{outcome.grant_type}タイプ）"] = shown
                shares.append(shown)
            summary = (f"事業費全体（{fy(high.stated)}）に対する地方負担の割合は高水準タイプで{shares[0]}、"
                       f"標準タイプで{shares[1]}です。" + summary)
    else:
        burden = first.stated - first.national
        in_scope = first.eligible - first.national
        # what the caps, counts and 対象外経費 leave out is named whether or not it was asked: it is the part of
        # the burden an officer cannot plan to finance from the grant
        summary = (f"国費は{fy(first.national)}、地方負担は{fy(burden)}"
                   + (f"（うち交付対象内{fy(in_scope)}、交付対象外{fy(first.stated - first.eligible)}）"
                      if first.stated > first.eligible else "")
                   + f"です（{first.grant_type}タイプ、交付対象事業費{fy(first.eligible)}）。")
        if plan.temporary_grant:
            real = first.real_burden or 0
            over = _with_over_cap(first)
            real_share = f"、交付対象事業費の{float(Fraction(real * 100, first.eligible)):g}%" if first.eligible else ""
            summary = (f"実質的な地方負担は{fy(real)}{real_share}です（国費{fy(first.national)}、交付対象内の地方負担{fy(in_scope)}の8割に"
                       f"地方創生臨時交付金を充当、{first.grant_type}タイプ）。" + (f"{over}です。" if over else ""))
        steps = first.steps
        result = {"国費": first.national, "交付対象事業費": first.eligible, "事業費の合計": first.stated, "地方負担": burden}
        if plan.share_asked and first.stated:
            share = Fraction(first.national * 100, first.stated)
            shown = percent_text(float(share))
            steps = (*steps, Step("rate", f"国費の割合：{fy(first.national)} ÷ {fy(first.stated)} = {shown}",
                                  {"国費": first.national, "事業費の合計": first.stated}, shown))
            summary += f"事業費全体に対する国費の割合は{shown}、地方負担は{percent_text(float(100 - share))}です。"
            result["国費の割合"] = shown
        if plan.temporary_grant:
            result["実質的な地方負担"] = first.real_burden
        if plan.contributions:
            contributed, shown_parts, own = contribution_steps(plan.contributions, burden if plan.contributions_of_all else in_scope)
            steps = (*steps, *contributed)
            summary += f"地方負担のうち{'、'.join(shown_parts)}を寄付金・負担金で充てると、団体の負担は{fy(own)}です。"
            result["団体の負担（寄付金・負担金の充当後）"] = own
        if before is not None:
            national_change = first.national - before.national
            burden_change = burden - (before.stated - before.national)
            summary += (f"変更前と比べて国費は{_signed(national_change)}、地方負担は{_signed(burden_change)}です。")
            steps = (*steps, Step("difference", f"地方負担の増減：{fy(burden)} − {fy(before.stated - before.national)} = "
                                  f"{_signed(burden_change)}", {}, burden_change))
            result = {**result, "国費の増減": national_change, "地方負担の増減": burden_change}
    if first.notes:
        summary += "（" + "、".join(dict.fromkeys(first.notes)) + "）"
    rules = {r.name: r for r in cited_rules(steps)}
    rules.setdefault("national_truncation", rule("national_truncation"))
    formula = "\n".join(f"・{s.label}" for s in steps)
    inputs = {"タイプ": "・".join(types)}
    for i, f in enumerate(plan.facilities, 1):
        inputs[f.named(i)] = _facility_input(f)
    if plan.soft:
        inputs["ソフト経費"] = "＋".join(fy(v) for v in plan.soft)
    if plan.promotion3:
        inputs["③活用促進事業"] = "＋".join(fy(v) for v in plan.promotion3)
    if plan.companies:
        groups = plan.support_groups or ((plan.companies, plan.support_each or 0),)
        inputs["進出支援金"] = "、".join(f"{n}社 × {fy(each)}" for n, each in groups)
    if plan.projects5:
        inputs["⑤事業"] = "、".join(fy(v) for v in plan.projects5)
    if plan.eligible_given:
        inputs["交付対象事業費"] = fy(plan.eligible_given)
    return Calculation(kind="plan_program", inputs=inputs, result=result, formula=formula, summary=summary,
                       rules=tuple(rules.values()), steps=tuple(steps))


def _signed(yen: int) -> str:
    if yen == 0:
        return "変わりません"
    return f"{fy(abs(yen))}{'増' if yen > 0 else '減'}"


# ---- ④ repayments of several companies ------------------------------------------------------------------
def repayment_share(months: int) -> tuple[Fraction, str]:
    """The share of the 進出支援金 repaid when a company stops using the facility `months` after applying:
    all before 3 years, half from 3 to 5 years, nothing after (rules repay_full / repay_half / repay_scope)."""
    if months < 12 * integer("repay_full_before_years"):
        return fraction("repay_full"), "repay_full"
    if months <= 12 * integer("repay_half_until_years"):
        return fraction("repay_half"), "repay_half"
    return Fraction(0), "repay_scope"


@dataclass(frozen=True)
class Departure:
    """One company's case: what it received, when it stopped using the facility (months after applying), or
    a special case of the rules: 「false」 (虚偽の申請等: 全額), 「exempt」 (倒産・災害等で団体が認めた: なし),
    「staying」 (still using the facility: nothing yet)."""

    received: int | None
    months: int | None = None
    case: str = ""
    label: str = ""  # the asker's name for the company (「P社」), else it is counted 「N社目」


def calculate_repayments(departures: list[Departure]) -> Calculation:
    steps: list[Step] = []
    total = 0
    shares_only = any(d.received is None for d in departures)
    for i, d in enumerate(departures, 1):
        if d.case == "false":
            share, rule_name, label = Fraction(1), "repay_false_claim", "虚偽の申請等 → 全額"
        elif d.case == "exempt":
            share, rule_name, label = Fraction(0), "repay_exemption", "やむを得ない事情と認めた → 返還なし"
        elif d.case == "staying" or d.months is None:
            share, rule_name, label = Fraction(0), "repay_scope", "利用継続中 → 返還なし"
        else:
            share, rule_name = repayment_share(d.months)
            shown = f"{d.months // 12}年" + (f"{d.months % 12}か月" if d.months % 12 else "")
            label = f"申請日から{shown}で利用終了（" + {"repay_full": "3年未満 → 全額", "repay_half": "3年以上5年以内 → 半額",
                                             "repay_scope": "5年超 → 返還なし"}[rule_name] + "）"
        word = "全額" if share == 1 else "半額" if share == Fraction(1, 2) else "なし"
        amount = floor_to(d.received * share, 1) if d.received is not None else 0
        total += amount
        shown_amount = word if d.received is None else (fy(amount) if amount else "0円")
        steps.append(Step("band", f"{d.label or f'{i}社目'}：{label} = {shown_amount}", {"受給額": d.received}, amount if d.received else word,
                          rule(rule_name)))
    if shares_only:
        words = [s.result for s in steps]
        summary = ("返還は" + "、".join(f"{d.label or f'{i}社目'}{w}" for i, (d, w) in enumerate(zip(departures, words, strict=True), 1))
                   + "です。" if len(words) > 1 else
                   f"返還は{words[0]}です（受給額に対して）。")
        result: dict[str, object] = {"返還": words}
    elif len(departures) == 1:  # one company: its share is the answer, no sum to show
        reason = steps[0].label.split('：', 1)[1].rsplit(' = ', 1)[0]
        # nothing to repay is said as the officer says it (返還は不要), the 0円 after it
        summary = f"返還は不要です（0円。{reason}）。" if not total else f"返還額は{fy(total)}です（{reason}）。"
        result = {"返還額": total}
    else:
        steps.append(Step("sum", f"返還額の合計：{' + '.join(fy(s.result) if s.result else '0円' for s in steps)} = "
                          f"{fy(total) if total else '0円'}", {}, total))
        summary = f"返還額は合計{fy(total) if total else '0円'}です（{len(departures)}社分）。"
        result = {"返還額の合計": total}
    return Calculation(
        kind="repayment" if len(departures) == 1 and not shares_only else "repayment_program",
        inputs={"社数": len(departures)},
        result=result,
        formula="\n".join(f"・{s.label}" for s in steps),
        summary=summary,
        rules=cited_rules(steps), steps=tuple(steps))


def _years_after(start: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February on a common year: 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def calculate_repayment_dates(applied: dt.date) -> Calculation:
    """From a company's application date, the dates its repayment changes: leaving before the 3rd anniversary
    repays all, from it through the 5th half, after the 5th nothing (rules repay_full / repay_half / repay_scope)."""
    full_before, half_until = integer("repay_full_before_years"), integer("repay_half_until_years")
    half_from, none_after = _years_after(applied, full_before), _years_after(applied, half_until)

    def shown(day: dt.date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    # (the years come from the rules, not typed again here)
    steps = (Step("band", f"{shown(half_from)}より前に利用終了（申請日から{full_before}年未満）→ 全額", {"申請日": shown(applied)},
                  "全額", rule("repay_full")),
             Step("band", f"{shown(half_from)}～{shown(none_after)}に利用終了（{full_before}年以上{half_until}年以内）→ 半額", {},
                  "半額", rule("repay_half")),
             Step("band", f"{shown(none_after)}を過ぎて利用終了（{half_until}年超）→ 返還なし", {}, "なし", rule("repay_scope")))
    summary = (f"申請日が{shown(applied)}なら、{shown(half_from)}以降（{shown(none_after)}まで）の利用終了で半額、"
               f"{shown(none_after)}を過ぎてからの利用終了なら返還なしです。{shown(half_from)}より前にやめると全額返還です。")
    return Calculation(kind="repayment_program", inputs={"申請日": shown(applied)},
                       result={"半額になる日": shown(half_from), "半額の期間の終わり": shown(none_after)},
                       formula="\n".join(f"・{s.label}" for s in steps), summary=summary,
                       rules=cited_rules(steps), steps=steps)


# ---- the 2021 catalogue's measures: items summed, then the measure's own limits ---------------------------------
def calculate_digital_env(direct_items: list[int], overhead: int | None, burden_asked: bool = False) -> Calculation:
    """デジタル活用環境構築推進事業: direct costs summed, 一般管理費 within 1/10 of them, 補助率 1/2, 補助上限額.
    With `burden_asked`, what the 団体 bears: everything it spends (an overhead over its cap included) less the
    subsidy."""
    steps: list[Step] = []
    direct = sum(direct_items)
    if len(direct_items) > 1:
        steps.append(Step("sum", f"直接経費：{' + '.join(fy(v) for v in direct_items)} = {fy(direct)}", {}, direct))
    share = fraction("c_overhead")
    overhead_cap = floor_to(direct * share, 1)
    if overhead is None:
        allowed = 0
        steps.append(Step("cap", f"一般管理費の上限：{fy(direct)} × 1/10 = {fy(overhead_cap)}", {}, overhead_cap,
                          rule("c_overhead")))
    else:
        allowed = min(overhead, overhead_cap)
        asked = "上限いっぱい" if overhead >= UP_TO_THE_CAP else fy(overhead)
        steps.append(Step("cap", f"一般管理費：min({asked}, {fy(direct)} × 1/10 = {fy(overhead_cap)}) = {fy(allowed)}",
                          {"一般管理費": overhead}, allowed, rule("c_overhead")))
    total = direct + allowed
    if allowed:
        steps.append(Step("sum", f"補助対象経費：{fy(direct)} + {fy(allowed)} = {fy(total)}", {}, total))
    rate = fraction("c_digital_rate")
    half = floor_to(total * rate, 1)
    steps.append(Step("rate", f"{fy(total)} × 1/2 = {fy(half)}", {}, half, rule("c_digital_rate")))
    cap = integer("c_digital_cap")
    subsidy = min(half, cap)
    steps.append(Step("cap", f"補助額：min({fy(half)}, 補助上限額{fy(cap)}) = {fy(subsidy)}", {}, subsidy, rule("c_digital_cap")))
    note = f"一般管理費は{fy(overhead_cap)}まで" if overhead is None or overhead > overhead_cap else ""
    if overhead is not None and overhead >= UP_TO_THE_CAP:
        overhead = overhead_cap
        note = f"一般管理費を上限の{fy(overhead_cap)}まで計上した場合"
    result: dict[str, object] = {"補助額": subsidy, "一般管理費の上限": overhead_cap, "補助対象経費": total}
    # the eligible total is a figure of its own (what the subsidy is reckoned on), stated whenever it is a sum
    noted = "、".join(n for n in ((f"補助対象経費{fy(total)}" if allowed or len(direct_items) > 1 else ""), note) if n)
    summary = f"補助額は{fy(subsidy)}です" + (f"（{noted}）" if noted else "") + "。"
    spent = direct + (overhead or 0)
    burden = spent - subsidy
    # what the 団体 bears is a result whether asked or not: a follow-up may ask how it moves (「持ち出しは？」)
    result["地方負担"] = burden
    if burden_asked:
        if overhead:
            steps.append(Step("sum", f"事業費：{fy(direct)} + 一般管理費{fy(overhead)} = {fy(spent)}", {}, spent))
        steps.append(Step("difference", f"団体の負担：{fy(spent)} − 補助額{fy(subsidy)} = {fy(burden)}", {}, burden))
        over = f"、うち補助対象外{fy(spent - total)}" if spent > total else ""
        summary += f"団体の負担は{fy(burden)}です（事業費{fy(spent)} − 補助額{over}）。"
    return Calculation(
        kind="digital_env_program", inputs={"直接経費": "＋".join(fy(v) for v in direct_items),
                                            "一般管理費": fy(overhead) if overhead else "—"},
        result=result,
        formula="\n".join(f"・{s.label}" for s in steps),
        summary=summary,
        rules=cited_rules(steps), steps=tuple(steps))


def calculate_trial_office(items: list[int], correction: Fraction | None = None, hard: tuple[int, ...] = (),
                           burden_asked: bool = False) -> Calculation:
    """The お試し measure (特別交付税措置): hard works (`hard`: 改修工事 …) left out by the rule 「原則、ハード事業は
    対象外」, the other costs summed, the per-団体 cap, 措置率 0.5 × 財政力補正. The documents give no value for
    財政力補正; without the asker's own, the amount is stated as a multiple of it. With it, what the 団体 bears is
    everything it spends (hard works and costs over the cap included) less the 措置額; `burden_asked` puts that
    first."""
    steps: list[Step] = []
    for amount in hard:
        steps.append(Step("gate", f"ハード事業（工事等）{fy(amount)}：原則対象外 → 対象経費に含めない", {"経費": amount}, 0,
                          rule("c_trial_hard_excluded")))
    cost = sum(items)
    if len(items) > 1:
        steps.append(Step("sum", f"対象経費：{' + '.join(fy(v) for v in items)} = {fy(cost)}", {}, cost))
    cap = integer("c_trial_cap")
    capped = min(cost, cap)
    steps.append(Step("cap", f"min({fy(cost)}, 上限{fy(cap)}) = {fy(capped)}", {}, capped, rule("c_trial_cap")))
    amount = floor_to(capped * fraction("c_trial_rate") * (correction or 1), 1)
    if correction is None:
        steps.append(Step("rate", f"措置額：{fy(capped)} × 0.5 × 財政力補正 = {fy(amount)} × 財政力補正", {}, amount,
                          rule("c_trial_rate")))
        summary = (f"特別交付税の措置額は{fy(amount)}×財政力補正です（財政力補正の値は資料に記載がありません。"
                   f"補正が1なら{fy(amount)}）。")
    else:
        steps.append(Step("rate", f"措置額：{fy(capped)} × 0.5 × 財政力補正{float(correction):g} = {fy(amount)}", {},
                          amount, rule("c_trial_rate")))
        summary = f"特別交付税の措置額は{fy(amount)}です（財政力補正{float(correction):g}の場合）。"
    result = {"措置額": amount}
    if correction is not None:
        spent = cost + sum(hard)
        burden = spent - amount
        # what the 団体 bears is a result whether asked or not (a follow-up may ask how it moves), a step only when
        # asked: the total spent, hard works included, is no figure of the 措置 the question asked about
        result["地方負担"] = burden
        if burden_asked:
            steps.append(Step("difference", f"措置されない負担：総経費{fy(spent)} − 措置額{fy(amount)} = {fy(burden)}",
                              {"総経費": spent, "措置額": amount}, burden))
            summary = (f"措置されずに残る負担は{fy(burden)}です（総経費{fy(spent)} − 特別交付税の措置額{fy(amount)}、"
                       f"財政力補正{float(correction):g}の場合）。")
    if hard:
        summary += f"ハード事業（工事等）の{fy(sum(hard))}は原則対象外のため含めていません。"
    return Calculation(
        kind="trial_office_program",
        inputs={"対象経費": "＋".join(fy(v) for v in items),
                "財政力補正": f"{float(correction):g}" if correction is not None else "（資料に記載なし）"},
        result=result, formula="\n".join(f"・{s.label}" for s in steps), summary=summary,
        rules=cited_rules(steps), steps=tuple(steps))
