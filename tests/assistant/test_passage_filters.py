"""Passages of the document a question names, and of the part of the 制度概要 it asks about: a line of the other
document or the other part states another rule (⑤'s grades are not ①～④'s), so it is not what the question asks."""

from __future__ import annotations

from assistant.core import _of_document_and_part_asked
from assistant.question import parse
from assistant.types import Chunk, Passage

CATALOGUE = "telework_measures_catalogue_2021.txt"
OVERVIEW = "digiden_chiho_sosei_telework_overview.txt"


def _passage(source: str, section: str, rank: int) -> Passage:
    chunk = Chunk(f"c{rank}", source, "t", "y", section, "本文", 0, 2)
    return Passage(chunk, 1.0 / rank, rank)


PASSAGES = [
    _passage(OVERVIEW, "地方創生テレワーク型 (①サテライトオフィス等整備事業、②…、④進出支援事業) > 3. 総合評価", 1),
    _passage(OVERVIEW, "地方創生テレワーク型 (⑤進出企業定着・地域活性化支援事業) > 2. 評価項目", 2),
    _passage(CATALOGUE, "施策名：地方創生テレワーク交付金", 3),
    _passage(OVERVIEW, "スケジュール", 4),
]


def _kept(question: str) -> list[str]:
    return [p.chunk_id for p in _of_document_and_part_asked(parse(question), PASSAGES)]


def test_a_question_about_the_fifth_element_leaves_out_sections_of_the_other_elements():
    assert _kept("⑤の審査でB評価の下限は何点？") == ["c2", "c3", "c4"]


def test_a_question_naming_both_parts_or_neither_keeps_every_passage():
    assert _kept("①～④と⑤で総合評価の点数の基準はどう違いますか？") == ["c1", "c2", "c3", "c4"]
    assert _kept("総合評価の基準を教えてください。") == ["c1", "c2", "c3", "c4"]


def test_a_question_naming_one_document_keeps_that_documents_passages():
    assert _kept("施策集ではテレワーク交付金の効果は何と書かれていますか？") == ["c3"]
    assert _kept("制度概要に載っている日程は？") == ["c1", "c2", "c4"]


def test_a_section_belongs_to_the_part_its_top_heading_names():
    from assistant.programme_parts import FACILITIES, FIFTH, section_part

    assert section_part("地方創生テレワーク型 (⑤進出企業定着・地域活性化支援事業) > ① 進出企業") == FIFTH
    assert section_part("地方創生テレワーク型 (①サテライトオフィス等整備事業、④進出支援事業) > 交付上限額") == FACILITIES
    assert section_part("地方創生テレワーク型 全体概要") is None


def test_the_payment_of_the_fourth_element_named_alone_is_asked_about_the_first_four():
    from assistant.programme_parts import FACILITIES, FIFTH, asked_part

    assert asked_part("隣接市に本社がある法人へ進出支援金は払える？") == FACILITIES
    assert asked_part("⑤の進出企業は進出支援金を受けた会社でなければいけませんか？") == FIFTH


def test_a_can_it_be_done_question_gets_its_verdict_in_its_own_verb():
    from assistant.core import _echoed_ability

    assert _echoed_ability("KPIの目標に届いていない町は申請できるでしょうか？", "いいえ") == "、申請できません"
    assert _echoed_ability("この経費は計上できますか？", "はい") == "、計上できます"
    assert _echoed_ability("この経費は対象外ですよね？", "はい") == ""


def test_a_question_naming_the_catalogue_and_the_programme_only_the_overview_describes_keeps_both():
    assert _kept("施策集にあった交付金と今のテレワーク型とで、窓口は別ですか？") == ["c1", "c2", "c3", "c4"]


def test_a_verdict_is_said_back_in_any_verb_the_question_asks_with():
    from assistant.core import _echoed_ability

    assert _echoed_ability("この団体は連携先として扱えますか？", "いいえ") == "、扱えません"
    assert _echoed_ability("観光協会も推進体制に入れられますか？", "はい") == "、推進体制に入れられます"  # with its noun
    assert _echoed_ability("補助金はもらえますか？", "いいえ") == "、もらえません"  # も of もらえ is no particle
    assert _echoed_ability("⑤だけの申請って可能でしょうか？", "いいえ") == "、できません"
    assert _echoed_ability("補助率は1/2ですか？", "いいえ") == ""  # no verb: nothing to say back
    # 「…て」 of a verb is no particle: the verb is said back whole, never its last kana
    assert _echoed_ability("その読み方で合っていますか？", "いいえ") == "、合っていません"
