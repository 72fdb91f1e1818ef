"""Gradio front end: presentation only. `format_answer` and friends are pure (tested without a browser);
`build_ui(assistant, settings)` wires them to the chat (answer, 出典 and 計算 in one message), feedback and the
計算 tab; `mount_ui(app, …)` serves it at / and, without page chrome, at /embed/.

What the browser shows is escaped here: the user's own text and the documents' text are shown as text (HTML
entities and markdown backslash escapes), never rendered as HTML or markdown. `chat_history` and
`liked_exchange` undo exactly that escaping, so the assistant and the feedback store get plain text.
"""

from __future__ import annotations

import html
import os
import re
import tomllib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.types import MARKER_RE, Answer, Calculation, Citation, Rule, Status, Turn

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI

    from assistant.core import Assistant
    from assistant.settings import Settings

TITLE = "地方創生テレワーク 交付金アシスタント"
EXAMPLES = [
    "50人以上の施設の整備・運営の上限額は？",
    "定員35人の施設で総事業費5,000万円、高水準タイプなら国費はいくら？",
    "進出支援金の返還ルールを教えてください。",
    "マイナンバーカードの申請率による加点の仕組みは？",
]
STATUS_LABELS = {
    Status.ANSWERED: "",
    Status.CALCULATED: "（計算結果）",
    Status.CLARIFICATION_NEEDED: "（確認させてください）",
    Status.UNANSWERABLE: "（資料に記載なし）",
    Status.GUARDRAIL: "（お答えできません）",
}
PENDING_NOTE = "（文章を整えています…）"  # shown beside the extractive answer while the LLM phrases it
LINE_CHARS = 160  # a surrounding line longer than this is cut around the quote
SECTION_CHARS = 40
REPO_ROOT = Path(__file__).resolve().parent

# ---- escaping: text shown as text ---------------------------------------------------------------------
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_PUNCT = frozenset("!\"#$%'()*+,-./:;=?@[\\]^_`{|}~")
_UNESCAPE = re.compile(r"&(amp|lt|gt);|\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"<[^>]*>")
_EXTRA = re.compile(r"\n*<details\b.*", re.S)  # the 出典/計算 blocks after an answer's text
_STATUS = re.compile(r"<small class=\"ga-status\">.*?</small>", re.S)


def md_text(text: str) -> str:
    """`text` as markdown that renders exactly as the characters typed: no HTML, no markdown syntax."""
    return "".join(_ENTITIES.get(ch) or ("\\" + ch if ch in _MD_PUNCT else ch) for ch in text)


def _md_unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m[1]] if m[1] else m[2], text)


def _h(value: object) -> str:
    """Text for the HTML blocks (出典, 計算): escaped, and with no raw line break, since a blank line would end
    the HTML block and hand the rest to markdown."""
    return re.sub(r"\s*\n\s*", "<br>", html.escape(str(value), quote=True).strip())


# ---- extraction debris: cleaned in displayed text only (quotes used for matching stay verbatim) --------
_DEBRIS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\[°\]"), ""),
    (re.compile(r"〔\s*"), ""),
    (re.compile(r"</?(?:p|ul|ol|li|br|span|div)\b[^>]*>"), " "),
    (re.compile(r"K P I"), "KPI"),
    (re.compile(r"企业"), "企業"),
    (re.compile(r"实"), "実"),
    (re.compile(r"\t+"), "　"),
    (re.compile(r"[ 　]{2,}"), " "),
)


def clean_display(text: str) -> str:
    """PDF-extraction debris out of text that is only shown (「[°]」, 「企业」, 「〔 ・ 」, stray HTML tags)."""
    for pattern, replacement in _DEBRIS:
        text = pattern.sub(replacement, text)
    return text.strip()


def section_label(section: str) -> str:
    """The last part of a section path, cleaned and short: 「全体概要 > 交付金の特徴」 -> 「交付金の特徴」."""
    label = clean_display(section.split(" > ")[-1]).lstrip("■□◆◇●○・ 　") if section else ""
    return label if len(label) <= SECTION_CHARS else label[: SECTION_CHARS - 1] + "…"


# ---- answers and sources --------------------------------------------------------------------------------
def _anchor_id(uid: str, marker: int) -> str:
    return f"ga-{uid}-{marker}"


def format_answer(answer: Answer, uid: str | None = None, titles: Mapping[str, str] | None = None,
                  links: Mapping[str, str] | None = None, pending: bool = False) -> str:
    """The answer as one chat message: its text (as text) with clickable [n] and its first line — the key
    fact or verdict (「いいえ。…」, a calculation's result) — in bold, a status note, then the 出典 blocks
    (closed; a click on [n] opens and highlights its block) and the 計算 panel (open). `pending`: a note that
    the LLM's wording is on its way (the chat replaces the message when it arrives)."""
    uid = uid or uuid.uuid4().hex[:8]
    markers = {c.marker for c in answer.citations}

    def shown(part: str) -> str:
        pieces = []
        at = 0
        for m in MARKER_RE.finditer(part):
            pieces.append(md_text(part[at : m.start()]))
            n = int(m[1])
            if n in markers:
                pieces.append(f'<a class="ga-cite" href="#{_anchor_id(uid, n)}" title="出典{n}を開く">[{n}]</a>')
            else:
                pieces.append(md_text(m[0]))
            at = m.end()
        pieces.append(md_text(part[at:]))
        return "".join(pieces)

    # <strong>, not **: the markup is dropped with the other tags when the chat is read back as plain text.
    body = answer.text.lstrip()
    first, newline, rest = body.partition("\n")
    lead = f'<strong class="ga-lead">{shown(first)}</strong>' if first.strip() else shown(first)
    text = md_text(answer.text[: len(answer.text) - len(body)]) + lead + newline + shown(rest)
    label = STATUS_LABELS.get(answer.status, "")
    if label:
        text += f' <small class="ga-status">{label}</small>'
    if pending:
        text += f' <small class="ga-status">{PENDING_NOTE}</small>'
    blocks = [text]
    if answer.citations:
        blocks.append(format_citations(answer, uid, links))
    if answer.calculation is not None:
        blocks.append(f'<details class="ga-calc-panel" open><summary>計算の内訳</summary>'
                      f"{format_calculation(answer.calculation, titles)}</details>")
    return "\n\n".join(blocks)


def _quote_in_context(citation: Citation, passage_text: str | None) -> str:
    """The quote marked inside its surrounding lines (the line before and the line after), cleaned for display."""
    quote = citation.quote
    if not passage_text or quote not in passage_text:
        return f"<mark>{_h(clean_display(quote))}</mark>"
    at = passage_text.index(quote)
    end = at + len(quote)
    line_start = passage_text.rfind("\n", 0, at) + 1
    line_end = passage_text.find("\n", end)
    line_end = len(passage_text) if line_end < 0 else line_end
    before_lines = [ln for ln in passage_text[:line_start].split("\n") if ln.strip()]
    after_lines = [ln for ln in passage_text[line_end:].split("\n") if ln.strip()]
    head = passage_text[line_start:at][-LINE_CHARS:]
    tail = passage_text[end:line_end][:LINE_CHARS]
    shown = []
    if before_lines and section_label(before_lines[-1]) == section_label(citation.section):
        before_lines.pop()  # the section heading is shown above already
    if before_lines:
        shown.append(f'<span class="ga-context">{_h(_cut(clean_display(before_lines[-1]), tail=True))}</span>')
    shown.append(f"{_h(clean_display(head))}<mark>{_h(clean_display(quote))}</mark>{_h(clean_display(tail))}")
    if after_lines:
        shown.append(f'<span class="ga-context">{_h(_cut(clean_display(after_lines[0])))}</span>')
    return "<br>".join(shown)


def _cut(line: str, tail: bool = False) -> str:
    if len(line) <= LINE_CHARS:
        return line
    return "…" + line[-LINE_CHARS:] if tail else line[:LINE_CHARS] + "…"


def format_citations(answer: Answer, uid: str = "x", links: Mapping[str, str] | None = None) -> str:
    """One block per citation, inside a closed 「出典（N件）」: document title, fiscal year, a short section
    label and the quote highlighted among its surrounding lines, and a link to the document when the manifest
    gives one (`links`: file name -> http(s) URL). Block ids match the answer's [n] links."""
    passages = {p.chunk_id: p.text for p in answer.passages}
    blocks = []
    for c in answer.citations:
        url = (links or {}).get(c.source, "")
        link = (f' <a class="ga-doc-link" href="{_h(url)}" target="_blank" rel="noopener noreferrer">資料を開く</a>'
                if re.match(r"https?://", url) else "")
        blocks.append(
            f'<div class="ga-source" id="{_anchor_id(uid, c.marker)}">'
            f'<div class="ga-source-head"><b>[{c.marker}] {_h(clean_display(c.title))}</b>'
            f'<span class="ga-year">（{_h(c.fiscal_year)}）</span>{link}</div>'
            f'<div class="ga-section">{_h(section_label(c.section))}</div>'
            f'<blockquote class="ga-quote">{_quote_in_context(c, passages.get(c.chunk_id))}</blockquote></div>'
        )
    return (f'<details class="ga-sources"><summary>出典（{len(answer.citations)}件）</summary>'
            + "".join(blocks) + "</details>")


# ---- calculations in officer language ------------------------------------------------------------------
RULE_LABELS = {
    "rate_high": "補助率（高水準タイプ）",
    "rate_standard": "補助率（標準タイプ）",
    "size_bands": "施設の規模区分（収容可能人数の境目）",
    "cap_facility_under20": "交付上限額（20人未満の施設）",
    "cap_facility_20to49": "交付上限額（20人以上50人未満の施設）",
    "cap_facility_50plus": "交付上限額（50人以上の施設）",
    "facility_limit_total": "1団体の施設数の上限",
    "facility_limit_by_size": "規模別の施設数の上限（20人未満・20人以上50人未満・50人以上）",
    "soft_cost_limit": "ソフト経費の上限（1団体）",
    "cap_project3": "③サテライトオフィス等活用促進事業の上限額",
    "national_truncation": "国費の端数処理",
    "relocation_max": "進出支援金の上限（1社あたり）",
    "relocation_national_high": "進出支援金の国費（1社あたり・高水準タイプ）",
    "relocation_national_standard": "進出支援金の国費（1社あたり・標準タイプ）",
    "project5_cap": "⑤事業の事業費上限（1プロジェクト）",
    "project5_national": "⑤事業の国費（高水準タイプ・標準タイプ）",
    "project5_count_limit": "⑤事業の申請可能件数の上限",
    "repay_scope": "返還の対象期間",
    "repay_half": "返還額（3年以上5年以内）",
    "repay_full": "返還額（3年未満）",
    "repay_full_before_years": "全額返還となる期間",
    "repay_half_until_years": "半額返還となる期間",
    "repay_false_claim": "返還額（虚偽の申請等）",
    "repay_exemption": "返還額（やむを得ない事情）",
    "mynumber_average": "マイナンバーカード申請率の全国平均",
    "mynumber_bands": "加点の区切り（申請率）",
    "grade_s": "S評価の点数",
    "grade_a": "A評価の点数",
    "grade_b": "B評価の点数",
    "grade_c": "C評価の点数",
    "grade_d": "D評価の点数",
    "grade_cross": "申請要件に「×」がある場合の評価",
    "max_score": "総合評価の満点",
    "adopt_high": "高水準タイプで採択される評価",
    "adopt_standard": "標準タイプで採択される評価",
    "p5_grade_s": "⑤事業 S評価の点数",
    "p5_grade_a": "⑤事業 A評価の点数",
    "p5_grade_b": "⑤事業 B評価の点数",
    "p5_grade_cross": "⑤事業 申請要件に「×」がある場合の評価",
    "p5_max_score": "⑤事業 総合評価の満点",
    "p5_adopt": "⑤事業で採択される評価",
    "p5_type_same": "⑤事業の採択タイプ",
    "kpi_high_companies": "KPI：県外企業数（高水準タイプ）",
    "kpi_high_users": "KPI：県外利用者の割合（高水準タイプ）",
    "kpi_high_migrants": "KPI：移住者数（高水準タイプ、人口比）",
    "kpi_standard_companies": "KPI：県外企業数（標準タイプ）",
    "kpi_standard_users": "KPI：県外利用者の割合（標準タイプ）",
    "b1_limit": "経費B1の上限（交付対象事業費に対する割合）",
    "b2_limit": "経費B2の上限（交付対象事業費に対する割合）",
    "b_total_limit": "経費B1＋B2の上限（交付対象事業費に対する割合）",
    "c_rate_high": "補助率（2021年度・高水準タイプ）",
    "c_rate_standard": "補助率（2021年度・標準タイプ）",
    "c_rinji_share": "地方負担に充当できる地方創生臨時交付金の割合",
    "c_trial_cap": "お試しサテライトオフィスの対象経費の上限（1団体）",
    "c_trial_rate": "お試しサテライトオフィスの措置率",
    "c_digital_rate": "デジタル活用環境構築推進事業の補助率",
    "c_digital_cap": "デジタル活用環境構築推進事業の補助上限額",
    "c_overhead": "一般管理費の上限（直接経費合計に対する割合）",
    "tokyo_area": "東京圏（交付対象外の都県）",
    "eligible_outside": "交付対象者①（東京圏外の地方公共団体）",
    "eligible_listed": "交付対象者②（東京圏内の参考一覧の市町村）",
    "eligible_prefecture": "交付対象者③（都県）",
}
# Values better said in words than as the table's number or code
RULE_VALUE_TEXT = {
    "national_truncation": "千円未満を切り捨て",
    "project5_count_limit": "所在都道府県外の企業数（KPI）まで",
    "p5_type_same": "①～④事業と同じタイプ",
    "repay_exemption": "返還不要",
}
# Rules whose value is a list of thresholds or amounts written "a/b[/c]" (not a ratio)
LIST_RULES = frozenset({"size_bands", "facility_limit_by_size", "project5_national", "mynumber_bands"})
INPUT_LABELS = {
    "申請要件×": "申請要件に「×」がある",
    "上限適用": "上限額を適用",
    "対象経費_上限適用": "対象経費の上限を適用",
    "B1上限_未満": "B1の上限（この額未満）",
    "人口の0.01%": "人口の0.01%（人）",
}
_EXAMPLE = re.compile(r"事例")
_YEN_KEY = re.compile(r"費|額|国費|負担|上限|充当|支給|受給|^B[12]$")
_COUNT_UNITS = (("人数", "人"), ("定員", "人"), ("人口", "人"), ("移住者数", "人"), ("下限", "人"), ("社数", "社"),
                ("企業数", "社"), ("施設数", "施設"), ("点数", "点"), ("合計点", "点"), ("加点", "点"))


def yen(amount: int) -> str:
    """33750000 -> 「33,750,000円（3,375万円）」; under 1万円 without the reading."""
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    text = f"{sign}{amount:,}円"
    if amount < 10_000:
        return text
    oku, man = divmod(amount, 100_000_000)
    reading = (f"{oku:,}億" if oku else "") + (f"{man / 10_000:,.4f}".rstrip("0").rstrip(".") + "万" if man else "")
    return f"{text}（{sign}{reading}円）"


def input_label(key: str) -> str:
    return INPUT_LABELS.get(key) or key.replace("_", " ")


def _display_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, int):
        if _YEN_KEY.search(key) and not key.endswith("数"):
            return yen(value)
        unit = next((u for k, u in _COUNT_UNITS if key.endswith(k)), "")
        return f"{value:,}{unit}"
    if isinstance(value, (list, tuple)):
        return "・".join(_display_value(key, v) for v in value)
    return clean_display(str(value))


def _pairs(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows; 「…_表示」 keys repeat a number shown already with its reading."""
    return [(input_label(k), _display_value(k, v)) for k, v in values.items() if not str(k).endswith("_表示")]


@lru_cache(maxsize=1)
def _raw_rule_values() -> dict[str, Any]:
    """The values of rules.toml as written (「20/50」), to tell a list of thresholds from a ratio."""
    try:
        from assistant.calculators.rules import RULES_FILE

        rules = tomllib.loads(RULES_FILE.read_text(encoding="utf-8")).get("rules", {})
        return {name: entry.get("value") for name, entry in rules.items()}
    except (ImportError, OSError, tomllib.TOMLDecodeError):
        return {}


def _with_unit(part: str, unit: str) -> str:
    part = part.strip()
    if unit.startswith("円") and part.isdigit():
        return yen(int(part)) + unit[1:]
    return part + unit


def rule_value(rule: Rule) -> str:
    """A rule's value as the documents state it: 45,000,000円（4,500万円）, 3/4, 20人・50人 (a list, not 2/5)."""
    value: Any = rule.value
    raw = _raw_rule_values().get(rule.name)
    if rule.name in RULE_VALUE_TEXT:
        return RULE_VALUE_TEXT[rule.name]
    if isinstance(value, (list, tuple)):
        return "・".join(_with_unit(str(v), rule.unit) for v in value)
    if isinstance(raw, list):  # a list in the table, whatever type the value arrived as
        return "・".join(_with_unit(str(v), rule.unit) for v in raw)
    if isinstance(raw, str) and "/" in raw and (rule.name in LIST_RULES or raw.count("/") > 1):
        return "・".join(_with_unit(p, rule.unit) for p in raw.split("/"))
    if isinstance(value, Fraction):
        if rule.unit == "%":
            return f"{float(value):g}%"
        if isinstance(raw, str) and "/" in raw:  # 5/10 as written, not reduced to 1/2
            return raw + rule.unit
        return rule.display_value() + rule.unit
    if isinstance(value, int) and not isinstance(value, bool):
        return _with_unit(str(value), rule.unit) if rule.unit.startswith("円") else f"{value:,}{rule.unit}"
    if isinstance(value, str) and re.fullmatch(r"[a-z_]+", value):
        return "資料の記載のとおり"  # a code word of the table (e.g. "same"): the quote says it
    return clean_display(str(value)).replace(",", "・") + rule.unit


def rule_label(rule: Rule) -> str:
    return RULE_LABELS.get(rule.name) or (clean_display(rule.note) if rule.note else "資料の規定")


@lru_cache(maxsize=4)
def _manifest_documents(corpus_dir: Path) -> tuple[dict[str, Any], ...]:
    try:
        documents = tomllib.loads((corpus_dir / "manifest.toml").read_text(encoding="utf-8")).get("documents", [])
    except (OSError, tomllib.TOMLDecodeError):
        return ()
    return tuple(d for d in documents if isinstance(d, dict) and "file" in d)


def _manifest_titles(corpus_dir: Path) -> dict[str, str]:
    return {d["file"]: f"{d.get('title', '')}（{d.get('fiscal_year', '')}）" for d in _manifest_documents(corpus_dir)}


def document_links(corpus_dir: Path) -> dict[str, str]:
    """File name -> the document's public URL, when corpus/manifest.toml gives one (`url = "https://…"`)."""
    return {d["file"]: str(d.get("url") or d.get("source_url") or "") for d in _manifest_documents(corpus_dir)
            if d.get("url") or d.get("source_url")}


def document_titles(documents: Sequence[Mapping[str, Any]] | None = None) -> dict[str, str]:
    """File name -> 「title（fiscal year）」 from the index manifest (documents) or corpus/manifest.toml."""
    if documents:
        return {str(d.get("source") or d.get("file")): f"{d.get('title', '')}（{d.get('fiscal_year', '')}）"
                for d in documents}
    return _manifest_titles(REPO_ROOT / "corpus")


def _rule_source(rule: Rule, titles: Mapping[str, str]) -> str:
    title = titles.get(rule.source) or "公表資料"
    section = section_label(rule.section)
    return f"{title}" + (f"・{section}" if section else "")


def _rule_html(rule: Rule, titles: Mapping[str, str]) -> str:
    example = bool(_EXAMPLE.search(rule.section) or _EXAMPLE.search(rule.note))
    note = ""
    if rule.note and rule.name in RULE_LABELS and not example:
        note = f'<div class="ga-rule-note">{_h(clean_display(rule.note))}</div>'
    if example:
        note = ('<div class="ga-rule-note ga-example">※ 資料に規則としては書かれておらず、資料に載っている'
                f"他団体の採択事例の数字から読み取ったものです。{_h(clean_display(rule.note))}</div>")
    return (f'<li class="ga-rule"><b>{_h(rule_label(rule))}</b>：{_h(rule_value(rule))}'
            f'<div class="ga-rule-quote">「{_h(clean_display(rule.quote))}」</div>{note}'
            f'<div class="ga-rule-source">{_h(_rule_source(rule, titles))}</div></li>')


def _table(rows: list[tuple[str, str]], strong: bool = False) -> str:
    cells = "".join(f"<tr><th>{_h(k)}</th><td>{'<b>' if strong else ''}{_h(v)}{'</b>' if strong else ''}</td></tr>"
                    for k, v in rows)
    return f'<table class="ga-table">{cells}</table>'


def _step_html(step: Any, titles: Mapping[str, str]) -> str:
    label = clean_display(str(getattr(step, "label", "") or ""))
    result = getattr(step, "result", None)
    shown_result = ""
    if result is not None and not isinstance(result, (dict, list)):
        value = _display_value("額" if isinstance(result, int) and not isinstance(result, bool) and abs(result) >= 10_000
                               else "", result)
        reading = value.split("（")[-1].rstrip("）") if "（" in value else value
        if reading not in label and value not in label:
            shown_result = f" → <b>{_h(value)}</b>"
    if not label:
        step_inputs = getattr(step, "inputs", {}) or {}
        label = "、".join(f"{k} {v}" for k, v in _pairs(step_inputs))
    rule = getattr(step, "rule", None)
    rule_part = ""
    if isinstance(rule, Rule):
        example = bool(_EXAMPLE.search(rule.section) or _EXAMPLE.search(rule.note))
        rule_part = (f'<div class="ga-rule-quote">根拠：「{_h(clean_display(rule.quote))}」</div>'
                     f'<div class="ga-rule-source">{_h(_rule_source(rule, titles))}</div>'
                     + ('<div class="ga-rule-note ga-example">※ 資料に載っている他団体の採択事例から読み取った扱いです。</div>'
                        if example else ""))
    return f'<li class="ga-step">{_h(label)}{shown_result}{rule_part}</li>'


def format_calculation(calc: Calculation, titles: Mapping[str, str] | None = None) -> str:
    """A calculation in officer language (HTML): the key result, 入力, the steps (when the calculator gives
    them) or the formula, 結果 with 円 and 万円, and each rule with its quote and document title."""
    titles = titles if titles is not None else document_titles()
    parts = [f'<div class="ga-calc"><p class="ga-summary"><b>{_h(clean_display(calc.summary))}</b></p>']
    inputs = _pairs(calc.inputs)
    if inputs:
        parts.append(f"<h4>入力</h4>{_table(inputs)}")
    steps = tuple(getattr(calc, "steps", ()) or ())
    if steps:
        parts.append("<h4>計算の手順</h4><ol class=\"ga-steps\">"
                     + "".join(_step_html(s, titles) for s in steps) + "</ol>")
    elif calc.formula:
        formula = "<br>".join(_h(clean_display(line)) for line in calc.formula.split("\n") if line.strip())
        parts.append(f'<h4>計算式</h4><p class="ga-formula">{formula}</p>')
    results = _pairs(calc.result)
    if results:
        parts.append(f"<h4>結果</h4>{_table(results, strong=True)}")
    if calc.rules:
        parts.append("<h4>根拠（資料の記載）</h4><ul class=\"ga-rules\">"
                     + "".join(_rule_html(r, titles) for r in calc.rules) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


# ---- chat messages -> plain text ----------------------------------------------------------------------
def message_text(content: Any) -> str:
    """The text of one chat message's content in any form Gradio 6 sends it: a string, a list of parts
    (`{"type": "text", "text": …}` or plain strings), or one part. File and image parts carry no text."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", "")) if content.get("type", "text") == "text" else ""
    if isinstance(content, (list, tuple)):
        return "\n".join(t for t in (message_text(part) for part in content) if t)
    return ""


def plain_text(role: str, shown: str) -> str:
    """What a message says, from what the chat shows: the escaping undone; for an answer, without the status
    note, the 出典/計算 blocks and the [n] links' markup (the [n] stay)."""
    if role == "assistant":
        shown = _TAG.sub("", _STATUS.sub("", _EXTRA.sub("", shown))).rstrip()
    return _md_unescape(shown)


def _is_panel(message: Any) -> bool:
    """Messages with a metadata title (older 出典/計算 panels) are not conversation."""
    meta = message.get("metadata") if isinstance(message, dict) else getattr(message, "metadata", None)
    return bool((meta or {}).get("title"))


def _role_and_text(message: Any) -> tuple[str, str]:
    if isinstance(message, dict):
        role, content = str(message.get("role", "")), message.get("content")
    else:
        role, content = str(getattr(message, "role", "")), getattr(message, "content", "")
    return role, plain_text(role, message_text(content))


def chat_history(messages: list[Any] | None) -> list[Turn]:
    """Chat messages -> the same `Turn` list the API and the CLI pass to `assistant.ask`."""
    turns = []
    for m in messages or []:
        role, text = _role_and_text(m)
        if _is_panel(m) or role not in ("user", "assistant") or not text.strip():
            continue
        turns.append(Turn(role, text))  # type: ignore[arg-type]
    return turns


def liked_exchange(messages: list[Any] | None, index: int) -> tuple[str, str]:
    """(question, answer) as plain text for the liked assistant message at `index`."""
    messages = list(messages or [])
    if not 0 <= index < len(messages):
        return "", ""
    _, answer = _role_and_text(messages[index])
    question = ""
    for m in reversed(messages[:index]):
        role, text = _role_and_text(m)
        if role == "user" and text.strip():
            question = text
            break
    return question, answer


def welcome_message(documents: Sequence[Mapping[str, Any]], contact: str) -> str:
    """What the empty chat says: the documents it answers from, that answers quote them, where else to ask."""
    listed = "\n".join(f"- {md_text(str(d.get('title', '')))}（{md_text(str(d.get('fiscal_year', '')))}）"
                       for d in documents)
    text = (
        f"**{TITLE}**\n\n次の公表資料に書かれていることをお答えします。\n\n{listed}\n\n"
        "回答は資料の該当箇所を引用し、[1] のような番号を押すと出典が開きます。"
        "上限額・補助率・返還額・評価点は計算して内訳を示します（「計算」タブでも計算できます）。"
    )
    if contact:
        text += f"\n\n資料にないことや個別の案件は、担当窓口にお問い合わせください：{md_text(contact)}"
    return text


# ---- page ------------------------------------------------------------------------------------------------
HEAD = """<meta name="google" content="notranslate">
<script>
document.documentElement.lang = "ja";
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest ? event.target.closest("a.ga-cite") : null;
  if (!link) return;
  var target = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!target) return;
  event.preventDefault();
  event.stopPropagation();
  var details = target.closest("details");
  if (details) details.open = true;
  document.querySelectorAll(".ga-source.ga-hl").forEach(function (el) { el.classList.remove("ga-hl"); });
  target.classList.add("ga-hl");
  target.scrollIntoView({block: "nearest"});
}, true);
// A new question scrolls the chat down to it; its answer is then shown from its first line (not its end).
(function () {
  var users = 0, bots = 0;
  new MutationObserver(function () {
    var log = document.querySelector("#chat [role=log]");
    if (!log) return;
    var u = log.querySelectorAll(".user-row"), b = log.querySelectorAll(".bot-row").length;
    if (u.length > users) log.scrollTop = log.scrollHeight;
    if (b > bots && u.length) {
      var last = u[u.length - 1];
      log.scrollTop += last.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
    }
    users = u.length; bots = b;
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
// The feedback confirmation (#feedback-note) is repeated right beside the 良い/良くない buttons clicked.
(function () {
  var buttons = null, before = "";
  function noteText() {  // the message only, not the progress timer Gradio shows while it runs
    var note = document.querySelector("#feedback-note .md") || document.querySelector("#feedback-note .prose");
    return note ? (note.innerText || "").trim() : "";
  }
  function show() {
    var text = noteText();
    if (!buttons || !text) return;
    var flash = buttons.querySelector(".ga-feedback-flash") || document.createElement("span");
    flash.className = "ga-feedback-flash";
    flash.setAttribute("role", "status");
    flash.textContent = text;
    if (!flash.parentNode) buttons.appendChild(flash);
    buttons = null;
    setTimeout(function () { flash.remove(); }, 8000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("#chat .message-buttons button") : null;
    if (!button) return;
    buttons = button.parentElement;  // the row of 良い/良くない buttons
    before = noteText();
    setTimeout(show, 3000);  // the same words as last time: the note does not change
  }, true);
  new MutationObserver(function () {
    var text = buttons ? noteText() : "";
    if (text && text !== before) show();
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
})();
</script>"""

CSS = """
:root { --ga-chrome: 290px; }  /* what is not the chat: title, tabs, comment, input (the chat gets the rest) */
footer { display: none !important; }
#chat .top-panel, #chat .scroll-down-button-container { display: none !important; }
#chat .message-content { overflow-wrap: anywhere; }
#chat .bubble.bot-row { max-width: 100% !important; }
#chat .bubble.user-row { max-width: 85% !important; }
.ga-cite { font-weight: 600; text-decoration: none; padding: 0 1px; }
.ga-status { color: var(--body-text-color-subdued); }
details.ga-sources, details.ga-calc-panel { margin-top: 6px; }
details.ga-sources > summary, details.ga-calc-panel > summary { cursor: pointer; font-weight: 600; }
.ga-source { border-left: 3px solid var(--border-color-primary); padding: 4px 8px; margin: 6px 0; }
.ga-source.ga-hl { border-left-color: #d97706; background: rgba(253, 230, 138, 0.35); }
.ga-section, .ga-year, .ga-context, .ga-rule-source { color: var(--body-text-color-subdued); font-size: 0.9em; }
#chat .ga-quote, .ga-quote { margin: 2px 0 0 0 !important; padding: 0 !important; border: 0 !important; font-style: normal; }
#chat .ga-quote::before, #chat .ga-quote::after { content: none !important; }
.ga-quote mark { background: #fde68a; color: inherit; }
.ga-calc h4 { margin: 8px 0 2px 0; font-size: 0.95em; }
.ga-table { border-collapse: collapse; margin: 0; }
.ga-table th, .ga-table td { text-align: left; padding: 2px 8px 2px 0; border: 0; vertical-align: top; }
.ga-table th { font-weight: normal; color: var(--body-text-color-subdued); }
.ga-rule, .ga-step { margin-bottom: 6px; }
.ga-rule-quote { font-size: 0.9em; }
.ga-example { color: #92400e; font-size: 0.9em; }
.ga-feedback-flash { align-self: center; margin: 0 6px; font-size: 0.85em; color: #166534; }
#input-row, #feedback-row { flex-wrap: nowrap !important; align-items: stretch; gap: 6px; }
#input-row > *, #feedback-row > * { min-width: 0 !important; }
#question, #comment { flex: 1 1 0% !important; }
#send, #reset { flex: 0 0 auto !important; min-width: 4.5em !important; }
#feedback-note { flex: 0 1 auto !important; width: auto !important; max-width: 50%; align-self: center; min-height: 0; }
#feedback-note p { margin: 0; }
@media (max-width: 640px) {
  #chat { --ga-chrome: 360px; }  /* Gradio scopes rules in @media under .contain: set it on the chat */
  .gradio-container .main.app { padding: 8px !important; }
  #input-row { flex-wrap: wrap !important; }
  #question { flex: 1 1 100% !important; }
  #send, #reset { flex: 1 1 40% !important; }
  #feedback-row { flex-wrap: wrap !important; }
  #comment, #feedback-note { flex: 1 1 100% !important; max-width: 100%; }
}
"""

# In the portal's iframe: the frame's whole width, little padding (the portal has its own margins).
EMBED_CSS = """
#chat { --ga-chrome: 205px !important; }
@media (max-width: 640px) { #chat { --ga-chrome: 280px !important; } }
.gradio-container .main.app { padding: 6px 8px !important; }
.gradio-container .main.app > .wrap, .gradio-container main.contain { max-width: none !important; }
"""


def build_ui(assistant: Assistant, settings: Settings, embed: bool = False) -> gr.Blocks:
    import gradio as gr

    from assistant.errors import GrantAssistantError
    from assistant.feedback import FeedbackStore

    feedback = FeedbackStore(settings.feedback_db)
    index = getattr(assistant, "index", None)
    documents = list(getattr(index, "manifest", {}).get("documents", [])) if index is not None else []
    titles = document_titles(documents)
    links = document_links(Path(settings.corpus_dir))
    contact = getattr(getattr(assistant, "contact", None), "text", "") or ""

    def respond(message: str, messages: list[Any]) -> Iterator[tuple[str, list[Any]]]:
        messages = list(messages or [])
        if not (message or "").strip():
            yield "", messages
            return
        history = chat_history(messages)
        messages.append({"role": "user", "content": md_text(message)})
        yield "", messages
        # With an LLM configured the extractive answer is shown at once and the LLM's wording replaces it when
        # it arrives (within llm_timeout_s) and passes the grounding checks; otherwise the extractive one stays.
        llm = getattr(assistant, "generator", None) is not None
        try:
            answer = assistant.ask(message, history, phrase=False) if llm else assistant.ask(message, history)
        except GrantAssistantError as exc:
            messages.append({"role": "assistant", "content": "⚠️ " + md_text(str(exc))})
            yield "", messages
            return
        phrasing = llm and answer.status is Status.ANSWERED and bool(answer.passages)
        messages.append({"role": "assistant",
                         "content": format_answer(answer, titles=titles, links=links, pending=phrasing)})
        yield "", messages
        if not phrasing:
            return
        try:
            phrased = assistant.phrase(message, answer, history)
        except Exception:  # noqa: BLE001 — the extractive answer is on screen already and stands
            phrased = answer
        messages[-1] = {"role": "assistant", "content": format_answer(phrased, titles=titles, links=links)}
        yield "", messages

    def on_example(messages: list[Any], data: gr.SelectData) -> Iterator[tuple[str, list[Any]]]:
        value = data.value
        text = message_text(value) if not isinstance(value, dict) or "text" in value else ""
        yield from respond(text, messages)

    def on_like(messages: list[Any], comment: str, data: gr.LikeData) -> tuple[str, str]:
        index = data.index if isinstance(data.index, int) else data.index[0]
        question, answer_text = liked_exchange(messages, index)
        if not question or not answer_text:
            return "⚠️ フィードバックを記録できませんでした（回答が見つかりません）。", comment
        feedback.add(question, answer_text, 1 if data.liked else -1, (comment or "")[:4000])
        verdict = "「良い」" if data.liked else "「良くない」"
        return f"✓ {verdict}のフィードバックを記録しました。ありがとうございます。", ""

    # Gradio injects event data by the parameter's type; string annotations (PEP 563) hide it.
    on_like.__annotations__["data"] = gr.LikeData
    on_example.__annotations__["data"] = gr.SelectData

    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_width=embed) as demo:
        if not embed:
            gr.Markdown(f"## {TITLE}")
        with gr.Tab("質問"):
            chatbot = gr.Chatbot(
                show_label=False, height="calc(100dvh - var(--ga-chrome))", min_height=260, elem_id="chat",
                feedback_options=("Like", "Dislike"), buttons=[], placeholder=welcome_message(documents, contact),
                examples=[{"text": q} for q in EXAMPLES], layout="bubble", autoscroll=False,
            )
            with gr.Row(elem_id="feedback-row", equal_height=True):
                comment = gr.Textbox(placeholder="コメント（任意）：良い／良くないと一緒に記録", show_label=False,
                                     lines=1, max_lines=3, scale=3, elem_id="comment", container=False)
                feedback_note = gr.Markdown(elem_id="feedback-note", container=False)
            with gr.Row(elem_id="input-row", equal_height=True):
                box = gr.Textbox(placeholder="質問を入力（例：50人以上の施設の上限額は？）", show_label=False,
                                 scale=5, elem_id="question", max_length=settings.max_question_chars, lines=1,
                                 max_lines=4, container=False)
                send = gr.Button("送信", variant="primary", scale=0, min_width=70, elem_id="send")
                clear = gr.Button("リセット", variant="secondary", scale=0, min_width=70, elem_id="reset")
            box.submit(respond, [box, chatbot], [box, chatbot])
            send.click(respond, [box, chatbot], [box, chatbot])
            chatbot.example_select(on_example, [chatbot], [box, chatbot])
            chatbot.like(on_like, [chatbot, comment], [feedback_note, comment])
            clear.click(lambda: ([], "", "", ""), None, [chatbot, box, comment, feedback_note])
        _calculator_tab(gr, assistant, titles)
    return demo


def _calculator_tab(gr: Any, assistant: Assistant, titles: Mapping[str, str]) -> None:
    """One calculator at a time, chosen from a list (fits a phone and the portal's iframe)."""
    from assistant.errors import GrantAssistantError

    try:
        specs = assistant.calculators()
    except ImportError:
        return
    if not specs:
        return
    with gr.Tab("計算"):
        gr.Markdown("資料に記載された上限額・補助率・基準をそのまま用いて計算します。"
                    "金額は「6,000万円」「1.2億円」のようにも入力できます。")
        choice = gr.Dropdown(choices=[(s.title, s.kind) for s in specs], value=specs[0].kind, label="計算の種類",
                             elem_id="calc-kind")
        groups = []
        for i, spec in enumerate(specs):
            properties = spec.input_schema.get("properties", {})
            required = set(spec.input_schema.get("required", []))
            with gr.Group(visible=i == 0) as group:
                gr.Markdown(md_text(spec.description))
                fields = []
                with gr.Row():
                    for name, schema in properties.items():
                        label = schema.get("title", input_label(name)) + ("（必須）" if name in required else "")
                        if "enum" in schema:
                            fields.append(gr.Dropdown(choices=[str(v) for v in schema["enum"]], label=label,
                                                      min_width=180))
                        else:
                            fields.append(gr.Textbox(label=label, placeholder=str(schema.get("description", "")),
                                                     min_width=180))
                button = gr.Button("計算する", variant="primary", elem_classes=["ga-calc-run"])
                out = gr.HTML(elem_classes=["ga-calc-out"])
                names = list(properties)

                def run(*values: Any, _kind: str = spec.kind, _names: list[str] = names) -> str:
                    inputs = {n: v for n, v in zip(_names, values, strict=True) if v not in (None, "")}
                    try:
                        return format_calculation(assistant.calculate(_kind, inputs), titles)
                    except (GrantAssistantError, ValueError, TypeError, KeyError) as exc:
                        return f"<p>⚠️ {_h(exc)}</p>"

                button.click(run, fields, out)
            groups.append(group)
        kinds = [s.kind for s in specs]
        choice.change(lambda kind: [gr.Group(visible=k == kind) for k in kinds], choice, groups)


def mount_ui(app: FastAPI, assistant: Assistant, settings: Settings, auth: tuple[str, str] | None = None) -> FastAPI:
    """The chat at / and, without page chrome, at /embed/ (for the portal's iframe); lang="ja", no footer."""
    import gradio as gr

    options: dict[str, Any] = {"auth": auth, "footer_links": [], "head": HEAD}
    # /embed first: a mount at "/" would otherwise catch it.
    app = gr.mount_gradio_app(app, build_ui(assistant, settings, embed=True), path="/embed", css=CSS + EMBED_CSS,
                              **options)
    return gr.mount_gradio_app(app, build_ui(assistant, settings), path="/", css=CSS, **options)


def main() -> None:
    """Serve the chat alone (without the JSON API): `python ui.py`."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant.core import build_assistant
    from assistant.settings import Settings
    from ingest.pipeline import ensure_index

    settings = Settings()
    ensure_index(settings)
    build_ui(build_assistant(settings), settings).launch(
        server_name=settings.host, server_port=settings.port, footer_links=[], css=CSS, head=HEAD)


if __name__ == "__main__":
    main()
