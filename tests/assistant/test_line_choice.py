"""How the extractive answer chooses and orders its lines, on small passages written for these tests."""

from __future__ import annotations

import pytest

from assistant.answer import draft_answer
from assistant.types import MARKER_RE, Chunk, Passage


def passage(rank: int, text: str, section: str = "交付上限額") -> Passage:
    chunk = Chunk(f"c{rank}", "doc.txt", "制度概要", "令和4年度", section, text, 0, len(text))
    return Passage(chunk, 1.0 - rank / 100, rank)


def lines(text: str) -> list[str]:
    return [MARKER_RE.sub("", line) for line in text.split("\n")]


def test_the_key_fact_comes_first_even_from_a_lower_ranked_passage():
    passages = [
        passage(1, "研修施設の設置数の上限：1団体につき2施設"),
        passage(2, "研修施設の整備費の上限額：1施設当たり最大4,000万円"),
    ]
    draft = draft_answer("研修施設の整備費の上限額は1施設当たりいくらですか？", "", passages)
    assert draft is not None
    assert lines(draft.text)[0].endswith("最大4,000万円"), draft.text
    assert "2施設" not in draft.text  # asked for an amount: a line without one only dilutes it


def test_each_quoted_line_has_its_own_citation():
    text = "補助対象者：市町村\n\n\n補助率：１／２\n\n\n補助上限額：2,000万円"  # apart: not read as pairs
    draft = draft_answer("補助対象者と補助率と補助上限額を教えてください", "", [passage(1, text)])
    assert draft is not None and len(draft.citations) >= 2
    markers = [int(m) for m in MARKER_RE.findall(draft.text)]
    assert markers == sorted(set(markers)) == [c.marker for c in draft.citations]
    for line, citation in zip(draft.text.split("\n"), draft.citations, strict=True):
        assert citation.quote in text and line.endswith(f"{citation.quote}[{citation.marker}]")


def test_a_table_of_contents_row_is_not_the_answer():
    contents = passage(1, "テレワーク推進事業 総務省情報流通高度化推進室 104", section="目次")
    body = passage(2, "テレワーク推進事業の補助率：定額（10/10）", section="施策名：テレワーク推進事業")
    draft = draft_answer("テレワーク推進事業の補助率は？", "", [contents, body])
    assert draft is not None and "104" not in draft.text and "10/10" in draft.text
    # the office in charge is its contact line's, not the contents row that lists it with a page number
    contact = passage(3, "総務省情報流通高度化推進室 03-1234-5678", section="施策名：テレワーク推進事業")
    asked_where = draft_answer("テレワーク推進事業は、担当部署がどこになりますか？", "", [contents, body, contact])
    assert asked_where is not None and "03-1234-5678" in asked_where.text.split("\n")[0]


def test_a_line_giving_both_types_answers_a_question_about_one():
    text = (
        "1プロジェクト当たり3,000万円を交付対象事業費の上限として、地方公共団体を通じて助成を行う仕組みとする。\n"
        "（国費ベース）高水準タイプ：2,250万円、標準タイプ：1,500万円"
    )
    draft = draft_answer("高水準タイプで実施する場合、1プロジェクト当たりの国費の上限はいくらですか？", "", [passage(1, text)])
    assert draft is not None and "2,250万円" in draft.text


def test_yes_no_leads_come_from_the_line_about_what_was_asked():
    excluded = passage(1, "■ 対象外経費（以下の経費は対象外とする）\n- 地域おこし協力隊員の人件費など、財政上の支援をうけている経費")
    no = draft_answer("協力隊員の人件費を交付対象経費に入れられますか？", "", [excluded])
    assert no is not None and no.text.startswith("いいえ")

    covered = passage(1, "第三セクターのうち、出資金が10億円未満の法人は対象", section="支援対象者の要件")
    yes = draft_answer("出資金5億円の第三セクターは進出支援金の対象になりますか？", "", [covered])
    assert yes is not None and yes.text.startswith("はい")

    # 「…の対象となる」 about the programme says nothing about whether 官公庁 are covered: no 「はい」.
    general = passage(1, "以下のすべてを満たす場合に進出支援金の対象となる。", section="支援対象者の要件")
    unsure = draft_answer("官公庁は進出支援金の支援対象者になれますか？", "", [general])
    assert unsure is not None and not unsure.text.startswith(("はい", "いいえ"))


def test_a_table_row_means_what_its_column_header_says():
    table = (
        "経費区分\t対象\t経費上限\n"
        "B 1\t附帯施設・設備\t交付対象事業費の 5割未満\n"
        "B 2\t用地取得費・造成費、外構工事費\t交付対象事業費の2割以内"
    )
    draft = draft_answer("経費区分B2にはどのような経費が含まれ、上限はどのくらいですか？", "", [passage(1, table)])
    assert draft is not None
    first = lines(draft.text)[0]
    assert "用地取得費" in first and "2割以内" in first, draft.text
    assert "経費区分\t対象" not in draft.text  # the header row states no fact


def test_a_line_announcing_a_list_brings_its_items():
    text = (
        "KPIはアウトプットとアウトカムの両方から設定すること。\n"
        "- 以下3つの視点に留意すること。\n"
        "- ①「客観的な成果」を表す指標であること\n"
        "- ②事業との「直接性」のある効果を表す指標であること\n"
        "- ③「妥当な水準」の目標が定められていること\n"
        "- KPIは事業ごとに任意の複数年度で設定\n"
    )
    draft = draft_answer("KPIを設定するときに留意すべき視点は何ですか？", "", [passage(1, text)])
    assert draft is not None
    assert all(item in draft.text for item in ("①「客観的", "②事業との", "③「妥当"))
    assert "複数年度" not in draft.citations[0].quote  # three items announced, three given


def test_a_follow_up_with_its_own_question_does_not_inherit_the_kind_of_fact():
    amount = passage(1, "進出支援金 最大100万円／社", section="進出支援経費")
    repay = passage(2, "申請日から3年未満で施設の利用を終了した場合は、進出支援金の全額を返還", section="返還制度")
    asked = draft_answer("途中で撤退したら返還する必要はありますか？", "進出支援金は1社いくらまで出せますか？", [amount, repay])
    assert asked is not None and lines(asked.text)[0].endswith("全額を返還"), asked.text
    elliptical = draft_answer("標準タイプだと？", "進出支援金は1社いくらまで出せますか？", [amount, repay])
    assert elliptical is not None and "100万円" in lines(elliptical.text)[0]  # still asks for an amount


def test_a_what_is_question_is_answered_by_the_defining_line():
    text = (
        "- ③東京圏内の都県のうち②の域内に事業を限定して行う都県\n"
        "\n"
        "（※1）東京圏は、東京都、埼玉県、千葉県及び神奈川県\n"
    )
    draft = draft_answer("東京圏とはどの都県を指しますか？", "", [passage(1, text)])
    assert draft is not None and lines(draft.text)[0].endswith("千葉県及び神奈川県"), draft.text


def test_a_heading_says_対象外_only_for_the_list_under_it():
    text = (
        "■ 対象外経費（以下の経費については、原則として支援の対象外とする）\n"
        "- 職員旅費（トップセールスに伴う随行旅費は除く）\n"
        "- 地域おこし協力隊員の人件費など、財政上の支援をうけている経費\n"
        "\n"
        "持続性の観点から、推進体制に参画する企業等には応分の負担を求めること\n"
    )
    listed = draft_answer("地域おこし協力隊員の人件費を計上できますか？", "", [passage(1, text)])
    assert listed is not None and listed.text.startswith("いいえ")
    later = draft_answer("推進体制に参画する企業等に負担を求める必要がありますか？", "", [passage(1, text)])
    assert later is not None and not later.text.startswith("いいえ"), later.text


def test_a_note_under_a_titled_list_is_read_with_the_title_and_quoted_once():
    text = (
        "「お試しサテライトオフィス」に係る特別交付税措置\n"
        "\n"
        "対象経費：都市部の企業のお試し勤務の誘引に要する経費\n"
        "\n"
        "：お試し勤務環境の用意に要する経費\n"
        "\n"
        "※ 対象経費の上限額：１団体当たり1,000万円 ※ 措置率０．５×財政力補正\n"
    )
    draft = draft_answer("お試しサテライトオフィスの特別交付税措置の対象経費の上限額は？", "", [passage(1, text)])
    assert draft is not None and "1,000万円" in draft.text, draft.text
    quotes = [c.quote for c in draft.citations]
    assert not any(a in b for a in quotes for b in quotes if a is not b)  # no line quoted twice


def test_a_label_over_two_lines_of_value_is_one_answer():
    text = "施策の概要\n\n予算額\n\n令和３年度当初一般会計\n７1百万円\n\n問い合わせ先"
    draft = draft_answer("この事業の予算額はいくらですか？", "", [passage(1, text)])
    assert draft is not None and "予算額" in draft.text and "７1百万円" in draft.text, draft.text
    schedule = "1月13日（金）\n\n事前相談締切\n\n1月23日（月）\n\n実施計画提出受付開始"
    deadline = draft_answer("事前相談の締切はいつですか？", "", [passage(1, schedule)])
    assert deadline is not None and "1月13日" in deadline.text and "1月23日" not in deadline.text, deadline.text


def test_担当_pointing_back_does_not_make_a_contents_row_the_answer_to_an_address_question():
    contents = passage(1, "テレワーク推進事業 総務省情報流通高度化推進室 104\n\nデジタル活用事業", section="目次")
    page = passage(2, "総務省情報流通高度化推進室\n03-5252-5751 telework@ml.soumu.go.jp", section="施策名：テレワーク推進事業")
    draft = draft_answer("その担当のメールアドレスは？", "テレワーク推進事業は、担当部署がどこになりますか？", [contents, page])
    assert draft is not None and draft.citations[0].chunk_id == "c2" and "telework@ml.soumu.go.jp" in draft.text, draft.text
    assert "104" not in draft.text


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # a double negative: 「対象外とはしない」 covers it
        ("委託事業の人件費は対象になりますか？", "委託費の中に人件費相当が含まれていても、人件費であることをもって対象外とはしない。"),
        # the question's condition is the other side of the line's
        ("出資金が10億円以上の第三セクターは対象になりますか？", "第三セクターのうち、出資金が10億円未満の法人は対象"),
        # asked negatively: a 「はい」 or 「いいえ」 would be ambiguous
        ("第三セクターは対象外でしょうか？", "第三セクターのうち、出資金が10億円未満の法人は対象"),
    ],
)
def test_no_yes_no_lead_that_the_line_does_not_support(question, text):
    draft = draft_answer(question, "", [passage(1, text, section="■ 支援対象者")])
    assert draft is not None and not draft.text.startswith(("はい", "いいえ")), draft.text


def test_a_line_that_only_names_is_completed_by_the_value_below_it():
    text = "施策の概要\n\n交付実績\n\n第2回公募分\n香川県A町 静岡県B市\n\n問い合わせ先"
    draft = draft_answer("第2回公募分の交付実績はどこの自治体ですか？", "", [passage(1, text)])
    assert draft is not None and "B市" in draft.text, draft.text


def test_a_parenthesis_the_pdf_broke_across_lines_is_completed():
    text = "取組の概要\n\n既に毎年80人超（42%が\n\n30~40代）が移住\n\n別の話題"
    draft = draft_answer("毎年何人くらい移住していますか？", "", [passage(1, text)])
    assert draft is not None and "30~40代）が移住" in draft.text, draft.text


def test_a_short_answer_takes_the_line_that_completes_its_fact():
    # a period whose end stands on a line of its own: it matches fewer of the question's words than its start
    text = "研修施設の申請受付の開始：令和5年4月1日（月）\n\n\n締切：5月31日（金）正午まで"
    draft = draft_answer("研修施設の申請受付はいつから始まり、締切はいつですか？", "", [passage(1, text)])
    assert draft is not None
    assert lines(draft.text)[0].endswith("4月1日（月）") and "5月31日" in draft.text, draft.text
