"""Yes/no verdicts from the rule a line states about the asker's case (synthetic lines, not question-set text)."""

from __future__ import annotations

import pytest

from assistant.verdict import decide

EXCLUSION = "補助対象者：市町村（政令市及び中核市を除く）"
EXCEPTION = "支援対象者の要件：官公庁等（第三セクターのうち、出資金が10億円未満の法人を除く。）ではないこと。"
REQUIREMENT = "連携先は、県内に事業所がある、法人格を有する組織であること"
OUTSIDE = "区域内の施設を利用する区域外の企業・団体に支給する。"
PLACE = "連携先は施設の所在都道府県内に事業所がある組織であること"


@pytest.mark.parametrize(
    ("question", "lines", "word"),
    [
        ("中核市のうちの市でも補助を受けられますか？", [EXCLUSION], "いいえ"),
        ("出資金3億円の第三セクターは対象になりますか？", [EXCEPTION], "はい"),
        ("出資金20億円の第三セクターは対象になりますか？", [EXCEPTION], "いいえ"),
        ("法人格のない任意団体を連携先にできますか？", [REQUIREMENT], "いいえ"),
        ("町内に本社がある企業にも支給できますか？", [OUTSIDE], "いいえ"),
        ("隣の県にある大学を連携先にできますか？", [PLACE], "いいえ"),
    ],
)
def test_the_case_is_compared_with_the_rule(question, lines, word):
    found = decide(question, lines)
    assert found is not None and found.word == word and found.line in lines


@pytest.mark.parametrize(
    ("question", "lines"),
    [
        ("補助対象者はどこですか", [EXCLUSION]),  # not a yes/no question
        ("一般の市は対象になりますか？", [EXCLUSION]),  # the case is not in the list
        ("法人格のある株式会社を連携先にできますか？", [REQUIREMENT]),  # meets the requirement
        ("町外に本社がある企業にも支給できますか？", [OUTSIDE]),
    ],
)
def test_no_verdict_without_a_rule_about_the_case(question, lines):
    assert decide(question, lines) is None


def test_the_verdict_leads_the_answer_and_its_line_is_cited(fake_assistant):
    answer = fake_assistant.ask("中核市である当市が、デジタル活用環境構築推進事業の補助を受けることはできますか？")
    assert answer.text.startswith("いいえ")
    assert any("中核市" in c.quote and "除く" in c.quote for c in answer.citations)


def test_a_term_inside_a_longer_word_is_not_the_case():
    lines = ["補助対象者：地方公共団体（都道府県並びに特別区、指定都市及び中核市を除く）"]
    assert decide("都道府県外の企業は対象になりますか？", lines) is None
    found = decide("都道府県は対象になりますか？", lines)
    assert found is not None and found.word == "いいえ"


def test_a_spoken_yes_no_question_gets_a_verdict_from_an_exclusion_list():
    from assistant.verdict import decide

    lines = ["補助対象：市町村（指定都市及び特別区を除く。）"]
    found = decide("当市は指定都市ですが、この補助は使えます？", lines)
    assert found is not None and found.word == "いいえ"
