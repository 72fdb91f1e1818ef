"""Yes/no verdicts from the rule a line states about the asker's case (synthetic lines, not question-set text)."""

from __future__ import annotations

import pytest

from assistant.verdict import Verdict, decide, duty, is_yes_no, listed, oriented

EXCLUSION = "補助対象者：市町村（政令市及び中核市を除く）"
EXCEPTION = "支援対象者の要件：官公庁等（第三セクターのうち、出資金が10億円未満の法人を除く。）ではないこと。"
REQUIREMENT = "連携先は、県内に事業所がある、法人格を有する組織であること"
OUTSIDE = "区域内の施設を利用する区域外の企業・団体に支給する。"
PLACE = "連携先は施設の所在都道府県内に事業所がある組織であること"
OUTSIDE_PREF = "（※）施設と法人契約を締結した所在都道府県外の企業"
ROUTE = "補助対象者：市町村（政令市及び中核市を除く）又は、市町村（同左）を１以上含む協議会"
EITHER = "利用者の要件：公営企業等（公社のうち、資本金が5億円未満の法人又は市町村から委託を受けている法人を除く。）ではないこと。"


@pytest.mark.parametrize(
    ("question", "lines", "word"),
    [
        ("中核市のうちの市でも補助を受けられますか？", [EXCLUSION], "いいえ"),
        ("出資金3億円の第三セクターは対象になりますか？", [EXCEPTION], "はい"),
        ("出資金20億円の第三セクターは対象になりますか？", [EXCEPTION], "いいえ"),
        ("法人格のない任意団体を連携先にできますか？", [REQUIREMENT], "いいえ"),
        ("町内に本社がある企業にも支給できますか？", [OUTSIDE], "いいえ"),
        ("隣の県にある大学を連携先にできますか？", [PLACE], "いいえ"),
        ("同じ県内の別の市に本社がある会社は、進出した企業として扱えますか？", [OUTSIDE_PREF], "いいえ"),
        # an exception of two alternatives is met by either: the amount, or what the other one states
        ("資本金8億円の公社ですが、市から委託を受けています。利用できますか？", [EITHER], "はい"),
        ("資本金3億円の公社は利用できますか？", [EITHER], "はい"),
        ("資本金8億円の公社は利用できますか？", [EITHER], "いいえ"),
        # an alternative the case names only to deny it is not met; a limit is met only strictly (未満)
        ("資本金8億円の公社で、市から委託は受けていません。利用できますか？", [EITHER], "いいえ"),
        ("資本金ちょうど5億円の公社は利用できますか？", [EITHER], "いいえ"),
        # an exclusion followed by another route (「…を除く）又は、…を含む協議会」) that the case takes
        ("政令市ですが、近くの村と協議会を作って申請できますか？", [ROUTE], "はい"),
        ("政令市ですが、単独で申請できますか？", [ROUTE], "いいえ"),
        # a place requirement the case meets with an office inside, whatever it has elsewhere
        ("本部は他県ですが、県内にも研究所の事業所があります。連携先にできますか？", [PLACE], "はい"),
        ("学校法人の本部は他県ですが、町内にキャンパスがあります。地元側の団体にできますか？", [PLACE], "はい"),
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


EXCLUDED = "… > ■ 対象外経費（以下の経費については、原則として支援の対象外とする）"


@pytest.mark.parametrize(("item", "exception"), [("職員旅費", "首長の出張に伴う随行旅費"), ("会議費", "新たなサイドイベントの費用")])
def test_an_exception_inside_an_exclusion_list_is_covered_and_the_item_itself_is_not(item, exception):
    line = f"- {item}（{exception}は除く）"
    head = exception.split("の")[-1] if "の" in exception else exception
    covered = decide(f"{exception.split('に伴う')[0]}に伴う{head}は対象になりますか？", [(line, EXCLUDED)])
    assert covered is not None and covered.word == "はい" and covered.line == line
    excluded = decide(f"通常の{item}は対象になりますか？", [(line, EXCLUDED)])
    assert excluded is not None and excluded.word == "いいえ"
    # the same line outside a list of exclusions settles nothing by this rule
    assert decide(f"通常の{item}は対象になりますか？", [(line, "… > ■ 交付対象経費")]) is None


def test_a_qualified_exclusion_does_not_name_an_unqualified_case():
    line = "事業に必要な人件費や旅費（地方公共団体の職員の人件費や旅費を除く。）"
    assert decide("委託先の民間スタッフの人件費は対象になりますか？", [line]) is None
    found = decide("地方公共団体の職員の人件費は対象になりますか？", [line])
    assert found is not None and found.word == "いいえ"


def test_a_rule_that_something_is_not_excluded_answers_yes_when_its_subject_is_asked():
    line = "※ 委託事業において、委託費の中に人件費相当が含まれていても、人件費であることをもって対象外とはしない。"
    found = decide("委託費の中身がほとんど人件費ですが、対象になりますか？", [line])
    assert found is not None and found.word == "はい" and found.line == line
    assert decide("備品の購入費は対象になりますか？", [line]) is None


@pytest.mark.parametrize("ending", ["対象になりますかね？", "対象になると考えてよいですか。", "対象ですよね？"])
def test_other_names_and_spoken_endings_still_get_the_verdict(ending):
    line = "（参考）条件不利地域を含む市町村（政令指定都市を除く。）"
    found = decide(f"当市は政令市ですが、{ending}", [line])
    assert found is not None and found.word == "いいえ"


def test_a_stated_figure_the_lines_state_otherwise_is_corrected():
    from assistant.verdict import premise_differs

    lines = ["附帯施設の経費は交付対象事業費の5割未満、外構工事費等は2割以内とする"]
    wrong = premise_differs("附帯施設は4割までと聞きましたが、合っていますか？", lines)
    assert wrong is not None and wrong.word == "いいえ" and "4割" in wrong.reason
    assert premise_differs("附帯施設は5割未満ですよね？", lines) is None  # the lines say the same figure
    assert premise_differs("附帯施設は60%までですよね？", lines) is None  # a kind of figure the lines do not state
    assert premise_differs("附帯施設は4割までにします。上限はいくらですか？", lines) is None  # not a confirmation


@pytest.mark.parametrize("case", ["町内の会社", "同じ市の企業", "市内に本社がある事業者"])
def test_a_company_of_the_same_municipality_is_not_from_outside_it(case):
    line = "①②③事業の対象となるサテライトオフィス等を利用する区域外の企業進出を支援する"
    found = decide(f"{case}が新しい施設に入居します。進出支援金を出せますかね？", [line])
    assert found is not None and found.word == "いいえ"


COVERED = ("対象経費の例", "広報経費 研修会経費 ドローン撮影料（委託等） その他 等")
NOT_COVERED = ("■ 対象外経費（以下の経費は対象外とする）", "- 貸付金、積立預金、特定の団体への寄附金")


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("ドローン撮影を委託したいのですが、その委託料も対象になりますか？", "はい"),
        ("余った分を積立預金に回すことはできますか？", "いいえ"),
        # only programme words in common: nothing names the case
        ("サテライトオフィスの事業で交付金の対象経費は使えますか？", None),
        # not a yes/no question
        ("ドローン撮影の委託料はどう扱いますか？", None),
    ],
)
def test_a_listed_item_is_covered_or_not_by_the_list_that_names_it(question, word):
    found = listed(question, [(COVERED[1], COVERED[0]), (NOT_COVERED[1], NOT_COVERED[0])])
    assert (found.word if found else None) == word


def test_the_bullet_items_of_an_elements_own_section_are_what_it_supports():
    section = "植栽事業 > ② 緑化推進事業 (市民花壇の整備等)"
    lines = [("- ・ 花壇の新設・植え替え・土壌改良その他の整備", section), ("花壇の新設・植え替えは市が計画する。", section)]
    found = listed("空き地に花壇を一から新設したいのですが、新設でも対象になりますか？", lines)
    assert found is not None and found.word == "はい" and found.line == lines[0][0]
    # a line of the section that is no bullet item states no coverage
    assert listed("空き地に花壇を一から新設したいのですが、新設でも対象になりますか？", lines[1:]) is None


def test_a_limit_set_under_the_exclusions_heading_is_no_exclusion():
    # the extracted text can leave a rule that caps a cost (「…は同2割以内とする」) under the 対象外 heading above it
    heading = "■ 対象外経費（以下の経費は対象外とする）"
    line = "- 駐輪場の整備費は、施設の事業費の2割以内とする"
    found = listed("駐輪場の整備費も見てもらえるのでしょうか？", [(line, heading)])
    assert found is None or found.word != "いいえ"
    # an item of the list itself stays excluded
    found = listed("駐輪場の整備費も見てもらえるのでしょうか？", [("- 駐輪場の整備費", heading)])
    assert found is not None and found.word == "いいえ"


def test_an_item_covered_within_a_limit_is_a_conditional_yes():
    heading = "対象経費の例"
    limited = ("- 駐輪場の整備費（施設の事業費の2割以内）", heading)
    found = listed("駐輪場の整備費も見てもらえるのでしょうか？", [limited])
    assert found is not None and found.word == "はい" and found.reason.startswith("条件付き")
    found = listed("駐輪場の整備費も見てもらえるのでしょうか？", [("- 駐輪場の整備費", heading)])
    assert found is not None and found.word == "はい" and not found.reason.startswith("条件付き")


def test_a_specific_listing_outweighs_a_category_of_exclusions_it_ties_with():
    covered = ("<取組例>", "- 研修受講者の交通費の補助")
    excluded = ("■ 対象外経費", "- 特定団体への寄附及びそれに類するもの")
    question = "研修受講者の交通費を補助したいのですが、特定団体への寄附にあたるので使えませんよね？"
    found = listed(question, [(excluded[1], excluded[0]), (covered[1], covered[0])])
    assert found is not None and found.word == "はい" and found.line == covered[1]


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("この経費は対象外ですよね？", "いいえ"),  # presumed not covered, found covered
        ("この経費はやっぱり無理でしょうか。", "いいえ"),
        ("この経費は使えますか？", "はい"),
        # the presumption before a contrast is the asker's story; the part that asks is neutral
        ("人件費は対象外と読みましたが、この経費には使えますか？", "はい"),
        # a confirmation pointing back at the clause before it confirms that clause
        ("この会社には支援金は出せないと理解していますが、この理解は正しい？", "いいえ"),
        ("この会社には支援金は出せないと考えていますけど、それで正しいでしょうか？", "いいえ"),
    ],
)
def test_a_coverage_verdict_answers_the_question_as_put(question, word):
    found = oriented(Verdict("はい", "対象となり得ます", "line"), question)
    assert found.word == word
    # a verdict against the asker's presumption says so before the rule, so that 「いいえ」 and the rule do not clash
    assert found.reason.startswith("ご認識とは異なり") == (word == "いいえ")


def test_a_key_line_that_permits_what_the_case_names_gives_yes():
    from assistant.verdict import permitted

    line = "町が行う広報に加え、運営者が行うPR事業への補助も可能。"
    found = permitted("運営者が自分でPRイベントをやる費用に補助を出しても、対象として見てもらえますか？前例がなくて。", line)
    assert found is not None and found.word == "はい" and found.line == line
    # nothing of the case in the line, a line that excludes, or a question that asks what: no verdict
    assert permitted("植栽の費用に補助を出しても、対象として見てもらえますか？", line) is None
    assert permitted("PRイベントの費用は対象ですか？", "PR事業は対象外とする。") is None
    assert permitted("どんなPR事業が対象ですか？", line) is None


def test_the_key_line_corrects_a_figure_the_asker_states_even_when_another_line_has_it():
    from assistant.verdict import premise_differs

    key = "植栽事業の上限は1,200万円（1団体につき）。"
    other = "街路事業の上限は5,000万円。"
    found = premise_differs("植栽事業の上限は5,000万でしたよね？", [key, other])
    assert found is not None and found.word == "いいえ" and found.line == key and "1200万円" in found.reason
    assert premise_differs("植栽事業の上限は1,200万でしたよね？", [key, other]) is None


def _assert_verdict_quoting_its_rule(found, word):
    """The verdict's word (None: no verdict), and the rule it rests on quoted verbatim from the corpus."""
    assert (found.word if found else None) == word
    if found:
        from tests.conftest import CORPUS

        corpus = "".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt"))
        assert found.line in corpus


@pytest.mark.parametrize(("question", "word"), [
    ("担当職員が一人で行く東京出張の旅費も事業費に入れていいですか？", "いいえ"),
    ("転入した個人に祝い金を配る費用は対象になりますか？", "いいえ"),
    ("毎年開いている町のフェスの開催費を対象経費に計上できますか？", "いいえ"),
    ("例年やっている町民まつりの開催費を対象経費に計上できますか？", "いいえ"),  # まつり written in kana
    # ⑤ leaves the facility's own promotion to ①～③ (a product's promotion is ⑤'s own)
    ("⑤の経費にコワーキング施設のPR映像の制作費を入れるのはアリですか？", "いいえ"),
    ("①の経費にコワーキング施設のPR映像の制作費を入れるのはアリですか？", None),
    ("職員の時間外勤務手当は対象になりますか？", "いいえ"),
    ("毎年開いている町のフェスの開催費を交付金で出すのはいけますか？", "いいえ"),  # 「いけますか」: is it allowed
    # travel named by its parts, a payment to a person named by what it pays for, a permission asked as 大丈夫
    ("係長と主事が商談会に出る交通費と宿泊費も交付金で大丈夫ですよね？", "いいえ"),
    ("転入された方個人に家賃の補助を月2万円出す事業は、ソフト経費で問題ないでしょうか？", "いいえ"),
    # the exceptions the rules state are no 対象外経費
    ("知事のトップセールスに同行する職員の旅費は計上できますか？", None),
    ("恒例の祭りと一緒に新たに開くサイドイベントの費用は対象になりますか？", None),
    # both sides of a rule asked about at once: the excluded one and its exception
    ("毎年春に開いている移住フェアの経費と、今年新しく追加する企業向け体験会の経費、どちらも対象になりますか？", "条件付き"),
    ("首長のトップセールスに同行する職員の旅費、職員単独の出張旅費、それぞれ計上できますか？", "条件付き"),
    # not asked whether covered
    ("職員旅費の上限はいくらですか？", None),
    # one cost funded by another national subsidy and by this grant too; a facility once built with one is not that
    ("外壁工事に国交省の補助が入ることが決まっています。同じ工事費を交付対象事業費にも重ねて計上できますか？", "いいえ"),
    ("昔、国の補助を受けて建てた施設を、③の活用促進で使えますか？", None),
    # the お試し measure's own exclusion of hard works applies to that measure only
    ("お試し勤務の受入れで特別交付税を使うとき、空き店舗の内装工事費も対象になりますか？", "いいえ"),
    ("①の施設整備で、空き店舗の内装工事費も対象になりますか？", None),
])
def test_a_cost_the_documents_list_as_not_covered_gets_no_with_its_rule(question, word):
    from assistant.verdict import excluded_cost

    _assert_verdict_quoting_its_rule(excluded_cost(question), word)


def test_the_no_for_an_excluded_cost_cites_the_rule_through_the_answer_path(fake_assistant):
    answer = fake_assistant.ask("⑤の事業で、担当職員だけで行く打ち合わせの出張旅費も事業費に入れていいですか？", phrase=False)
    assert answer.text.startswith("いいえ")
    assert any("職員旅費" in c.quote for c in answer.citations)


def test_an_era_or_calendar_year_in_the_askers_story_is_no_premise_about_a_rules_years():
    from assistant.verdict import premise_differs

    line = "事業の最終年度末におけるKPIが申請時点(2023年1月末)で達成済みである場合に限り可とする。"
    assert premise_differs("令和3年度補正で採択された町です。2025年度末のKPIは未達ですが、申請できますよね？", [line]) is None
    # a duration the asker states is still checked against the rule's
    assert premise_differs("半額返還は3年以上の退去が対象ですよね？", ["利用終了が3年以上5年以内なら半額返還"]) is None
    found = premise_differs("返還が要るのは4年未満ですよね？", ["3年未満に施設利用を終了した場合全額を返還"])
    assert found is not None and found.word == "いいえ"


@pytest.mark.parametrize(("question", "word"), [
    ("入居予定の会社は風営法の許可を得てスナックを経営しています。支援金は支給できますか？", "いいえ"),
    ("暴力団と付き合いのある会社に支援金を出せますか？", "いいえ"),
    # said not to be one: the requirement says nothing against the case
    ("風俗営業ではないIT企業に支援金を出せますか？", None),
    # not asked whether covered
    ("風俗営業者の定義はどこに書いてありますか？", None),
])
def test_a_party_a_requirement_rules_out_gets_no_with_that_requirement(question, word):
    from assistant.verdict import unmet_requirement

    requirements = ["- 風俗営業等の規制及び業務の適正化等に関する法律に定める風俗営業者でないこと。",
                    "- 暴力団等の反社会的勢力又は反社会的勢力と関係を有する法人でないこと。"]
    found = unmet_requirement(question, [("対象事業の概要", "支援対象者の要件"), *((r, "支援対象者の要件") for r in requirements)])
    assert (found.word if found else None) == word
    if found:
        assert found.line in requirements


def test_having_what_a_requirement_rules_out_is_no_requirement_to_have_it():
    line = "- 暴力団等の反社会的勢力又は反社会的勢力と関係を有する法人でないこと。"
    found = decide("反社会的勢力とは関係のない会社に支援金は出せますか？", [(line, "支援対象者の要件")])
    assert found is None or found.word != "いいえ"


def test_a_yes_no_sentence_followed_by_another_ask_is_judged_with_what_comes_before_it():
    from assistant.core import _verdict_question

    story, asks, more = "町内の施設を活用します。", "会議用ブースは対象経費になりますか？", "上限額も教えてください。"
    assert _verdict_question(story + asks + more, []) == story + asks
    # read as a whole (what may keep a draft from the refusal decision), the question asks no yes/no
    assert _verdict_question(story + asks + more, [], within=False) == story + asks + more
    assert _verdict_question(story + asks, []) == story + asks  # yes/no as a whole: unchanged
    assert _verdict_question("上限はいくらですか？", []) == "上限はいくらですか？"


def test_a_verdicts_rule_line_moved_first_keeps_its_whole_quoted_unit():
    from assistant.core import _quoted_units

    lines = ["見出しの行", "続きの行[1]", "別の行[2]", "引用のない行"]
    assert _quoted_units(lines) == ["見出しの行\n続きの行[1]", "別の行[2]", "引用のない行"]


def test_a_range_of_years_stated_for_confirmation_is_corrected_by_a_line_counting_years_otherwise():
    from assistant.verdict import premise_differs

    line = "研修事業の国費事業は1か年度。終了後の取組は各団体で定める。"
    found = premise_differs("研修事業は国費が2～4年続くと聞いていますが、本当ですか？", [line])
    assert found is not None and found.word == "いいえ" and "1年" in found.reason and found.line == line
    # the range's own figures stated by the line: nothing to correct
    assert premise_differs("研修事業は2～4年の計画でよいと聞きました。合っていますか？", ["計画期間は原則2～4年"]) is None


@pytest.mark.parametrize(("question", "word"), [
    # a facility in another municipality fails the rule on where a covered facility stands
    ("隣町の空き店舗に民間のコワーキングが入る予定です。うちの町の②で、その施設の開設を支援できますか？", "いいえ"),
    ("市外にある物件をサテオフにする改修費も、市の交付金事業の対象になりますか？", "いいえ"),
    # a company from another municipality is who ④ pays, not a facility elsewhere
    ("隣の町に本社を置く企業がうちの町のコワーキングに入居したら、進出支援金の対象になりますか？", None),
    # an office the company keeps for itself is not an operator's
    ("地元企業が自社専用の拠点を設けるとき、②の支援対象になりますか？", "いいえ"),
    ("他社に貸す予定はないのですが、自前のオフィスの改装を②で支援してもらえますか？", "いいえ"),
    # the companies of ⑤ and the operator of ② bear a share: none at all fails the rule
    ("⑤の事業で、進出企業の負担はゼロ、残りは全て町で持つ形は認められますか？", "いいえ"),
    ("②で支援する運営会社の持ち出しはなしで開設してもらう計画ですが、問題ないですか？", "いいえ"),
    # a share set low is still a share
    ("⑤で進出企業の負担は1割にしたいのですが、この形で出せますか？", None),
    # not asked whether covered
    ("隣の市の施設の定員は何人ですか？", None),
])
def test_a_case_that_fails_a_condition_on_what_is_covered_gets_no_with_its_rule(question, word):
    from assistant.verdict import unmet_condition

    _assert_verdict_quoting_its_rule(unmet_condition(question), word)


def test_a_calculated_question_that_also_asks_a_rule_gets_the_rules_line_cited_after_the_result(fake_assistant):
    from assistant.types import MARKER_RE, Status

    question = ("①～④は標準タイプで採択済みです。進出企業と地元の農園が組む⑤を総事業費3,600万円で考えています。"
                "国費はいくらですか？推進体制の企業に応分の負担を求める決まりも知りたいです。")
    answer = fake_assistant.ask(question, phrase=False)
    assert answer.status == Status.CALCULATED and answer.calculation is not None
    summary, rule_line = answer.text.split("\n")[:2]
    assert answer.calculation.summary in summary
    cited = [c for c in answer.citations if f"[{c.marker}]" in rule_line]
    assert cited and all(c.quote not in {r.quote for r in answer.calculation.rules} for c in cited)
    # the line is the rule sentence's own answer (asked alone, with the element the question names)
    alone = fake_assistant.ask("⑤の推進体制の企業に応分の負担を求める決まりも知りたいです。", phrase=False)
    assert MARKER_RE.sub("", rule_line) in [MARKER_RE.sub("", line) for line in alone.text.split("\n")]
    # every marker in the text has its citation
    assert {int(m) for m in MARKER_RE.findall(answer.text)} <= {c.marker for c in answer.citations}


def test_a_covered_list_says_yes_only_when_it_names_what_the_asking_sentence_asks_about():
    from assistant.verdict import listed

    lines = [("古民家や蔵を改装したサテライトオフィスの例", "対象経費")]
    # the story shares the line's words, the ask does not: no verdict from the list
    assert listed("古民家を改装したサテライトオフィスを個人で持つ方がいます。その方の運転資金も補填できますか？", lines) is None
    # the ask itself names the listed item
    found = listed("古民家を改装した拠点づくりは対象になりますか？", lines)
    assert found is not None and found.word == "はい"


@pytest.mark.parametrize(("question", "word"), [
    # the exclusion qualifies the Tokyo-area municipalities: outside that area it does not apply
    ("九州の政令市です。政令指定都市は対象になりますか？", "はい"),
    ("愛知県の指定都市ですが、政令指定都市でも対象になりますか？", "はい"),
    # inside the Tokyo area the exclusion stands
    ("埼玉県の政令指定都市は対象になりますか？", "いいえ"),
])
def test_an_exclusion_qualified_by_the_tokyo_area_does_not_reach_a_city_outside_it(question, word):
    from assistant.verdict import decide

    line = "（参考）東京圏内の条件不利地域を含む市町村（政令指定都市を除く。）又は2010年～2020年の人口減少率が10%以上の市町村"
    found = decide(question, [line])
    assert found is not None and found.word == word


def test_a_prefectural_office_named_as_such_is_the_excluded_prefecture():
    from assistant.verdict import decide

    line = "補助対象者：地方公共団体（都道府県並びに特別区、指定都市及び中核市を除く）"
    found = decide("この補助は県庁として単独で申請できますか？", [line])
    assert found is not None and found.word == "いいえ"


def test_a_presumption_the_rule_bears_out_is_confirmed_not_contradicted():
    # the asker presumes the case is not covered and the rule says so: はい, and the reason agrees with the asker
    found = oriented(Verdict("いいえ", "対象外です", "line"), "この経費は対象外ですよね？")
    assert found.word == "はい"
    assert found.reason.startswith("ご認識のとおり")
    assert "異なり" not in found.reason


@pytest.mark.parametrize(("question", "coverage"), [
    ("会議室のプロジェクターを買ってもいいですか？", True),
    ("この経費を計上してもよいでしょうか？", True),
    # a belief asked to be confirmed is no case to cover: 「…と思っていいですか」「…と考えてよいですか」
    ("措置率は去年と同じだと思っていいですか？", False),
    ("今年も同じ扱いと考えてよいでしょうか？", False),
])
def test_a_belief_to_confirm_is_not_asked_as_a_case_to_cover(question, coverage):
    from assistant.verdict import asks_if_covered

    assert asks_if_covered(question) is coverage


SHARES = "協力企業の負担は「要」（負担割合は裁量で設定可能）、地域の団体の負担は任意"


@pytest.mark.parametrize(
    ("question", "word", "party"),
    [
        # the duty presumed of the party named in the clause that carries it, not of one named before it
        ("協力企業はもちろん、地域の団体にも必ず費用を出してもらう決まりですよね？", "いいえ", "地域の団体"),
        ("地域の団体にも負担を求めるのは必須でしょうか？", "いいえ", "地域の団体"),
        ("協力企業には費用を出してもらわないとだめですよね？", "はい", "協力企業"),
    ],
)
def test_a_presumed_duty_is_answered_by_the_rule_that_makes_it_optional_or_required(question, word, party):
    found = duty(question, [SHARES])
    assert found is not None and found.word == word and party in found.reason


def test_no_duty_verdict_without_a_presumed_duty_or_without_the_party():
    assert duty("地域の団体の負担はどうなっていますか？", [SHARES]) is None
    assert duty("国への報告も必須ですよね？", [SHARES]) is None


def test_a_case_that_says_it_is_not_the_excluded_kind_is_not_excluded():
    # 「中核市には移行していません」: what the exclusion names, denied by the asker
    found = decide("人口19万人です。当市は中核市に移行していません。補助を受けられますか？", [EXCLUSION])
    assert found is not None and found.word == "はい"
    found = decide("うちは中核市です。補助を受けられますか？", [EXCLUSION])
    assert found is not None and found.word == "いいえ"


def test_a_requirement_to_be_a_legal_person_is_failed_by_a_case_said_not_to_be_one_in_other_words():
    line = "連携先は、県内に事業所がある、法人格を有する組織であること"
    for case in ("個人事業主の方", "法人化はしていない農家", "任意団体の協議会"):
        found = decide(f"{case}を連携先にできますか？", [line])
        assert found is not None and found.word == "いいえ", case


def test_how_to_contact_the_office_is_no_coverage_question():
    from assistant.verdict import asks_if_covered

    assert not asks_if_covered("事務局へ直接電話で尋ねても大丈夫でしょうか？")
    assert not asks_if_covered("メールで問い合わせても問題ないですか？")
    assert asks_if_covered("パソコンの購入費は対象になりますか？")


def test_numbered_costs_asked_together_are_each_told_by_the_rule_that_excludes_them_or_not():
    from assistant.verdict import itemised_costs

    found = itemised_costs("⑤の事業費として (1)連携先の社員が来る旅費 (2)役場の職員が企業訪問に行く旅費（首長のトップセールスに"
                           "随行するものではない） (3)例年開く町の花火大会の運営費 (4)その大会の日に新規に開くサイドイベント費"
                           " を考えています。どれが対象ですか？")
    assert found is not None and found.word == "条件付き"
    said = dict(part.split("は", 1) for part in found.reason.split("。"))
    assert "対象外経費に当たりません" in said["(1)"]
    assert "職員旅費" in said["(2)"] and "対象外" in said["(2)"]  # the escort exception is denied by the asker
    assert "従前から実施しているイベント" in said["(3)"] and "対象外" in said["(3)"]
    assert "対象となり得ます" in said["(4)"] and "サイドイベント" in said["(4)"]


def test_numbered_items_none_of_which_is_excluded_get_no_itemised_verdict():
    from assistant.verdict import itemised_costs

    assert itemised_costs("(1)パソコンの購入費、(2)会場費は対象になりますか？") is None


_EXCLUDING_KINDS = "補助対象者：地方公共団体（都道府県並びに特別区、指定都市及び中核市を除く）又は、地方公共団体（同左）を１以上含むコンソーシアム"


@pytest.mark.parametrize("town", ["東京都の村", "大阪府の町", "神奈川県の山あいの村"])
@pytest.mark.parametrize("reason", ["", "都道府県は除くと書いてあったので心配です。", "特別区や指定都市は除かれると聞いたので。"])
def test_a_town_or_village_is_none_of_the_kinds_of_団体_a_rule_excludes(town, reason):
    from assistant.verdict import decide

    verdict = decide(f"{reason}{town}でも対象になりますか？", [_EXCLUDING_KINDS])
    assert verdict is not None and verdict.word == "はい"


@pytest.mark.parametrize("kind", ["政令市", "指定都市", "中核市"])
def test_a_town_asking_whether_an_excluded_kind_is_covered_is_told_about_that_kind(kind):
    from assistant.verdict import decide

    verdict = decide(f"山あいの町です。{kind}も対象に含まれますか？", [_EXCLUDING_KINDS])
    assert verdict is not None and verdict.word == "いいえ"


@pytest.mark.parametrize("kind", ["中核市", "特別区"])
def test_a_case_of_an_excluded_kind_is_still_excluded_whatever_it_says_first(kind):
    from assistant.verdict import decide

    verdict = decide(f"予算要求の前に確かめたいと思いまして。うちは{kind}ですが対象になりますか？", [_EXCLUDING_KINDS])
    assert verdict is not None and verdict.word == "いいえ"


@pytest.mark.parametrize("ask", ["人口は何人ですか？", "担当課はどこなんですか？"])
def test_a_town_named_in_a_question_about_something_else_gets_no_town_verdict(ask):
    from assistant.verdict import decide

    rule = "②条件不利地域を含む市町村（政令指定都市を除く。）"
    verdict = decide(f"埼玉県のある町は参考の一覧に載っていますが、{ask}", [rule])
    assert verdict is None or "町村は" not in verdict.reason


@pytest.mark.parametrize(("sentence", "yes_no"), [
    ("三つの視点はどういう中身でしょうか。", False),  # a wh-word asks, whatever the polite ending
    ("上限は施設ごとですか、それとも団体の合計ですか。", False),  # alternatives offered
    ("何か条件はありますか？", True),  # 「何か」 is "any", not "what"
    ("どの町村でも申請できますか？", True),  # 「どの…でも」 is "any"
    ("何か月以内なら返還不要ですか？", False),  # 「何か月」 asks how many months
    ("この経費は対象ですか？", True),
])
def test_a_yes_no_question_has_its_ending_and_asks_no_wh_word(sentence, yes_no):
    assert is_yes_no(sentence) is yes_no


def test_a_duty_said_as_a_condition_with_a_negative_is_not_turned_round():
    # 「…しないと応募できないのでしょうか」 presumes the duty; an optional rule answers いいえ, not 「はい、ご認識のとおり」
    question = "地域の団体も必ず費用を出さないと応募できないのでしょうか？"
    found = duty(question, [SHARES])
    assert found is not None and found.word == "いいえ"
    assert oriented(found, question).word == "いいえ"
