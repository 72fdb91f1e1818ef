"""The presentation functions of ui.py, without a browser."""

from __future__ import annotations

from fractions import Fraction

from assistant.types import Answer, Calculation, Chunk, Citation, Passage, Rule, Status
from ui import chat_history, format_answer, format_calculation, format_citations, liked_exchange

CHUNK = Chunk("c1", "doc.txt", "制度概要", "令和4年度", "■ 交付上限額", "前文。事業費最大9,000万円／施設 (50人以上収容の場合)。後文<b>", 0, 40)
CITATION = Citation(1, "c1", "doc.txt", "制度概要", "令和4年度", "■ 交付上限額", "事業費最大9,000万円／施設 (50人以上収容の場合)", 0.9)


def test_format_answer_keeps_markers_escapes_html_and_labels_status():
    text = format_answer(Answer("上限は<b>9,000万円</b>です[1]", Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),)))
    assert "[1]" in text and "&lt;b&gt;" in text and "<b>" not in text
    assert "資料に記載なし" in format_answer(Answer("記載がありません", Status.UNANSWERABLE))


def test_citations_show_title_year_section_and_highlighted_quote_in_place():
    md = format_citations(Answer("…[1]", Status.ANSWERED, (CITATION,), (Passage(CHUNK, 0.9, 1),)))
    assert "制度概要" in md and "令和4年度" in md and "■ 交付上限額" in md
    assert "前文。<mark>事業費最大9,000万円／施設 (50人以上収容の場合)</mark>。後文&lt;b&gt;" in md


def test_calculation_panel_lists_inputs_formula_result_and_rules():
    calc = Calculation("grant_amount", {"総事業費": 120000000}, {"国費": 45000000}, "min(1億2,000万円, 9,000万円) × 1/2",
                       "国費は4,500万円です。", (Rule("rate_standard", Fraction(1, 2), "", "補助率 1/2 (標準タイプ)", "doc.txt", "特徴"),))
    md = format_calculation(calc)
    for part in ("国費は4,500万円です。", "総事業費", "45000000", "× 1/2", "1/2", "補助率 1/2 (標準タイプ)"):
        assert part in md


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
