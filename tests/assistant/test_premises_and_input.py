"""A false premise asked for confirmation is answered with a correction first; invisible characters inside
words do not change the question."""

from __future__ import annotations

from assistant.types import Status


def test_a_contradicted_premise_is_corrected_before_the_cited_lines(fake_assistant):
    answer = fake_assistant.ask("地方創生テレワーク型の補助率は10/10ですよね？")
    assert answer.status is Status.ANSWERED
    assert answer.text.startswith("いいえ") and "3/4" in answer.text.split("\n")[0]
    assert answer.citations  # the lines after the correction are quoted and cited


def test_a_premise_the_documents_state_gets_no_correction(fake_assistant):
    answer = fake_assistant.ask("高水準タイプの補助率は3/4ですよね？")
    assert not answer.text.startswith("いいえ")


def test_zero_width_characters_inside_words_are_ignored(fake_assistant):
    plain = fake_assistant.ask("進出支援金の返還制度は？")
    hidden = fake_assistant.ask("進出\u200b支援金の返\u2060還制度は？")
    assert hidden.status == plain.status and hidden.text == plain.text


def test_an_english_question_not_answered_is_told_the_service_answers_in_japanese(fake_assistant):
    answer = fake_assistant.ask("Please tell me about the weather in Kasumigaseki tomorrow")
    assert answer.refused and "in Japanese" in answer.text


def test_a_title_only_line_does_not_open_the_answer():
    from assistant.core import _key_fact_first
    from assistant.types import Citation

    cites = tuple(Citation(i, "c", "s", "t", "y", "sec", q, 1.0) for i, q in ((1, "＜資金の流れ＞"), (2, "補助率は3/4です")))
    text, cited = _key_fact_first("＜資金の流れ＞[1]\n補助率は3/4です[2]", cites)
    assert text == "補助率は3/4です[1]\n＜資金の流れ＞[2]"
    assert [(c.marker, c.quote) for c in cited] == [(1, "補助率は3/4です"), (2, "＜資金の流れ＞")]
    assert _key_fact_first("補助率は3/4です[1]", cites[1:]) == ("補助率は3/4です[1]", cites[1:])
