"""Fact cards in the answer path: matched by the learned score, stated first, their lines cited verbatim."""

from __future__ import annotations

import json
import random

import pytest

from assistant import facts, facts_train
from assistant.types import MARKER_RE, Status


@pytest.fixture(scope="module")
def book(fake_assistant):
    return fake_assistant._current().cards.book()


def test_every_card_of_the_corpus_is_in_the_book(book):
    from tests.conftest import CORPUS

    assert len(book) == len(facts.load_facts(CORPUS)) >= 100


def test_a_cards_own_words_make_it_a_candidate_first_by_words(fake_assistant, book):
    from assistant.question import parse

    rng = random.Random(7)
    for i in rng.sample(range(len(book)), 25):
        card = book.facts[i]
        asked = parse(f"{card.topic}について教えてください。{card.statement}", [])
        ranked = book.candidates(asked, [])
        assert i in [j for j, _ in ranked]
        by_words = max(ranked, key=lambda r: r[1][facts.FEATURES.index("bm25_share")])
        # the card itself, or one stating the same words (the documents say some facts twice)
        assert by_words[0] == i or book.facts[by_words[0]].statement == card.statement or \
            by_words[1][facts.FEATURES.index("bm25_share")] == 1.0


def test_a_card_quoted_by_the_line_answer_is_a_candidate_and_says_so(book):
    from assistant.question import parse

    card = book.facts[0]
    line = book.quoted[0][0].line
    ranked = dict(book.candidates(parse("全く関係のない語だけの質問です", []), [], [line]))
    assert 0 in ranked
    assert ranked[0][facts.FEATURES.index("draft_first")] == 1.0
    assert ranked[0][facts.FEATURES.index("draft_share")] == 1.0
    assert card.quotes


def test_the_answer_with_a_card_states_it_first_and_cites_its_lines_verbatim(fake_assistant, book):
    from tests.conftest import CORPUS

    index = next(i for i, f in enumerate(book.facts) if f.kind == "amount" and len(book.quoted[i]) >= 2)
    card = book.facts[index]
    forced = facts.Match(card, 0.9, book.quoted[index])
    fake_assistant.card_choice = lambda asked, passages, cited: forced
    try:
        answer = fake_assistant.ask(f"{card.topic}はどうなっていますか？")
    finally:
        fake_assistant.card_choice = None
    assert answer.status is Status.ANSWERED
    assert MARKER_RE.sub("", answer.text).startswith(card.statement)
    assert len(MARKER_RE.sub("", answer.text)) <= 600
    for quoted in book.quoted[index]:
        assert any(c.quote == quoted.line for c in answer.citations)
    for c in answer.citations:  # every citation quotes a line of the chunk it cites, in the document it names
        assert c.quote and c.quote in fake_assistant.index.by_id[c.chunk_id].text
        assert fake_assistant.index.by_id[c.chunk_id].source == c.source
        assert (CORPUS / c.source).exists()
    markers = {int(m) for m in MARKER_RE.findall(answer.text)}
    assert markers == {c.marker for c in answer.citations}


def test_without_a_card_the_line_answer_stands(fake_assistant):
    fake_assistant.card_choice = lambda asked, passages, cited: None
    try:
        plain = fake_assistant.ask("サテライトオフィスの施設整備・運営費の上限はいくらですか？")
    finally:
        fake_assistant.card_choice = None
    assert plain.status is Status.ANSWERED
    assert all(c.score != 0.9 for c in plain.citations)


def test_the_model_reads_only_the_features_it_was_fitted_on():
    model = facts.Model((2.0, -1.0), 0.5, 0.5, ("cosine", "draft_first"))
    vector = [0.0] * len(facts.FEATURES)
    vector[facts.FEATURES.index("cosine")] = 1.0
    vector[facts.FEATURES.index("bm25")] = 100.0  # not read
    assert model.probability(vector) == pytest.approx(1 / (1 + pow(2.718281828459045, -2.5)), rel=1e-6)


def test_the_shipped_match_names_features_this_version_computes():
    data = json.loads(facts.MODEL_PATH.read_text(encoding="utf-8"))
    assert set(data["features"]) <= set(facts.FEATURES)
    assert facts.Model.load() is not None
    assert 0.0 < data["threshold"] <= 1.01


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_threshold_is_the_one_with_the_largest_gain(seed):
    rng = random.Random(seed)
    rows = [(rng.random(), rng.random() < 0.6, rng.random() < 0.5) for _ in range(60)]
    threshold, gain = facts_train.best_threshold(rows)
    brute = max((sum(int(c) - int(line) for p, c, line in rows if p >= t), -t) for t in {round(p, 4) for p, _, _ in rows})
    assert gain == max(0, brute[0])
    if gain > 0:
        assert sum(int(c) - int(line) for p, c, line in rows if p >= threshold) == gain


def test_the_fit_is_reproducible_from_the_same_examples():
    rng = random.Random(5)
    examples = []
    for n in range(40):
        vectors = [[rng.random() for _ in facts.FEATURES] for _ in range(4)]
        labels = [int(v[facts.FEATURES.index("cosine")] > 0.7) for v in vectors]
        examples.append(facts_train.Example(f"set:{n}", rng.random() < 0.5, vectors, labels))
    first = facts_train.fit_file(examples, folds=3, seed=3)
    second = facts_train.fit_file(examples, folds=3, seed=3)
    assert first == second
    assert first["features"] == list(facts_train.SELECTED)
    # the label follows the cosine: the fit weighs it up
    assert first["weights"][facts_train.SELECTED.index("cosine")] > 0


def test_a_match_fitted_for_another_embedding_model_is_not_applied(fake_assistant):
    model = facts.Model((1.0,), 0.0, 0.5, ("cosine",), "some-other-model")
    assert not model.fits(fake_assistant._current().cards.embedding)
    assert model.fits("some-other-model") and facts.Model((1.0,), 0.0, 0.5, ("cosine",)).fits("anything")


def test_a_missing_decision_feature_is_taken_at_its_training_mean():
    import math

    from assistant.answerability import Answerability

    model = Answerability((1.0, -2.0), 0.1, 0.5, (0.3, 0.6))
    assert model.probability([0.2, math.nan]) == pytest.approx(model.probability([0.2, 0.6]))
    assert model.probability([0.2, math.nan]) != pytest.approx(model.probability([0.2, 0.0]))


def test_fact_cards_switched_off_are_neither_shown_nor_weighed(fake_settings, fake_assistant, book, monkeypatch):
    from assistant.answer import Draft
    from assistant.core import build_assistant
    from assistant.question import parse
    from assistant.types import Citation

    fitting_any = facts.Model((5.0,), -1.0, 0.5, ("draft_first",))  # no embedding named: fits every model
    monkeypatch.setattr(facts, "current", lambda: fitting_any)
    quoted = book.quoted[0][0]
    draft = Draft("x", (Citation(1, quoted.chunk.chunk_id, quoted.chunk.source, "", "", "", quoted.line, 1.0),), 1.0)
    asked = parse("上限はいくらですか？", [])
    on = fake_assistant._top_card(asked, [], draft)
    assert on is not None and on.probability > 0.5  # the card quoting the line answer's first line
    off = build_assistant(fake_settings.model_copy(update={"fact_cards": False}))
    assert off._top_card(asked, [], draft) is None


def test_a_card_shown_is_the_closest_in_meaning_or_quotes_the_line_answers_first_line(book):
    from assistant.question import parse

    far_first = facts.Model((-30.0,), 0.0, 0.0, ("cosine_gap",))  # weights that would pick the card furthest in meaning
    asked = parse("事前相談の受付はいつからですか？", [])
    ranked = dict(book.candidates(asked, []))
    chosen = book.top(asked, [], far_first)
    assert chosen is not None
    index = book.facts.index(chosen.fact)
    features = ranked[index]
    assert features[facts.FEATURES.index("cosine_rank")] == 1.0 or features[facts.FEATURES.index("draft_first")] == 1.0
    unguarded = max(ranked, key=lambda i: far_first.probability(ranked[i]))
    assert unguarded != index  # the guard changed the choice: the test can fail


def test_a_card_about_a_named_case_brings_the_sibling_that_states_the_other_ask(book):
    from assistant.question import parse

    towns = {case.town for case in book.entities.cases}  # a case study's town (a measure has no siblings by case)
    about_one = {}
    for i, about in enumerate(book.about):
        if len(about) == 1 and next(iter(about)) in towns:
            about_one.setdefault(next(iter(about)), []).append(i)
    place, cards = next((p, c) for p, c in sorted(about_one.items()) if len(c) >= 3)
    first, other = cards[0], cards[-1]
    # the question names the case, words of the first card, and the distinct words of the other card's topic
    own = sorted(book.statement_tokens[other] - book.statement_tokens[first] - set(place), key=len, reverse=True)[:3]
    asked = parse(f"{place}の事例で、{book.facts[first].topic}と、{'・'.join(own)}について教えてください。", [])
    found = book.siblings(facts.Match(book.facts[first], 0.9, book.quoted[first]), asked)
    assert other in [book.facts.index(m.fact) for m in found]
    # a question that names no case study gets no siblings
    unnamed = parse(f"{'・'.join(own)}について教えてください。", [])
    assert not book.entities.named_in(unnamed.text)
    assert book.siblings(facts.Match(book.facts[first], 0.9, book.quoted[first]), unnamed) == []


def test_the_answer_states_the_sibling_cards_after_the_first(fake_assistant, book):
    index = next(i for i, about in enumerate(book.about) if len(about) == 1
                 and sum(a == about for a in book.about) >= 2)
    place = next(iter(book.about[index]))
    sibling = next(i for i, a in enumerate(book.about) if a == book.about[index] and i != index)
    forced = facts.Match(book.facts[index], 0.9, book.quoted[index])
    extra = sorted(book.statement_tokens[sibling] - book.statement_tokens[index] - set(place), key=len, reverse=True)[:3]
    fake_assistant.card_choice = lambda asked, passages, cited: forced
    try:
        answer = fake_assistant.ask(f"{place}の事例の{book.facts[index].topic}や{'・'.join(extra)}を教えてください。")
    finally:
        fake_assistant.card_choice = None
    text = MARKER_RE.sub("", answer.text)
    assert text.startswith(book.facts[index].statement)
    assert len(text) <= 600
    from assistant.question import parse

    found = book.siblings(forced, parse(f"{place}の事例の{book.facts[index].topic}や{'・'.join(extra)}を教えてください。", []))
    assert found and found[0].fact.statement in text


def _part_cards_on(monkeypatch, fake_assistant, book, probability=0.9):
    """The shipped match applied to the fake index (fitted for another model, it is off there), each part's card
    being the one quoting that part's first line; the whole question gets none."""
    from assistant import answerability

    model = facts.current()
    assert model is not None
    monkeypatch.setattr(fake_assistant, "_card_match", lambda: model)
    answerability.set_override(None, disabled=True)  # the parts' answers, not the refusal decision

    def top(asked, passages, model, cited=(), excluding=()):
        if len(asked.parts) > 1 or not cited:
            return None
        quoting = [i for i in book._cards_quoting(cited[0]) if book.facts[i] not in excluding]
        return facts.Match(book.facts[quoting[0]], probability, book.quoted[quoting[0]]) if quoting else None

    monkeypatch.setattr(book, "top", top)
    return model


def test_each_part_of_a_question_asking_several_facts_gets_its_card(monkeypatch, fake_assistant, book):
    from assistant import answerability

    question = "シェアリングエコノミー伝道師の任命数と、情報信託機能活用促進事業の予算額を教えてください。"
    _part_cards_on(monkeypatch, fake_assistant, book)
    try:
        answer = fake_assistant.ask(question)
    finally:
        answerability.set_override(None)
    text = MARKER_RE.sub("", answer.text)
    stated = {f.statement for f in book.facts if f.statement in text}
    assert len(stated) >= 2, answer.text  # one card per part, each stated once
    assert all(text.count(s) == 1 for s in stated)
    assert len(text) <= 600
    for c in answer.citations:  # the cards' lines cited verbatim
        assert c.quote in fake_assistant.index.by_id[c.chunk_id].text
    assert {int(m) for m in MARKER_RE.findall(answer.text)} == {c.marker for c in answer.citations}


def test_a_part_card_below_the_threshold_leaves_the_parts_lines(monkeypatch, fake_assistant, book):
    from assistant import answerability

    question = "シェアリングエコノミー伝道師の任命数と、情報信託機能活用促進事業の予算額を教えてください。"
    model = facts.current()
    assert model is not None
    _part_cards_on(monkeypatch, fake_assistant, book, probability=model.threshold / 2)
    try:
        answer = fake_assistant.ask(question)
    finally:
        answerability.set_override(None)
    assert not any(f.statement in MARKER_RE.sub("", answer.text) for f in book.facts if len(f.statement) > 30)


@pytest.mark.parametrize(("above", "shown"), [(0.5, True), (-0.5, False)])
def test_a_part_card_quoting_none_of_the_parts_lines_is_shown_only_when_the_match_is_sure(
        monkeypatch, fake_assistant, book, above, shown):
    # each part's card is one the part's own lines do not quote: shown from SURE_PART_CARD × the threshold, else not
    from assistant import answerability, core

    question = "シェアリングエコノミー伝道師の任命数と、情報信託機能活用促進事業の予算額を教えてください。"
    model = _part_cards_on(monkeypatch, fake_assistant, book)

    def top(asked, passages, model_, cited=(), excluding=()):
        if len(asked.parts) > 1 or not cited:
            return None
        quoting = set(book._cards_quoting(cited[0]))
        other = next(i for i in range(len(book.facts))
                     if i not in quoting and len(book.facts[i].statement) > 30 and book.facts[i] not in excluding)
        return facts.Match(book.facts[other], (core.SURE_PART_CARD + above) * model.threshold, book.quoted[other])

    monkeypatch.setattr(book, "top", top)
    try:
        answer = fake_assistant.ask(question)
    finally:
        answerability.set_override(None)
    text = MARKER_RE.sub("", answer.text)
    assert any(f.statement in text for f in book.facts if len(f.statement) > 30) is shown


def test_a_question_naming_one_part_of_the_programme_never_gets_a_card_of_the_other(book):
    # ⑤ and ①～④ have their own scales, KPIs and plans: a card of one is no answer about the other, whatever its words
    from assistant.question import parse

    for i, card in enumerate(book.facts):
        part = facts.card_element(card, book.quoted[i])
        if part is None:
            continue
        other = facts.FACILITIES if part == facts.FIFTH else facts.FIFTH
        mark = "⑤" if other == facts.FIFTH else "①～④"
        asked = parse(f"{mark}の{card.topic}について教えてください", [])
        if facts.elements_asked(asked) != (other,):
            continue  # the topic names the other part too: the question names both
        assert i not in [j for j, _ in book.candidates(asked, [])], card.fact_id


def test_a_cards_part_is_the_one_its_words_or_else_its_quoted_sections_name(book):
    parts = [facts.card_element(card, book.quoted[i]) for i, card in enumerate(book.facts)]
    assert parts.count(facts.FIFTH) >= 10 and parts.count(facts.FACILITIES) >= 10 and parts.count(None) >= 10
    for card, part in zip(book.facts, parts, strict=True):
        words = f"{card.topic}{card.statement}"
        if "⑤" in words and not any(m in words for m in ("①", "②", "③", "④", "施設整備・利用促進")):
            assert part == facts.FIFTH


def test_a_question_about_a_named_case_study_gets_no_card_about_no_case(book):
    # 「…町の事例では…」: the case's own figures are asked, not a general rule's card, whatever its words
    from assistant.question import parse

    towns = sorted({name for about in book.about for name in about if name.endswith(("町", "市", "村"))})
    assert towns
    for town in towns[:6]:
        for card in [c for i, c in enumerate(book.facts) if not book.about[i]][:30]:
            asked = parse(f"{town}の事例では{card.topic}をどう置いていましたか？", [])
            if not book.entities.named_in(asked.text):
                continue
            assert all(book.about[j] for j, _ in book.candidates(asked, [])), (town, card.fact_id)


def test_a_question_naming_one_document_gets_no_card_quoting_the_other(book):
    from assistant.question import parse

    for name, other in (("施策集", "digiden_chiho_sosei_telework_overview.txt"),
                        ("制度概要", "telework_measures_catalogue_2021.txt")):
        for card in [c for c in book.facts if c.source == other][:40]:
            asked = parse(f"{name}では{card.topic}はどう書かれていますか？", [])
            if asked.document is None:
                continue  # the card's topic names the other document too: the question names both
            assert all(book.facts[j].source != other for j, _ in book.candidates(asked, [])), card.fact_id


def test_closeness_in_meaning_is_ranked_among_the_cards_that_may_answer(book):
    from assistant.question import parse

    # (the card closest in meaning overall states the 制度概要's effects: it is no candidate here)
    asked = parse("施策集に載っているテレワーク交付金について、期待される効果を教えてください。", [])
    ranked = book.candidates(asked, [])
    rank = facts.FEATURES.index("cosine_rank")
    assert ranked and max(v[rank] for _, v in ranked) == 1.0  # the closest card left is first, whatever was filtered
    assert sorted(v[rank] for _, v in ranked).count(1.0) == 1


def test_a_bare_label_quoted_by_the_line_answer_points_to_no_card_that_merely_contains_it(book):
    # 「詳細」 heads each catalogue sheet's contact line; a card quoting a long line that happens to contain the
    # word does not quote that label
    for label in ("詳細", "予算額"):
        assert all(any(facts._key(q.line) == facts._key(label) for q in book.quoted[i]) for i in book._cards_quoting(label))
    long_line = next(q.line for quoted in book.quoted for q in quoted if len(facts._key(q.line)) >= 20)
    assert book._cards_quoting(long_line)


def test_a_card_an_earlier_part_states_is_not_offered_to_the_next(book):
    from assistant.question import parse

    asked = parse("情報信託機能活用促進事業の予算額と担当を教えてください", [])
    first = book.top(asked, [], facts.Model((1.0,), 0.0, 0.0, ("bm25_share",)))
    assert first is not None
    second = book.top(asked, [], facts.Model((1.0,), 0.0, 0.0, ("bm25_share",)), excluding=[first.fact])
    assert second is not None and second.fact is not first.fact
