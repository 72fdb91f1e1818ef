"""The second-stage reranker: a passage with one line that says what was asked moves up."""

from __future__ import annotations

from assistant.rerank import best_line_coverage, rerank
from assistant.types import Chunk, Passage
from tests.conftest import APPOINTED, APPOINTED_QUESTION, corpus_figure


def passage(rank: int, text: str, score: float) -> Passage:
    return Passage(Chunk(f"c{rank}", "doc.txt", "制度概要", "令和4年度", "節", text, 0, len(text)), score, rank)


def test_a_passage_whose_single_line_answers_moves_up():
    question = "進出支援金の返還期限は何年ですか？"
    scattered = passage(1, "進出支援金について。\n\n返還の手続。\n\n期限の考え方は別紙。", 1.0)
    focused = passage(2, "進出支援金の返還期限は申請日から3年以内", 0.9)
    assert best_line_coverage(question, focused, lambda t: 1.0) > best_line_coverage(question, scattered, lambda t: 1.0)
    reranked = rerank(question, [scattered, focused], lambda t: 1.0, weight=1.0)
    assert [p.chunk_id for p in reranked] == ["c2", "c1"] and [p.rank for p in reranked] == [1, 2]
    kept = rerank(question, [scattered, focused], lambda t: 1.0, weight=0.0)
    assert [p.chunk_id for p in kept] == ["c1", "c2"]  # weight 0: the first stage's order


def test_the_retriever_reranks_when_settings_say_so(fake_assistant):
    from assistant.core import build_assistant

    reranking = build_assistant(fake_assistant.settings.model_copy(update={"rerank": "lines"}))
    question = APPOINTED_QUESTION
    plain = fake_assistant.retriever.passages(question, 5)
    reranked = reranking.retriever.passages(question, 5)
    assert len(reranked) == 5 and [p.rank for p in reranked] == [1, 2, 3, 4, 5]
    assert corpus_figure(APPOINTED) in reranked[0].text  # the line that answers it comes first
    assert {p.chunk_id for p in reranked} & {p.chunk_id for p in plain}
