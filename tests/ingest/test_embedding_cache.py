"""Vectors cached by (model, text hash): a re-ingest of unchanged text embeds nothing; unit vectors line up
with the units the answer step scores."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from assistant.embedding_cache import CachedEmbeddings
from assistant.embeddings import FakeEmbeddings
from assistant.index import load_index
from assistant.settings import Settings
from assistant.unit_vectors import UnitVectors, unit_texts
from ingest.pipeline import run_ingest
from ingest.stores import current_index_dir, read_chunks
from tests.conftest import CORPUS


class CountingEmbeddings(Embeddings):
    def __init__(self) -> None:
        self.inner = FakeEmbeddings()
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += texts
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def test_cache_computes_only_unseen_texts_and_returns_the_same_vectors(tmp_path):
    counting = CountingEmbeddings()
    cache = CachedEmbeddings(counting, "fake", tmp_path / "cache.sqlite3")
    first = cache.embed_documents(["補助率は2分の1", "上限額", "補助率は2分の1"])
    assert counting.embedded == ["補助率は2分の1", "上限額"]  # a repeated text is embedded once
    again = CachedEmbeddings(counting, "fake", tmp_path / "cache.sqlite3").embed_documents(["上限額", "新しい行"])
    assert counting.embedded[2:] == ["新しい行"]
    assert again[0] == first[1]
    other_model = CachedEmbeddings(counting, "other", tmp_path / "cache.sqlite3")
    other_model.embed_documents(["上限額"])
    assert counting.embedded[-1] == "上限額"  # the model's name is part of the key


def test_forced_reingest_of_unchanged_text_takes_every_vector_from_the_cache(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake")
    first = run_ingest(settings, force=True, show_progress=False)
    assert first.embedded > 0 and first.cached == 0
    again = run_ingest(settings, force=True, show_progress=False)
    assert again.embedded == 0 and again.cached == first.embedded + first.cached


def test_every_scored_unit_has_its_vector(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake", unit_vectors=True)
    run_ingest(settings, force=True, show_progress=False)
    directory = current_index_dir(settings)
    vectors = UnitVectors.load(directory)
    assert vectors is not None
    keys, texts = unit_texts(read_chunks(directory))
    assert set(keys) == set(vectors.rows) and vectors.matrix.shape[0] == len(keys)
    index = load_index(settings, FakeEmbeddings())
    chunk_id, start, end = keys[len(keys) // 2]
    similarity = index.similarity(texts[len(keys) // 2])
    assert similarity is not None
    assert abs(similarity(chunk_id, start, end) - 1.0) < 1e-4  # a unit's own text is its nearest question
    assert similarity("no-such-chunk", 0, 1) == 0.0


def test_without_unit_vectors_the_index_has_none_and_answers_need_no_question_embedding(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake")
    run_ingest(settings, force=True, show_progress=False)
    index = load_index(settings, FakeEmbeddings())
    assert index.units is None and index.similarity("補助率は？") is None
