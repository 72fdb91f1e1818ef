"""The measures and case-study towns the documents describe one by one: a question naming one is answered about
that one (fact cards and quoted lines), never about a neighbour with similar words."""

from __future__ import annotations

import random
import re

import pytest

from assistant.entities import Entities, names_another
from assistant.types import Status


def test_a_measure_is_named_by_its_full_name_with_or_without_its_dot_and_by_its_distinctive_head():
    entities = Entities.from_documents(
        ["シェアリングエコノミーの普及促進", "サテライトオフィス・マッチング支援事業", "地域の未来支援"],
        ["福岡県 古賀市\t地域交流", "（長野県駒ヶ根市）H29.3～"])
    assert entities.named_in("シェアリングエコノミーの担当はどこ？") == {"シェアリングエコノミーの普及促進"}
    assert entities.named_in("サテライトオフィスマッチング支援事業の予算") == {"サテライトオフィス・マッチング支援事業"}
    # a head too short to name anything alone (「地域」) does not make every question about the measure
    assert entities.named_in("地域の取組") == frozenset()
    assert entities.named_in("地域の未来支援について") == {"地域の未来支援"}
    assert entities.named_in("古賀市と駒ヶ根市の違い") == {"古賀市", "駒ヶ根市"}


def test_a_measure_is_named_by_every_short_name_the_vocabulary_lists_for_it():
    from assistant.japanese import measure_short_names

    listed = measure_short_names()
    entities = Entities.from_documents(list(listed), [])
    for measure, shorts in listed.items():
        for short in shorts:
            assert measure in entities.named_in(f"{short}の担当はどこ？"), (measure, short)


def test_a_follow_up_naming_another_measure_carries_the_asked_field_not_the_earlier_measure():
    from assistant.conversation import rewrite
    from assistant.japanese import measure_short_names
    from assistant.types import Turn

    listed = measure_short_names()
    for earlier, later in zip(list(listed), list(listed)[1:] + list(listed)[:1], strict=True):
        history = [Turn("user", f"{earlier}の令和3年度の予算額はいくら？"), Turn("assistant", "…")]
        carried = rewrite(f"じゃあ{listed[later][-1]}のほうは？", history).carried
        assert earlier not in carried and not any(s in carried for s in listed[earlier] if s not in later)
        assert "予算額" in carried


@pytest.mark.parametrize(("asked", "stated", "other"), [
    ({"A"}, {"B"}, True), ({"A"}, {"A", "B"}, False), (set(), {"B"}, False), ({"A"}, set(), False)])
def test_a_statement_is_about_another_entity_only_when_both_name_some_and_share_none(asked, stated, other):
    assert names_another(frozenset(asked), frozenset(stated)) is other


@pytest.fixture(scope="module")
def book(fake_assistant):
    return fake_assistant._current().cards.book()


def test_a_card_about_one_measure_or_town_is_no_candidate_for_a_question_naming_another(book):
    from assistant.question import parse

    about_one = [i for i, about in enumerate(book.about) if len(about) == 1]
    names = sorted({n for about in book.about for n in about})
    assert len(about_one) >= 10 and len(names) >= 6
    rng = random.Random(11)
    checked = 0
    for i in rng.sample(about_one, min(30, len(about_one))):
        (own,) = book.about[i]
        card = book.facts[i]
        other = rng.choice([n for n in names if n != own])
        words = f"{card.topic}。{card.statement}"
        for key in sorted(dict(book.entities.keys)[own], key=len, reverse=True):
            words = re.sub(re.escape(key), other, words)
        if book.entities.named_in(words) != {other}:
            continue  # the card's words name the entity in a form the swap missed
        assert i not in [j for j, _ in book.candidates(parse(f"{words}について教えてください。", []), [])]
        assert i in [j for j, _ in book.candidates(parse(f"{card.topic}。{card.statement}について教えてください。", []), [])]
        checked += 1
    assert checked >= 10


def test_a_question_naming_a_case_study_town_quotes_that_towns_case_first(fake_assistant, book):
    from tests.conftest import CORPUS

    # the 制度概要's case studies open with their town after its prefecture (the 2021 catalogue's examples put the
    # place after the facility's lines, so only the first kind has a block that starts at the town)
    overview = (CORPUS / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8")
    places = sorted({m.group(1) for m in re.finditer(r"^[^\n]{0,4}[都道府県]\s*([一-龥ぁ-んァ-ヶー]{1,5}?[市町村])", overview, re.M)})
    assert len(places) >= 6 and any(re.search(r"[ぁ-ん]", p) for p in places)  # 「南あわじ市」 too
    answered = 0
    for place in places:
        answer = fake_assistant.ask(f"{place}の事例の推進体制や事業概要について教えてください。", phrase=False)
        if answer.status is not Status.ANSWERED or not answer.citations:
            continue
        # the key line (a short label above it, 「第1回採択事例」, may come first)
        first = next((c for c in answer.citations if len(c.quote.strip()) >= 15), answer.citations[0])
        text = next(p.text for p in answer.passages if p.chunk_id == first.chunk_id)
        if place not in text or "overview" not in first.source:
            continue  # a passage that does not name the town (a card's quote of a general rule): not a case block
        start = text.rfind("\n", 0, text.find(place)) + 1  # the case's first line names the town
        # the next case study begins where another town of the documents is named after its prefecture
        others = [m.start() for m in re.finditer(r"[都道府県]\s*[一-龥ァ-ヶー]{1,5}?[市町村]", text)
                  if m.start() > start and place not in m.group(0)]
        end = min(others, default=len(text))
        position = text.find(first.quote.split("\n")[0].strip())
        assert start <= position < end, (place, first.quote)
        answered += 1
    assert answered >= 4


def test_a_town_is_named_by_its_stem_unless_the_documents_use_the_stem_for_something_else():
    entities = Entities.from_documents([], ["岐阜県郡上市の工場", "京都府 京都市の小学校", "東京都の企業", "長野県駒ヶ根市",
                                            "駒ヶ根テレワークオフィス"])
    assert entities.named_in("郡上のほうは？") == {"郡上市"}
    assert entities.named_in("駒ヶ根テレワークオフィスの成果") == {"駒ヶ根市"}
    assert entities.named_in("東京都から移る企業") == frozenset()  # 「京都」 names no town: 「東京都」 holds it


def test_the_latest_named_entity_of_a_conversation_is_its_topic():
    entities = Entities.from_documents([], ["岐阜県郡上市", "長野県駒ヶ根市"])
    assert entities.last_named("駒ヶ根市のオフィスは何の建物？ 郡上のほうは？") == {"郡上市"}
    assert entities.last_named("郡上市は？ では駒ヶ根市は？") == {"駒ヶ根市"}
    assert entities.last_named("補助率は？") == frozenset()


def test_a_case_study_facility_is_named_by_its_name_its_quoted_part_and_its_latin_part():
    entities = Entities.from_documents([], ["花見工房「Hanami」\n（甲山県花見市）H30.4～\n",
                                            "TSUKI BASE（乙川県月見町）\n・ 旧校舎を改修", "丙野県 星降村 <星の里>"])
    assert entities.named_in("Hanamiの入居企業は？") == {"花見市"}
    assert entities.named_in("花見工房の成果") == {"花見市"}
    assert entities.named_in("じゃあTSUKI BASEは？") == {"月見町"}
    assert entities.named_in("tsukibaseの建物") == {"月見町"}
    assert dict(entities.keys)["星降村"] == ("星降村", "星降")  # a town opening its case alone names no facility


def test_a_follow_up_naming_another_case_is_answered_from_that_case_not_the_carried_one():
    from assistant.answer import draft_answer
    from tests.assistant.test_line_choice import passage

    text = ("花見工房「Hanami」\n（甲山県花見市）H30.4～\n・ 旧駅舎を改修したオフィス\n・ 進出企業3社\n"
            "TSUKI BASE（乙川県月見町）\n・ 旧校舎を改修したオフィス\n・ 進出企業5社\n")
    entities = Entities.from_chunks([], [passage(1, text).chunk])
    earlier = "花見工房はどんな建物を使っていますか？"
    for turn in ("じゃあTSUKI BASEのほうは？", "月見のほうは？"):
        draft = draft_answer(turn, earlier, [passage(1, text)], entities=entities)
        assert draft is not None
        assert all(text.index(c.quote) >= text.index("TSUKI BASE") for c in draft.citations), (turn, draft.text)
    # a turn naming no case keeps the conversation's one
    draft = draft_answer("進出企業は何社？", earlier, [passage(1, text)], entities=entities)
    assert draft is not None and "3社" in draft.text and "5社" not in draft.text


def test_a_follow_up_pointing_at_the_town_an_answer_named_is_read_with_that_town(fake_assistant):
    # 「その市の…は？」 after an answer whose key line named one town no user turn named
    from assistant.question import parse
    from assistant.types import Turn

    town = next(n for n in sorted(fake_assistant.index.entities.named_in(
        "兵庫県 南あわじ市 京都市 焼津市")) if n.endswith("市"))
    history = [Turn("user", "体育館を改修した事例のうち、国費が大きいほうは？"),
               Turn("assistant", f"{town}の事例です（交付対象事業費・国費は表のとおり）。[1]")]
    asked = fake_assistant._with_answered_subject(parse("その市の運営の体制は？", history), history)
    assert town in asked.query and town in asked.carried
    # a follow-up that names its own subject, or points at nothing, is left as parsed
    for question in ("焼津市の運営の体制は？", "運営体制の要件は？"):
        parsed = parse(question, history)
        assert fake_assistant._with_answered_subject(parsed, history) == parsed
