"""Unit features and the linear unit scorer, on passages written for these tests (no question-set text)."""

from __future__ import annotations

import math

import pytest

from assistant import unit_ranker
from assistant.answer import question_signals, unit_features
from assistant.types import Chunk, Passage
from assistant.unit_ranker import FEATURE_NAMES, HAND, LinearRanker


def passage(rank: int, text: str, section: str = "見出し") -> Passage:
    chunk = Chunk(f"c{rank}", "doc.txt", "資料", "令和9年度", section, text, 0, len(text))
    return Passage(chunk, 1.0 - rank / 100, rank)


def features_by_text(question: str, passages: list[Passage], carried: str = "") -> dict[str, dict[str, float]]:
    rows = unit_features(question_signals(question, carried), passages)
    return {unit.text: dict(zip(FEATURE_NAMES, vector, strict=True)) for unit, vector in rows}


def test_every_unit_gets_one_value_per_named_feature():
    rows = unit_features(question_signals("植栽の補助率は？", ""), [passage(1, "植栽の補助率：2/3\n※ 上限あり")])
    assert rows and all(len(vector) == len(FEATURE_NAMES) for _, vector in rows)


def test_features_say_what_the_unit_holds():
    text = "■ 植栽事業\n植栽事業の補助率：2/3\n植栽事業は地域の緑化を進める取組である。"
    got = features_by_text("植栽事業の補助率は？", [passage(2, text)])
    rate, prose = got["植栽事業の補助率：2/3"], got["植栽事業は地域の緑化を進める取組である。"]
    assert rate["kind_hit"] == 1.0 and rate["kind_miss"] == 0.0 and rate["has_number"] == 1.0
    assert prose["kind_hit"] == 0.0 and prose["kind_miss"] == 1.0 and prose["has_number"] == 0.0
    assert rate["coverage"] > prose["coverage"]
    assert rate["inv_rank"] == pytest.approx(0.5)
    assert 0.0 < rate["position"] < prose["position"] < 1.0
    assert rate["log_length"] == pytest.approx(math.log1p(len("植栽事業の補助率：2/3")))
    assert prose["prev_overlap"] > 0.0  # the line above it states the asked rate's words


def test_quantity_phrase_hit_and_conflict_are_counted():
    text = "定員30人以上の施設：上限500万円\n定員30人未満の施設：上限200万円"
    got = features_by_text("定員30人以上の施設の上限はいくら？", [passage(1, text)])
    assert got["定員30人以上の施設：上限500万円"]["quantity_hit"] == 1.0
    assert got["定員30人未満の施設：上限200万円"]["quantity_conflict"] == 1.0


def test_hand_weights_score_is_the_named_sum():
    vector = [0.0] * len(FEATURE_NAMES)
    vector[FEATURE_NAMES.index("overlap")] = 2.0
    vector[FEATURE_NAMES.index("kind_hit")] = 1.0
    vector[FEATURE_NAMES.index("coverage")] = 0.9  # no hand weight: no effect
    assert HAND.score(vector) == pytest.approx(2.0 + 4.0)


def test_unknown_feature_names_are_refused():
    with pytest.raises(ValueError):
        LinearRanker.from_mapping({"no_such_feature": 1.0})


def test_a_learned_score_is_a_probability():
    ranker = LinearRanker((1.0,) * len(FEATURE_NAMES), bias=-1.0, probability=True)
    assert 0.0 < ranker.score([0.0] * len(FEATURE_NAMES)) < 0.5 < ranker.score([1.0] * len(FEATURE_NAMES)) < 1.0


def test_override_is_used_and_restored():
    ranker = LinearRanker((0.0,) * len(FEATURE_NAMES), name="zero")
    unit_ranker.set_override(ranker)
    try:
        assert unit_ranker.current() is ranker
    finally:
        unit_ranker.set_override(None)
    assert unit_ranker.current() is not ranker


# ---- training ----------------------------------------------------------------------------------------
def synthetic_examples(items: int = 12, units: int = 8):
    """A tiny labelled set: in each item the positive unit has more coverage and a number; fixed values, no
    randomness, so two trainings must agree to the byte."""
    from assistant.train import Example

    examples = []
    for i in range(items):
        vectors, labels = [], []
        for j in range(units):
            vector = [((i * 7 + j * 3 + k) % 5) / 5 for k in range(len(FEATURE_NAMES))]
            positive = j == i % units
            vector[FEATURE_NAMES.index("coverage")] = 0.9 if positive else 0.1 * (j % 4)
            vector[FEATURE_NAMES.index("has_number")] = 1.0 if positive or j % 3 == 0 else 0.0
            vectors.append(vector)
            labels.append(int(positive))
        examples.append(Example(f"set:i{i}", vectors, labels))
    return examples


@pytest.mark.parametrize("columns", ["all", "pairwise", "hand"])
def test_training_twice_on_the_same_data_writes_the_same_bytes(tmp_path, columns):
    pytest.importorskip("sklearn")
    from assistant.train import fit, model_json

    examples = synthetic_examples()
    written = []
    for name in ("a.json", "b.json"):
        ranker, _ = fit(examples, columns=columns)
        path = tmp_path / name
        path.write_text(model_json(ranker, examples, {"columns": columns}), encoding="utf-8")
        written.append(path.read_bytes())
    assert written[0] == written[1]
    loaded = unit_ranker.load_model(tmp_path / "a.json")
    assert loaded.weights == ranker.weights and loaded.probability


def test_changed_labels_change_the_data_hash():
    from assistant.train import Example, data_hash

    examples = synthetic_examples()
    flipped = [Example(examples[0].group, examples[0].vectors, [1 - y for y in examples[0].labels]), *examples[1:]]
    assert data_hash(examples) != data_hash(flipped)


def test_the_learned_weights_prefer_what_the_labels_prefer():
    pytest.importorskip("sklearn")
    from assistant.train import fit, unit_hit_at_1

    ranker, _ = fit(synthetic_examples(), columns="all")
    assert ranker.weights[FEATURE_NAMES.index("coverage")] > 0
    assert unit_hit_at_1(ranker, synthetic_examples())[0] == 1.0


@pytest.mark.parametrize("columns", ["all", "pairwise", "hand"])
def test_the_serving_dot_product_equals_sklearns_decision_function(columns):
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    from assistant.train import fit, sklearn_decision

    examples = synthetic_examples()
    ranker, parts = fit(examples, columns=columns)
    x = np.array([v for ex in examples for v in ex.vectors])
    expected = sklearn_decision(parts, x)
    got = [ranker.decision(v) for v in x.tolist()]
    assert got == pytest.approx(list(expected), abs=1e-5)  # weights are stored rounded to 8 digits


def test_the_serving_trees_equal_sklearns_probabilities_on_relative_columns():
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    from assistant.train import fit
    from assistant.unit_ranker import relative_columns

    examples = synthetic_examples()
    ranker, model = fit(examples, columns="trees")
    for ex in examples:
        expected = model.predict_proba(np.array(relative_columns(ex.vectors)))[:, 1]
        assert ranker.scores(ex.vectors) == pytest.approx(list(expected), abs=1e-6)


def test_trees_trained_twice_write_the_same_bytes_and_load_back(tmp_path):
    pytest.importorskip("sklearn")
    from assistant.train import fit, model_json, unit_hit_at_1

    examples = synthetic_examples()
    written = []
    for name in ("a.json", "b.json"):
        ranker, _ = fit(examples, columns="trees")
        (tmp_path / name).write_text(model_json(ranker, examples, {"columns": "trees"}), encoding="utf-8")
        written.append((tmp_path / name).read_bytes())
    assert written[0] == written[1]
    loaded = unit_ranker.load_model(tmp_path / "a.json")
    assert loaded.scores(examples[0].vectors) == pytest.approx(ranker.scores(examples[0].vectors))
    assert unit_hit_at_1(loaded, examples)[0] >= 0.75  # chance is 1/8: the trees find the coverage that marks positives


def test_relative_columns_measure_each_feature_from_the_questions_best_unit():
    from assistant.unit_ranker import relative_columns

    rows = relative_columns([[1.0, 5.0], [3.0, 2.0]])
    assert rows == [[1.0, 5.0, -2.0, 0.0], [3.0, 2.0, 0.0, -3.0]]


def test_a_unit_is_positive_when_it_holds_a_gold_quote_or_most_of_one():
    from assistant.train import is_positive

    gold = ["植栽事業の補助率は2/3、上限は1,000万円とする。"]
    assert is_positive("（注）植栽事業の補助率は２／３、上限は1000万円とする。", gold)  # NFKC, digit commas
    assert is_positive("植栽事業の補助率は2/3、上限は1,000万円", gold)  # most of it
    assert not is_positive("植栽事業", gold)  # a word of it
    assert not is_positive("街路樹の補助率は1/2とする。", gold)


# ---- evidence windows --------------------------------------------------------------------------------
def test_the_note_under_the_key_line_is_quoted_with_its_own_citation():
    from assistant.answer import draft_answer

    text = "植栽事業の補助率は2/3とする。\n※ 上限は1団体当たり500万円\n\n街路の清掃は市の負担とする。"
    draft = draft_answer("植栽事業の補助率は？", "", [passage(1, text)])
    assert draft is not None
    quotes = [c.quote for c in draft.citations]
    assert quotes[0] == "植栽事業の補助率は2/3とする。"
    assert "※ 上限は1団体当たり500万円" in quotes
    assert all(q in text for q in quotes)  # verbatim pieces of the passage
    assert len(quotes) == len(set(quotes))


def test_the_label_line_above_a_bare_value_is_quoted_before_it():
    from assistant.answer import Unit, evidence_window

    text = "このページは植栽事業の概要である。\n植栽事業の申請受付期間\n令和9年4月1日から令和9年5月31日まで、郵送又は窓口で受け付ける。"
    p = passage(1, text)
    start = text.index("令和9年4月1日")
    key = Unit(p, start, len(text))
    window = evidence_window(key, [key], 400)
    assert [u.text for u in window.before] == ["植栽事業の申請受付期間"]
    assert window.after == ()


def test_in_a_layout_of_values_above_their_labels_each_value_keeps_its_own_label():
    from assistant.answer import Unit, evidence_window

    # a schedule the PDF wrote value first: 「date / label / date / label」
    text = "4月1日（月）\n\n植栽申請受付開始\n\n4月26日（金）\n\n植栽申請締切\n\n5月8日（水）\n\n審査結果通知"
    p = passage(1, text)
    pair = Unit(p, text.index("5月8日"), len(text))
    # a value with its label is complete: the label above it is the item before's
    assert evidence_window(pair, [pair], 400).before == ()
    label = Unit(p, text.index("植栽申請締切"), text.index("植栽申請締切") + len("植栽申請締切"))
    window = evidence_window(label, [label], 400)
    # a label alone takes the value above it, not the next item's value below
    assert [u.text for u in window.before] == ["4月26日（金）"]
    assert window.after == ()


def test_a_cell_is_completed_by_the_cells_of_its_row_under_the_other_columns_the_question_names():
    from assistant.answer import UNIT_SPLIT_CHARS, draft_answer

    # cells long enough that the row is quoted cell by cell, as the documents' plan tables are
    first = "整備の年度内に行う植え付けの計画で、苗木の調達、植栽場所の選定、地域の団体との役割分担、散水設備の設置までを含む" * 3
    second = first  # the two plans described alike: only the column says which is which
    text = ("\t植栽整備計画\t植栽維持計画\n"
            f"期間\t{first}（期間：当該年度末まで）\t{second}（期間：その後の年度末まで）\n"
            "提出先\t県の緑化推進課\t県の緑化推進課")
    assert len(text.split("\n")[1]) > 2 * UNIT_SPLIT_CHARS
    both = draft_answer("植栽整備計画と植栽維持計画、それぞれの期間は？", "", [passage(1, text)])
    neither = draft_answer("植栽の計画の期間は？", "", [passage(1, text)])
    assert both is not None and neither is not None
    quotes = [c.quote for c in both.citations]
    assert any("当該年度末まで" in q for q in quotes) and any("その後の年度末まで" in q for q in quotes)
    # a question naming no column is not given every cell of the row
    assert sum(any(end in c.quote for c in neither.citations) for end in ("当該年度末まで", "その後の年度末まで")) == 1


def test_a_sentence_above_is_not_taken_for_a_label_and_room_is_respected():
    from assistant.answer import Unit, evidence_window

    text = "植栽事業の申請は市が取りまとめて行う。\n令和9年4月1日から受け付ける\n※ 郵送の場合は消印有効"
    p = passage(1, text)
    start = text.index("令和9年4月1日")
    key = Unit(p, start, text.index("\n※"))
    assert evidence_window(key, [key], 400).before == ()  # ends with 「。」: a sentence, not a label
    assert [u.text for u in evidence_window(key, [key], 400).after] == ["※ 郵送の場合は消印有効"]
    assert evidence_window(key, [key], 5).after == ()  # no room left


def test_the_rest_of_a_list_follows_a_list_item():
    from assistant.answer import Unit, evidence_window

    text = "対象外の経費\n・ 植栽の維持費\n・ 街路の清掃費\n・ 公園の照明費\n\n別の話題の段落である。"
    p = passage(1, text)
    start = text.index("・ 植栽")
    key = Unit(p, start + 2, text.index("\n・ 街路"))
    window = evidence_window(key, [key], 400)
    assert [u.text for u in window.before] == ["対象外の経費"]
    assert [u.text for u in window.after] == ["街路の清掃費", "公園の照明費"]


def test_an_item_of_a_list_above_is_not_a_label():
    from assistant.answer import Unit, evidence_window

    text = "- ①植栽の維持費\n（※1）維持費は、剪定及び散水の費用をいう"
    p = passage(1, text)
    start = text.index("（※1）")
    key = Unit(p, start, len(text))
    assert evidence_window(key, [key], 400).before == ()


def test_the_next_sentence_of_a_long_line_completes_a_sentence_taken_from_it():
    from assistant.answer import UNIT_SPLIT_CHARS, Unit, evidence_window

    first = ("■ 工夫 植栽の担い手を県外の造園業者や園芸を学ぶ学生に広げるため、季節ごとの募集説明会を都市部で開き、"
             "参加した人が住まいや仕事の相談もできる窓口を市役所と商工会の双方に設けて、初めての人でも参加しやすい仕組みを整えた。")
    second = "「植栽サポーター制度」で、参加する人を町全体で迎える仕組みを作った。"
    text = f"{first} {second}\n■ 体制 市と造園組合"
    assert len(first) + len(second) > UNIT_SPLIT_CHARS  # a line long enough to be quoted sentence by sentence
    p = passage(1, text)
    start = text.index("「植栽")
    key = Unit(p, start, start + len(second))
    window = evidence_window(key, [key], 600)
    # the key sentence ends the line: the one before it (quoted without its bullet)
    assert [u.text for u in window.before] == [first.removeprefix("■ ")]
    assert window.after == ()
    head = Unit(p, 0, len(first))
    assert [u.text for u in evidence_window(head, [head], 600).after] == [second]
    assert evidence_window(head, [head], len(second) + 10).after == ()  # only well within the length limit


def test_a_case_study_the_question_names_spans_from_its_place_to_the_next_case():
    from assistant.answer import Unit, case_block
    from assistant.entities import Entities

    text = ("甲山県 花見市 <植栽の里づくり>\n■ 事業概要 旧駅舎を花の工房に改修。\n■ 推進体制 花見市、園芸組合\n"
            "乙川県 月見町 <夜景の町づくり>\n■ 事業概要 展望台を改修。")
    p = passage(1, text)
    start = text.index("■ 推進体制")
    key = Unit(p, start, text.index("\n乙川県"))
    entities = Entities.from_chunks([], [p.chunk])
    block = case_block(entities, frozenset({"花見市"}), key)
    assert block is not None
    assert text[block[0] : block[1]].startswith("甲山県 花見市") and "月見町" not in text[block[0] : block[1]]
    assert case_block(entities, frozenset({"月見町"}), key) is None  # the key line is not in the named case
    assert case_block(entities, frozenset(), key) is None  # no place named


def test_a_table_cell_heading_a_list_is_completed_by_the_list_in_the_next_cell():
    from assistant.answer import Unit, evidence_window

    text = "記載事項 | ①植栽計画の名称 | ②体制の整え方 | ・会員の名簿、 ・役割分担 | ③予算"
    p = passage(1, text)
    start = text.index("②体制の整え方")
    key = Unit(p, start, start + len("②体制の整え方"))
    window = evidence_window(key, [key], 400)
    assert [u.text for u in window.after] == ["会員の名簿、 ・役割分担"]  # (its leading bullet trimmed)
    # a cell that is itself a list item, or a heading followed by no list, takes nothing
    plain = Unit(p, text.index("③予算"), len(text))
    assert evidence_window(plain, [plain], 400).after == ()


def test_a_contacts_telephone_line_is_completed_by_the_mail_line_under_it():
    from assistant.answer import Unit, evidence_window

    text = "植栽推進室による相談受付\n\n県緑化推進課 012-345-6789（代表）\nplant-desk_atmark_example.jp (※）_atmark_は＠に置き換え\n次の節"
    p = passage(1, text)
    start = text.index("県緑化推進課")
    key = Unit(p, start, text.index("\nplant"))
    window = evidence_window(key, [key], 400)
    assert [u.text for u in window.after] == ["plant-desk_atmark_example.jp (※）_atmark_は＠に置き換え"]
    # a line under it that is no mail address is not part of the contact
    other = "植栽推進室による相談受付\n\n県緑化推進課 012-345-6789（代表）\n令和9年度の予算は未定"
    key = Unit(passage(1, other), other.index("県緑化推進課"), len(other) - len("\n令和9年度の予算は未定"))
    assert evidence_window(key, [key], 400).after == ()
