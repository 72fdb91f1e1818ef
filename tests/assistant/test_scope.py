"""The checks that decline questions the documents do not cover, on small texts written for these tests."""

from __future__ import annotations

import pytest

from assistant import answerability
from assistant.japanese import normalise_key
from assistant.scope import (
    absent_focus,
    amount_not_stated,
    asks_about_the_future,
    asks_for_participants,
    unknown_fiscal_years,
)
from assistant.types import Chunk, Passage

CORPUS = normalise_key(
    "地方創生拠点整備タイプの交付割合は1/2。令和4年度第2次補正予算 800億円。"
    "進出支援金 最大100万円/社。利用者に占める県外からの利用者の割合。提出締め切り 1月25日。"
).replace(" ", "")


def passage(text: str, section: str = "全体概要") -> Passage:
    return Passage(Chunk("c1", "doc.txt", "制度概要", "令和4年度", section, text, 0, len(text)), 1.0, 1)


def test_a_compound_the_documents_never_use_is_the_reason_to_decline():
    assert absent_focus("寄附した企業の税額控除率は何％になりますか？", CORPUS) == "税額控除率"
    assert absent_focus("進出した企業の従業員数を教えてください", CORPUS) == "従業員数"
    # only the asked-about compound declines: the officer's own municipality is context, not the question
    assert absent_focus("岩手県遠野市の交付割合は何％ですか？", CORPUS) is None
    # a word the documents write otherwise than its dictionary form (受付 / 受け付け) is still found
    assert absent_focus("提出の受付自体はいつからですか？", CORPUS + "実施計画の受付開始。") is None
    assert absent_focus("20にん以上50人みまんのしせつの上限っていくら？", CORPUS) is None
    # long chains of の are read in linear time (a nested quantifier once took minutes here)
    assert absent_focus("あの" * 40 + "は何？", CORPUS) is None
    assert absent_focus("事業" + "の担当課と" * 400 + "は何？", CORPUS) is None


def test_words_the_documents_use_or_single_words_are_not_declined():
    assert absent_focus("進出支援金の上限額はいくらですか？", CORPUS) is None  # words present
    assert absent_focus("県外からの利用者の比率は何％ですか？", CORPUS) is None  # a single word: a paraphrase
    assert absent_focus("提出締め切りは何月何日ですか？", CORPUS) is None


def test_future_plans_and_unknown_budget_years():
    assert asks_about_the_future("来年度の募集はいつ始まりますか？")
    assert not asks_about_the_future("募集はいつ始まりますか？")
    assert asks_about_the_future("次年度以降もこの交付金の公募は続きますか？")
    assert asks_about_the_future("次年度の予算はどうなりますか？")
    assert not asks_about_the_future("交付対象事業の終了後、次年度以降も実施計画を作る必要がありますか？")
    assert not asks_about_the_future("事業を来年度に繰り越すことはできますか？")
    assert unknown_fiscal_years("令和6年度予算の額は？", CORPUS) == ["令和6年度"]
    assert unknown_fiscal_years("令和4年度第2次補正予算の額は？", CORPUS) == []
    # a call-for-applications year must appear with 募集, in either calendar (令和5年度 = 2023年度)
    described = CORPUS + normalise_key("令和4年度第2次補正予算（2023年度募集）")
    assert unknown_fiscal_years("令和5年度の募集の締切は？", described) == []
    assert unknown_fiscal_years("令和6年度の募集はいつ始まりますか？", described) == ["令和6年度"]


def test_an_amount_must_be_stated_near_the_programme_asked_about():
    far = passage("地方創生拠点整備タイプの交付割合は1/2。" + "説明。" * 100 + "進出支援金 最大100万円/社")
    assert amount_not_stated("地方創生拠点整備タイプの上限額はいくらですか？", [far]) == ["地方創生拠点整備タイプ"]
    near = passage("地方創生拠点整備タイプ：1団体当たり最大5億円")
    assert amount_not_stated("地方創生拠点整備タイプの上限額はいくらですか？", [near]) == []
    about = passage("進出支援金 最大100万円/社", section="地方創生拠点整備タイプ > 交付上限額")
    assert amount_not_stated("地方創生拠点整備タイプの上限額はいくらですか？", [about]) == []


def test_an_amount_stated_under_another_name_of_the_programme_counts():
    full = passage("デジタル田園都市国家構想交付金 令和4年度2次補正予算額 800億円")
    assert amount_not_stated("デジ田交付金の予算額はいくらですか？", [full]) == []
    assert amount_not_stated("ものづくり補助金の予算額はいくらですか？", [full]) == ["ものづくり補助金"]


def test_a_budget_asked_for_a_year_must_be_stated_for_that_year():
    budget = passage("施策名：研修推進事業\n予算額\n令和３年度当初一般会計\n258百万円")
    assert amount_not_stated("研修推進事業の令和3年度の予算はいくらですか？", [budget]) == []
    assert amount_not_stated("研修推進事業の2021年度の予算はいくらですか？", [budget]) == []  # the same year
    assert amount_not_stated("研修推進事業の令和4年度の予算はいくらですか？", [budget]) == ["研修推進事業（令和4年度）"]
    assert amount_not_stated("研修推進事業の予算はいくらですか？", [budget]) == []  # no year asked


def test_lists_of_participants_are_not_in_the_documents():
    assert asks_for_participants("採択された団体の一覧を教えてください")
    assert asks_for_participants("佐渡市の施設に進出した企業の社名は？")
    assert not asks_for_participants("採択された団体の取組事例を教えてください")
    assert not asks_for_participants("HUB GUJOに進出した企業は何社ですか？")


def test_a_kind_of_funding_is_not_taken_for_an_unknown_programme(fake_assistant):
    # the scope rule, not the learned refusal decision (near its threshold on this question; its cost in right
    # answers is measured by its CV)
    answerability.set_override(None, disabled=True)
    try:
        answer = fake_assistant.ask("サテライトオフィスの整備に他の国庫補助金を併用できますか？")
    finally:
        answerability.set_override(None)
    assert answer.status.value == "answered" and "国の補助金等" in answer.text, answer.text


def test_a_programmes_short_name_is_found_by_any_of_its_names():
    from assistant.japanese import normalise_key, programme_aliases

    names = programme_aliases("テレワーク交付金")
    assert normalise_key("地方創生テレワーク型") in names and normalise_key("テレワーク交付金") in names
    assert programme_aliases("どこにもない事業") == (normalise_key("どこにもない事業"),)


def test_a_clause_before_a_programme_name_is_not_part_of_the_name():
    from assistant.answer import programme_names

    assert programme_names("出張費ってこの補助金の対象？") == []
    assert programme_names("当町はまだテレワーク交付金に応募したことがない") == ["テレワーク交付金"]
    assert programme_names("ものづくり補助金の上限は？") == ["ものづくり補助金"]
    # a description asked with an interrogative is no programme's name
    assert programme_names("あれはどういう性格の交付金なのか説明したい") == []


def test_the_ministry_in_charge_said_before_a_measure_is_not_part_of_its_name():
    """The catalogue names a measure without its ministry; 「X省Y事業」 must still find 「Y事業」 described."""
    from assistant.answer import programme_names

    assert programme_names("総務省地域研修推進事業の目的は？") == ["地域研修推進事業"]
    assert programme_names("内閣府の地域研修交付金の上限は？") == ["地域研修交付金"]
    assert programme_names("デジタル庁ガバメント推進事業とは") == ["ガバメント推進事業"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("サテオフの整備", "サテライトオフィスの整備"),
        ("お試しSOの上限", "お試しサテライトオフィスの上限"),
        ("特交の措置率", "特別交付税の措置率"),
        ("マイナカードの申請率", "マイナンバーカードの申請率"),
        ("三セクの出資金", "第三セクターの出資金"),
        ("シェアエコの事例集", "シェアリングエコノミーの事例集"),
        ("国費MAXいくら", "国費最大いくら"),
        # already written out, or a longer Latin word: unchanged
        ("マイナンバーカード", "マイナンバーカード"),
        ("シェアエコノミー", "シェアエコノミー"),
        ("SOHO向け", "SOHO向け"),
    ],
)
def test_officers_short_forms_are_read_as_the_documents_write_them(written, read):
    from assistant.japanese import expand_abbreviations

    assert expand_abbreviations(written) == read


def test_every_abbreviation_expands_to_words_the_documents_use():
    """A short form's expansion is only worth having if the corpus says it that way."""
    import tomllib
    from pathlib import Path

    from assistant.japanese import normalise_key

    root = Path(__file__).parents[2]
    corpus = normalise_key("".join(p.read_text(encoding="utf-8") for p in (root / "corpus").glob("*.txt")))
    data = tomllib.loads((root / "assistant" / "data" / "synonyms.toml").read_text(encoding="utf-8"))
    for _short, long, *_ in data["abbreviations"]:
        assert normalise_key(long) in corpus, long


def test_a_known_name_after_a_word_in_kana_is_the_name_asked_about():
    """「それと」 or a conditional before a programme the documents describe is not part of its name."""
    from assistant.answer import programme_names

    assert programme_names("それとデジ田交付金そのものの目的は？") == ["デジ田交付金"]
    assert programme_names("点数が良ければ標準タイプになりますか") == []  # a type, not a programme
    assert programme_names("ものづくり補助金の上限は？") == ["ものづくり補助金"]


def test_an_elements_name_after_an_adverb_is_that_name_not_a_programme_unheard_of():
    from assistant.answer import programme_names

    assert programme_names("A社も同じく進出支援金を受けられますか？") == ["進出支援金"]
    assert programme_names("ものづくり補助金は使えますか？") == ["ものづくり補助金"]


def test_which_members_or_contractors_took_part_is_a_list_the_documents_do_not_give():
    # asked with the party before the verb, or with 「どこ」 after it: the names of those who joined or took part
    assert asks_for_participants("研究会へはどこの市町村が加入しているか教えて")
    assert asks_for_participants("この実証を受託した事業者や参加した自治体はどこですか")
    assert asks_for_participants("協議会に加入している団体の名前を教えて")
    assert not asks_for_participants("協議会にはどんな活動がありますか")
    assert not asks_for_participants("協議会に加入している団体は何団体ですか")


def test_a_verbs_plain_form_closing_a_clause_before_a_programme_word_is_not_part_of_a_name():
    from assistant.answer import programme_names

    # 「…整備できるタイプ」「…使える補助金」 describe a kind of programme; they name none
    assert programme_names("橋と港を一体で造れるタイプもあるそうです") == []
    assert programme_names("ほかに使える補助金はありますか") == []
    assert programme_names("まちなか再生補助金の上限は？") == ["まちなか再生補助金"]


def test_a_measure_the_asker_proposes_to_set_up_is_no_programme_to_look_up():
    from assistant.answer import proposed_by_asker

    # 「…支援金を出したい」「…補助金を町で創設する」「…推進事業をやる予定」: the asker's own measure, asked whether the
    # grant can fund it, which the documents need not describe
    assert proposed_by_asker("転入した方へ転居応援金を出す計画です", "転居応援金")
    assert proposed_by_asker("独自の起業支援金を町で創設する予定です", "起業支援金")
    assert proposed_by_asker("⑤で温泉を生かした湯けむり推進事業をやる予定です", "湯けむり推進事業")
    assert not proposed_by_asker("県の起業支援金は使えますか", "起業支援金")


def test_a_year_is_read_in_the_sense_said_beside_it_and_in_the_tables_short_form():
    described = CORPUS + normalise_key("令和4年度第2次補正予算（2023年度募集）。デジ田推進交付金（R3補正）採択団体")
    # a past year's adoption told before an ask about this year's call: the year is a 補正's, written R3 in the tables
    assert unknown_fiscal_years("令和3年度補正で採択を受けた村ですが、この募集にも申し込めますか？", described) == []
    assert unknown_fiscal_years("令和2年度補正で採択を受けた村ですが、この募集にも申し込めますか？", described) == ["令和2年度"]
    # that year's own call is still asked of the documents, which describe none
    assert unknown_fiscal_years("令和3年度補正の募集では締切はいつでしたか？", described) == ["令和3年度"]
