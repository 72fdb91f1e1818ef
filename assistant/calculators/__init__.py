"""Deterministic calculators. Every parameter is a rule quoted from the corpus (rules.toml); money is integer
yen; each result is a `Calculation` with its inputs, formula, summary and the rules it used."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.calculators.eligibility import eligibility, population_decline
from assistant.calculators.grants import (
    b1_b2_check,
    digital_env_grant,
    grant_amount,
    local_burden_2021,
    overhead_limit,
    plan_total,
    project5_grant,
    relocation_support_national,
    trial_office_tax,
)
from assistant.calculators.repayment import repayment
from assistant.calculators.scoring import (
    adoption_decision,
    kpi_check,
    migrants_minimum,
    mynumber_bonus,
    project5_adoption,
)
from assistant.errors import CalculationError
from assistant.types import Calculation

_TYPE = {"type": "string", "title": "タイプ", "enum": ["高水準", "標準"]}
_CROSS = {"type": "string", "title": "申請要件に「×」がある", "enum": ["いいえ", "はい"]}
_UNMET: dict[str, Any] = {"type": "string", "title": "満たさない申請要件（説明）"}
_YEN = {"type": ["string", "integer"], "description": "例: 6,000万円 / 1.2億円 / 60000000"}


@dataclass(frozen=True)
class CalculatorSpec:
    kind: str
    title: str
    description: str
    input_schema: dict[str, Any]
    func: Callable[[Mapping[str, object]], Calculation]


def _schema(required: list[str], **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _yen(title: str) -> dict[str, Any]:
    return {**_YEN, "title": title}


CALCULATORS: dict[str, CalculatorSpec] = {
    spec.kind: spec
    for spec in [
        CalculatorSpec("grant_amount", "施設整備・運営の国費（①②）", "総事業費・収容可能人数・タイプから国費を計算（上限額と補助率を適用、千円未満切り捨て）",
                       _schema(["総事業費", "収容可能人数", "タイプ"], 総事業費=_yen("総事業費"),
                               収容可能人数={"type": "integer", "title": "収容可能人数（1施設）", "minimum": 1}, タイプ=_TYPE), grant_amount),
        CalculatorSpec("plan_total", "施設整備計画全体の国費（①②、最大3施設＋ソフト経費）",
                       "施設ごとの規模別上限、1団体のソフト経費上限1,200万円、施設数の上限を適用して国費の合計を計算",
                       _schema(["タイプ"], **{f"施設{i}_{name}": spec for i in (1, 2, 3) for name, spec in (
                           ("収容可能人数", {"type": "integer", "title": f"施設{i} 収容可能人数", "minimum": 1}),
                           ("総事業費", _yen(f"施設{i} 総事業費")))},
                               ソフト経費=_yen("ソフト経費（施設整備・運営以外）"), タイプ=_TYPE,
                               施設数={"type": "integer", "title": "計画の施設数（省略時は入力された施設の数）", "minimum": 0}),
                       plan_total),
        CalculatorSpec("project5_grant", "⑤事業の国費", "⑤進出企業定着・地域活性化支援事業の1プロジェクトの国費",
                       _schema(["総事業費", "タイプ"], 総事業費=_yen("総事業費"), タイプ=_TYPE), project5_grant),
        CalculatorSpec("relocation_support_national", "④進出支援金の国費", "進出支援金（最大100万円/社）の国費合計",
                       _schema(["社数", "タイプ"], 社数={"type": "integer", "title": "社数", "minimum": 0},
                               支給額=_yen("1社あたり支給額（省略時は上限100万円）"), タイプ=_TYPE,
                               KPI企業数={"type": "integer", "title": "KPIの県外企業数（件数の上限）", "minimum": 0}),
                       relocation_support_national),
        CalculatorSpec("repayment", "④進出支援金の返還額", "申請日から利用終了までの期間による返還額（3年未満 全額、3～5年 半額、5年超 不要）",
                       _schema(["受給額"], 受給額=_yen("受給額"), 経過={"type": "string", "title": "経過期間", "description": "例: 2年6か月"},
                               虚偽={"type": "string", "title": "虚偽の申請等", "enum": ["いいえ", "はい"]},
                               やむを得ない事情={"type": "string", "title": "やむを得ない事情（倒産・災害等）", "enum": ["いいえ", "はい"]}), repayment),
        CalculatorSpec("mynumber_bonus", "マイナンバーカード加点", "12月末の申請率による加点（0～3点）",
                       _schema(["12月末申請率"], **{"12月末申請率": {"type": ["number", "string"], "title": "12月末申請率（%）"}}), mynumber_bonus),
        CalculatorSpec("adoption_decision", "総合評価と採択区分（①～④）", "総合評価点数から評価（S～D）と採択区分を判定",
                       _schema(["申請タイプ", "総合評価点数"], 申請タイプ={**_TYPE, "title": "申請タイプ"},
                               総合評価点数={"type": "integer", "title": "総合評価点数", "minimum": 0, "maximum": 39},
                               加点={"type": "integer", "title": "マイナンバー加点", "minimum": 0, "maximum": 3},
                               交付対象事業費=_yen("交付対象事業費（採択された場合の国費を計算）"),
                               **{"申請要件×": _CROSS, "満たさない申請要件": _UNMET}),
                       adoption_decision),
        CalculatorSpec("project5_adoption", "⑤事業の評価と採択", "⑤事業の総合評価点数から評価と採択/不採択を判定",
                       _schema(["総合評価点数"], 総合評価点数={"type": "integer", "title": "総合評価点数", "minimum": 0, "maximum": 24},
                               加点={"type": "integer", "title": "マイナンバー加点", "minimum": 0, "maximum": 3},
                               タイプ={**_TYPE, "title": "①～④の採択タイプ"}, 事業費=_yen("⑤プロジェクトの事業費"),
                               **{"申請要件×": _CROSS}), project5_adoption),
        CalculatorSpec("population_decline", "人口減少率の要件（東京圏内の市町村）", "2010年～2020年の人口減少率が10%以上か",
                       _schema(["2010年人口", "2020年人口"],
                               **{"2010年人口": {"type": "integer", "title": "2010年の人口（国勢調査）", "minimum": 1},
                                  "2020年人口": {"type": "integer", "title": "2020年の人口（国勢調査）", "minimum": 0}}),
                       population_decline),
        CalculatorSpec("migrants_minimum", "移住者数KPIの下限", "高水準：市町村人口の0.01%（切り上げ）、標準：下限なし",
                       _schema(["市町村人口"], 市町村人口={"type": "integer", "title": "市町村人口", "minimum": 0},
                               タイプ=_TYPE), migrants_minimum),
        CalculatorSpec("kpi_check", "KPI要件の確認", "2026年度KPIがタイプ別の要件（県外企業数・県外利用者割合・移住者数）を満たすか",
                       _schema(["タイプ", "県外企業数", "県外利用者割合", "移住者数"], タイプ=_TYPE,
                               県外企業数={"type": "integer", "title": "所在都道府県外の企業数", "minimum": 0},
                               県外利用者割合={"type": ["number", "string"], "title": "所在都道府県外の利用者割合（%）"},
                               移住者数={"type": "integer", "title": "移住者数", "minimum": 0},
                               市町村人口={"type": "integer", "title": "市町村の人口（高水準のみ）", "minimum": 1}), kpi_check),
        CalculatorSpec("b1_b2_check", "経費B1・B2の上限確認", "附帯施設（B1）・用地取得/外構等（B2）が上限内かを確認",
                       _schema(["交付対象事業費"], 交付対象事業費=_yen("施設の交付対象事業費"), B1=_yen("経費B1"), B2=_yen("経費B2")), b1_b2_check),
        CalculatorSpec("digital_env_grant", "デジタル活用環境構築推進事業の補助額", "総務省サテライトオフィス整備補助（補助率1/2、上限2,000万円）",
                       _schema(["事業費"], 事業費=_yen("事業費")), digital_env_grant),
        CalculatorSpec("overhead_limit", "一般管理費の上限", "デジタル活用環境構築推進事業：直接経費合計の1/10以内",
                       _schema(["直接経費合計"], 直接経費合計=_yen("直接経費合計")), overhead_limit),
        CalculatorSpec("trial_office_tax", "お試しサテライトオフィスの特別交付税", "対象経費（上限1団体1,000万円）× 措置率0.5 × 財政力補正",
                       _schema(["対象経費"], 対象経費=_yen("対象経費"), 財政力補正={"type": ["number", "string"], "title": "財政力補正（係数）"}), trial_office_tax),
        CalculatorSpec("local_burden_2021", "地方創生テレワーク交付金（2021）の実質地方負担", "地方負担の8割に地方創生臨時交付金を充当した後の実質負担",
                       _schema(["事業費", "タイプ"], 事業費=_yen("事業費"), タイプ=_TYPE), local_burden_2021),
        CalculatorSpec("eligibility", "交付対象者の確認", "自治体が地方創生テレワーク型の交付対象者かを確認（東京圏・参考一覧）",
                       _schema(["自治体名"], 自治体名={"type": "string", "title": "自治体名"}, 都道府県={"type": "string", "title": "都道府県"},
                               事業区域={"type": "string", "title": "事業区域（都県が申請する場合の市町村）"},
                               政令指定都市={"type": "boolean", "title": "政令指定都市か"},
                               人口減少率={"type": "number", "title": "2010年～2020年の人口減少率（%）", "minimum": 0,
                                           "maximum": 100}), eligibility),
    ]
}


def calculate(kind: str, inputs: Mapping[str, object]) -> Calculation:
    spec = CALCULATORS.get(kind)
    if spec is None:
        raise CalculationError(f"unknown calculator {kind!r}; available: {', '.join(CALCULATORS)}")
    if not isinstance(inputs, Mapping):
        raise CalculationError("inputs must be an object of name: value")
    unknown = set(inputs) - set(spec.input_schema["properties"])
    if unknown:
        raise CalculationError(f"unknown inputs for {kind}: {sorted(unknown)}; expected {list(spec.input_schema['properties'])}")
    try:
        return spec.func(inputs)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise CalculationError(f"{kind}: invalid inputs ({exc})") from exc
