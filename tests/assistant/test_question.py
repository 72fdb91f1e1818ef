"""The question parsed once: its fields, on questions written for these tests."""

from __future__ import annotations

import pytest

from assistant.question import INTERROGATIVE, parse
from assistant.types import Turn


def test_a_long_question_is_parsed_into_its_asking_sentence_parts_and_quantities():
    q = parse("わが村は人口3千人ほどの山村です。定員30人の施設を4,200万円で整備したいのですが、高水準タイプの国費はいくらですか？")
    assert q.asking.startswith("定員30人の施設") and "人口" not in q.asking
    assert q.parts == (q.text,)
    assert q.grant_type == "高水準" and q.kind is not None and not q.yes_no and not q.vague
    assert {(x.role, x.value) for x in q.quantities} >= {("人口", 3000), ("定員", 30)}
    assert any(x.unit == "円" and x.value == 42_000_000 for x in q.quantities)


def test_a_yes_no_question_and_a_vague_one():
    assert parse("職員の旅費は対象になりますか？").yes_no
    assert not parse("職員の旅費はいくらまで対象になりますか？").yes_no
    assert parse("上限は？").vague


def test_a_follow_up_carries_the_earlier_topic_into_its_query():
    history = [Turn("user", "お試しサテライトオフィスの措置率は？"), Turn("assistant", "…")]
    q = parse("上限額は？", history)
    assert q.is_follow_up and "お試しサテライトオフィス" in q.query and not q.vague


@pytest.mark.parametrize(("text", "asks"), [("どの経費が対象？", True), ("1万人ほどの村です", False),
                                            ("何卒よろしくお願いします", False), ("何件まで？", True)])
def test_one_interrogative_vocabulary(text, asks):
    assert bool(INTERROGATIVE.search(text)) is asks


@pytest.mark.parametrize(("text", "term"), [
    ("この交付金でいう「条件不利地域」って、どういう地域のこと？", "条件不利地域"),
    ("東京圏とは？", "東京圏"),
    ("補助率はいくら？", None),
])
def test_the_term_a_question_asks_to_define(text, term):
    assert parse(text).defines == term


@pytest.mark.parametrize(("text", "kind"), [
    ("補助率3/4で出します", "高水準"),
    ("4分の3の高いほうを狙います", "高水準"),
    ("前年度は3/4で採択されました", "高水準"),
    ("1/2の低いほうで申請予定です", "標準"),
    ("国費は2分の1で", "標準"),
    # a rate that is no type's (the catalogue's 「最大3/4」, a share of a cost) or both rates: no type
    ("最大3/4の補助があります", None),
    ("事業費の3/4を国が持つと", None),
    ("3/4と1/2の差は", None),
    ("4分の3のほうで申請します", "高水準"),
    # the other type supposed later in the question is no second type applied for
    ("3/4の高いほうで出し、もし1/2のほうになったら差額も", "高水準"),
])
def test_a_grant_type_is_read_from_its_rate_as_well_as_its_name(text, kind):
    from assistant.vocabulary import grant_type_of

    assert grant_type_of(text) == kind


@pytest.mark.parametrize("asked", ["総務省のどこの課が担当ですか？", "この事業の担当課はどこ？", "どちらが担当していますか？"])
def test_which_office_is_in_charge_asks_for_the_contact_line(asked):
    from assistant.answer import expected_type

    wanted = expected_type(asked)
    assert wanted is not None and wanted[0] == "office"


def test_adverbs_that_open_with_dou_ask_nothing():
    from assistant.question import INTERROGATIVE

    for said in ("どうせ関係ないと思っていました", "どうぞよろしくお願いします", "どうも対象外らしい"):
        assert not INTERROGATIVE.search(said), said
    assert INTERROGATIVE.search("評価はどうなりますか")
