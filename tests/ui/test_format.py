"""The presentation functions of ui.py, without a browser."""

from __future__ import annotations

import re
from fractions import Fraction
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from assistant.calculators import calculate
from assistant.types import Answer, Calculation, Chunk, Citation, Passage, Rule, Status, Step
from ui import (
    chat_history,
    clean_display,
    format_answer,
    format_calculation,
    format_citations,
    liked_exchange,
    md_text,
    plain_text,
    rule_value,
    section_label,
    welcome_message,
    yen,
)

CHUNK = Chunk("c1", "doc.txt", "制度概要", "令和4年度", "全体概要 > ■ 交付上限額", "前文。事業費最大9,000万円／施設 (50人以上収容の場合)。後文<b>", 0, 40)
CITATION = Citation(1, "c1", "doc.txt", "制度概要", "令和4年度", "全体概要 > ■ 交付上限額", "事業費最大9,000万円／施設 (50人以上収容の場合)", 0.9)
INTERNAL = re.compile(r"cap_facility|rate_high|rate_standard|size_bands|national_truncation|_表示|True|False|\.txt")


def _answer_part(shown: str) -> str:
    return shown.split("<details", 1)[0]


def test_format_answer_keeps_markers_escapes_html_and_labels_status():
    shown = format_answer(Answer("上限は<b>9,000万円</b>です[1]", Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),)))
    text = _answer_part(shown)
    assert "[1]" in text and "&lt;b&gt;" in text and "<b>" not in text
    assert "資料に記載なし" in format_answer(Answer("記載がありません", Status.UNANSWERABLE))


def test_the_first_line_the_key_fact_or_verdict_is_bold_and_the_rest_as_it_is():
    text = "いいえ。ご質問の前提は資料の記載と異なります。補助率は3/4です。\n上限は<i>9,000万円</i>です[1]\n次の行[1]"
    shown = _answer_part(format_answer(Answer(text, Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),)), uid="u1"))
    lead, rest = shown.split("\n", 1)
    assert lead == '<strong class="ga-lead">' + md_text("いいえ。ご質問の前提は資料の記載と異なります。補助率は3/4です。") + "</strong>"
    assert "<strong" not in rest and "&lt;i&gt;" in rest and rest.count('href="#ga-u1-1"') == 2
    # A marker on the first line is a link inside the bold; a lone line is bold as a whole.
    one = _answer_part(format_answer(Answer("国費は3,375万円です[1]", Status.ANSWERED, (CITATION,)), uid="u2"))
    assert one.startswith('<strong class="ga-lead">国費は3\\,375万円です<a class="ga-cite" href="#ga-u2-1"')
    assert one.rstrip().endswith("[1]</a></strong>")
    calc = format_answer(Answer("国費は3,375万円です。\n計算式: a", Status.CLARIFICATION_NEEDED))
    assert calc.startswith('<strong class="ga-lead">') and "</strong>\n" + md_text("計算式: a") in calc
    # Read back as plain text (history, feedback), the bold is gone and the text is exactly the answer's.
    messages = [{"role": "user", "content": "q"}, {"role": "assistant", "content": format_answer(Answer(text, Status.ANSWERED, (CITATION,)))}]
    assert chat_history(messages)[-1].content == text


def test_each_marker_links_to_its_source_block_in_the_same_message():
    shown = format_answer(Answer("上限は9,000万円です[1]", Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),)), uid="u1")
    assert '<a class="ga-cite" href="#ga-u1-1"' in shown and 'id="ga-u1-1"' in shown
    assert "出典（1件）" in shown and shown.index("ga-cite") < shown.index("<details")


def test_citations_show_title_year_short_section_and_highlighted_quote_in_place():
    md = format_citations(Answer("…[1]", Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),)))
    assert "制度概要" in md and "令和4年度" in md and "交付上限額" in md and "全体概要" not in md and "■" not in md
    assert "前文。<mark>事業費最大9,000万円／施設 (50人以上収容の場合)</mark>。後文&lt;b&gt;" in md


def test_the_quote_is_shown_with_its_surrounding_lines():
    text = "見出し\n\n前の行です\n上限は4,500万円\n次の行です\n遠い行"
    chunk = Chunk("c2", "doc.txt", "制度概要", "令和4年度", "節", text, 0, len(text))
    citation = Citation(1, "c2", "doc.txt", "制度概要", "令和4年度", "節", "4,500万円", 0.9)
    md = format_citations(Answer("[1]", Status.ANSWERED, (citation,), (Passage(chunk, 0.9, 1),)))
    assert "前の行です" in md and "上限は<mark>4,500万円</mark>" in md and "次の行です" in md
    assert "遠い行" not in md and "見出し" not in md


def test_extraction_debris_is_cleaned_in_what_is_shown_not_in_what_is_matched():
    text = "デジタル実装タイプ[°] 地方創生テレワーク型\n - 〔 ・ 課題解決型企业誘致"
    chunk = Chunk("c3", "doc.txt", "制度概要", "令和4年度", "デジタル実装タイプ[°] 地方創生 > 〔 ・ 企业誘致", text, 0, len(text))
    quote = "課題解決型企业誘致"  # verbatim: the quote is found in the passage as extracted
    citation = Citation(1, "c3", "doc.txt", "制度概要", "令和4年度", chunk.section, quote, 0.9)
    md = format_citations(Answer("[1]", Status.ANSWERED, (citation,), (Passage(chunk, 0.9, 1),)))
    assert "<mark>課題解決型企業誘致</mark>" in md  # found in place (matched on the raw text), shown cleaned
    assert "[°]" not in md and "企业" not in md and "〔" not in md
    assert clean_display("ル実装タイプ[°] 地方") == "ル実装タイプ 地方"
    assert section_label("a > 〔 ・ 企业誘致") == "企業誘致"
    assert citation.quote == quote


@given(st.text())
def test_the_users_text_is_shown_as_text_and_read_back_exactly(text):
    shown = md_text(text)
    assert "<" not in shown and ">" not in shown
    assert plain_text("user", shown) == text
    assert [t.content for t in chat_history([{"role": "user", "content": shown}])] == ([text] if text.strip() else [])


def test_an_html_payload_is_escaped_for_the_chat():
    shown = md_text("<img src=x onerror=alert(1)> **太字**")
    assert shown.startswith("&lt;img src\\=x") and "\\*\\*太字\\*\\*" in shown


def test_history_and_feedback_read_the_answer_without_its_panels_and_links():
    answer = Answer("国費は3,375万円です[1]", Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),))
    messages = [{"role": "user", "content": md_text("国費は？ <b>")},
                {"role": "assistant", "content": [{"type": "text", "text": format_answer(answer)}]}]
    assert [(t.role, t.content) for t in chat_history(messages)] == [
        ("user", "国費は？ <b>"), ("assistant", "国費は3,375万円です[1]")]
    assert liked_exchange(messages, 1) == ("国費は？ <b>", "国費は3,375万円です[1]")


def test_yen_amounts_carry_their_man_yen_reading():
    assert yen(33_750_000) == "33,750,000円（3,375万円）"
    assert yen(120_000_000) == "120,000,000円（1億2,000万円）"
    assert yen(750_000) == "750,000円（75万円）" and yen(500) == "500円"
    assert yen(12_345_000) == "12,345,000円（1,234.5万円）"


def test_calculation_panel_is_in_officer_language():
    calc = calculate("grant_amount", {"総事業費": "6,000万円", "収容可能人数": 30, "タイプ": "高水準"})
    shown = format_calculation(calc)
    assert "33,750,000円（3,375万円）" in shown and "60,000,000円（6,000万円）" in shown
    assert "交付上限額（20人以上50人未満の施設）" in shown and "補助率（高水準タイプ）" in shown
    assert "施設の規模区分" in shown and "20人・50人" in shown and "2/5" not in shown
    assert "上限額を適用" in shown and "はい" in shown
    assert "制度概要" in shown and "令和4年度第2次補正予算" in shown  # document title and year, not the file
    assert "採択事例" in shown and "規則としては書かれておらず" in shown  # the 千円 truncation comes from an example
    assert not INTERNAL.search(shown), INTERNAL.search(shown)


def test_every_calculator_panel_is_free_of_internal_names():
    samples = {
        "plan_total": {"施設1_収容可能人数": 30, "施設1_総事業費": "6000万円", "ソフト経費": "1500万円", "タイプ": "標準"},
        "project5_grant": {"総事業費": "4000万円", "タイプ": "高水準"},
        "relocation_support_national": {"社数": 3, "タイプ": "高水準"},
        "repayment": {"受給額": "100万円", "経過": "3年6か月"},
        "mynumber_bonus": {"12月末申請率": 65},
        "adoption_decision": {"申請タイプ": "高水準", "総合評価点数": 24, "加点": 2, "申請要件×": "いいえ"},
        "kpi_check": {"タイプ": "高水準", "県外企業数": 3, "県外利用者割合": 55, "移住者数": 2, "市町村人口": 25000},
        "b1_b2_check": {"交付対象事業費": "6000万円", "B1": "2000万円", "B2": "1000万円"},
        "trial_office_tax": {"対象経費": "1200万円", "財政力補正": 0.8},
        "local_burden_2021": {"事業費": "6000万円", "タイプ": "標準"},
    }
    for kind, inputs in samples.items():
        shown = format_calculation(calculate(kind, inputs))
        assert not INTERNAL.search(shown), (kind, INTERNAL.search(shown))
        assert not re.search(r"[a-z]+_[a-z0-9_]+", shown), (kind, re.search(r"[a-z]+_[a-z0-9_]+", shown))
    assert "60%・70%" in format_calculation(calculate("mynumber_bonus", {"12月末申請率": 65}))
    assert "53.9%" in format_calculation(calculate("mynumber_bonus", {"12月末申請率": 65}))


def test_list_valued_rules_are_lists_whatever_their_stored_form():
    bands = Rule("size_bands", (20, 50), "人", "20人未満\t20人以上50人未満\t50人以上", "doc.txt", "")
    assert rule_value(bands) == "20人・50人"
    assert rule_value(Rule("size_bands", Fraction(2, 5), "人", "q", "doc.txt", "")) == "20人・50人"
    assert rule_value(Rule("rate_standard", Fraction(1, 2), "", "q", "doc.txt", "")) == "1/2"


def test_steps_are_shown_with_their_rule_quote_and_document_when_a_calculator_gives_them():
    cap = Rule("cap_facility_20to49", 45_000_000, "円", "施設整備・運営\t3,000万円\t4,500万円\t9,000万円",
               "digiden_chiho_sosei_telework_overview.txt", "■ 交付上限額（総事業費ベース）")
    steps = (Step("cap", "施設1：min(6,000万円, 4,500万円) = 4,500万円", {"事業費": 60_000_000, "上限": 45_000_000},
                  45_000_000, cap),
             SimpleNamespace(label="", inputs={"国費": 33_750_000}, result=33_750_000, rule=None))
    calc = Calculation("plan_program", {"タイプ": "高水準"}, {"国費": 33_750_000}, "f", "国費は3,375万円です。", (cap,), steps)
    shown = format_calculation(calc)
    assert "計算の手順" in shown and "施設1：min(6,000万円, 4,500万円) = 4,500万円" in shown
    assert "根拠：「施設整備・運営　3,000万円　4,500万円　9,000万円」" in shown and "制度概要" in shown
    assert "国費 33,750,000円（3,375万円）" in shown
    assert not INTERNAL.search(shown)
    old = Calculation("grant_amount", {"総事業費": 120000000}, {"国費": 45000000}, "min(1億2,000万円, 9,000万円) × 1/2",
                      "国費は4,500万円です。")
    assert "計算式" in format_calculation(old) and "× 1/2" in format_calculation(old)


def test_welcome_message_names_the_documents_their_years_and_the_contact():
    documents = [{"title": "制度概要", "fiscal_year": "令和4年度"}, {"title": "施策集", "fiscal_year": "令和3年度"}]
    text = welcome_message(documents, "内閣府 Eメール：a.b@example.go.jp")
    assert "制度概要（令和4年度）" in text and "施策集（令和3年度）" in text
    assert "引用" in text and "a.b@example.go.jp" in plain_text("user", text)


def test_history_leaves_out_panels():
    messages = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"},
                {"role": "assistant", "content": "出典…", "metadata": {"title": "出典（1件）"}}]
    assert [(t.role, t.content) for t in chat_history(messages)] == [("user", "q"), ("assistant", "a")]


def test_history_reads_every_form_of_gradio_message_content():
    # Gradio 6 sends content as a list of parts; files carry no text and a bare part is a dict.
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "最初の質問"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "答え"}, {"type": "file", "file": {"path": "x"}}]},
        {"role": "user", "content": {"type": "text", "text": "次の質問"}},
        {"role": "user", "content": [{"type": "file", "file": {"path": "only-a-file"}}]},
    ]
    assert [(t.role, t.content) for t in chat_history(messages)] == [
        ("user", "最初の質問"), ("assistant", "答え"), ("user", "次の質問")]


def test_liked_exchange_is_plain_text_whatever_the_content_form():
    messages = [{"role": "user", "content": [{"type": "text", "text": "返還のルールは？"}]},
                {"role": "assistant", "content": [{"type": "text", "text": "半額です[1]"}]},
                {"role": "assistant", "content": "出典", "metadata": {"title": "出典（1件）"}}]
    assert liked_exchange(messages, 1) == ("返還のルールは？", "半額です[1]")
    assert liked_exchange(messages, 9) == ("", "")


def test_a_source_links_to_its_document_when_the_manifest_gives_a_url():
    answer = Answer("…[1]", Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),))
    md = format_citations(answer, links={"doc.txt": "https://www.example.go.jp/a.pdf"})
    assert 'href="https://www.example.go.jp/a.pdf"' in md and 'rel="noopener noreferrer"' in md
    assert "href" not in format_citations(answer, links={"doc.txt": "javascript:alert(1)"})
    assert "href" not in format_citations(answer)


def test_the_html_blocks_hold_no_blank_line_whatever_the_documents_contain():
    text = "前の段落\n\n上限は\n\n4,500万円\n\n次の段落"
    chunk = Chunk("c4", "doc.txt", "制度概要", "令和4年度", "節", text, 0, len(text))
    citation = Citation(1, "c4", "doc.txt", "制度概要", "令和4年度", "節", "上限は\n\n4,500万円", 0.9)
    rule = Rule("cap_project3", 12_000_000, "円", "上限\n\n1,200万円", "doc.txt", "節")
    calc = Calculation("x", {"a": 1}, {"国費": 1}, "一行目\n\n二行目", "要約\n\nです", (rule,))
    shown = format_answer(Answer("上限は4,500万円です[1]", Status.CALCULATED, (citation,), (Passage(chunk, 0.9, 1),), calc))
    blocks = shown.split("\n\n", 1)[1]
    assert "\n\n" not in blocks.replace('</details>\n\n<details', "")
    assert "<mark>上限は<br>4,500万円</mark>" in blocks
