"""Search keys for Japanese text: normalisation, SudachiPy tokens, synonyms, stop phrases.

Only keys are normalised: the text shown to users is never passed through here. NFKC alone would turn
①–⑳ into plain digits and lose 「⑤事業」 vs 「5事業」, so circled numbers are protected first.
"""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

_CIRCLED = [chr(0x2460 + i) for i in range(20)]  # ①..⑳
_PROTECT = str.maketrans({c: f"\ue000{i}\ue001" for i, c in enumerate(_CIRCLED)})
_RESTORE = re.compile("\ue000(\\d+)\ue001")
_WAVE_DASH = str.maketrans({"〜": "~", "～": "~", "−": "-", "－": "-", "‐": "-", "―": "-", "ー": "ー"})
# Part-of-speech classes that never help a search (particles, auxiliaries, punctuation, blanks).
_DROP_POS = {"助詞", "助動詞", "補助記号", "空白"}
DATA_DIR = Path(__file__).parent / "data"


def nfkc_keep_circled(text: str) -> str:
    """NFKC (full-width digits and letters folded) that leaves ①–⑳ as they are."""
    folded = unicodedata.normalize("NFKC", text.translate(_PROTECT))
    return _RESTORE.sub(lambda m: _CIRCLED[int(m.group(1))], folded)


# PDF extraction spaces out labels and units: 「経費 B 2」「5 割未満」「25 点以上」 are searched as B2 / 5割 / 25点.
_SPACED_LABEL = re.compile(r"(?<=[a-z])[ \t]+(?=\d)|(?<=\d)[ \t]+(?=[割分万億円人名点社%年])"
                           # 「K P I」: an acronym the PDF spaced letter by letter
                           r"|(?<=(?<![a-z])[a-z]) (?=[a-z](?![a-z]))"
                           # 「アウト プット ベース」: a katakana word the PDF broke with a space (Japanese puts none)
                           r"|(?<=[ァ-ヶー]) (?=[ァ-ヶー])")


def normalise_key(text: str) -> str:
    """NFKC + width folding + dash/wave variants + lower case + PDF-spaced labels closed up, keeping ①–⑳
    distinct from digits."""
    return _SPACED_LABEL.sub("", nfkc_keep_circled(text).translate(_WAVE_DASH).lower())


_local = threading.local()


_dictionary_lock = threading.Lock()
_loaded: list[object] = []


def _dictionary():  # type: ignore[no-untyped-def]
    # Loaded once under a lock: lru_cache does not stop concurrent first calls from each loading their own
    # copy (measured: 10 concurrent first requests left ~10 dictionaries alive, 2 GB RSS, one per tokenizer).
    if not _loaded:
        with _dictionary_lock:
            if not _loaded:
                from sudachipy import dictionary

                _loaded.append(dictionary.Dictionary(dict="core"))
    return _loaded[0]


def _tokenizer():  # type: ignore[no-untyped-def]
    # SudachiPy tokenizers are not thread-safe: one per thread, all sharing one loaded dictionary.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _dictionary().create()
    return tokenizer


@lru_cache(maxsize=1)
def _split_mode():  # type: ignore[no-untyped-def]
    from sudachipy import tokenizer

    return tokenizer.Tokenizer.SplitMode.A


def tokenize(text: str, as_written: bool = False) -> list[str]:
    """SudachiPy mode-A tokens of the normalised key (dictionary forms, or as written in the key when
    `as_written`: 「受付」 stays 「受付」 where its dictionary form is 「受け付け」), content words only.

    Adjacent content tokens are also joined into bigrams (「交付」「上限」→「交付上限」) so compounds that
    mode A splits still score as units.
    """
    key = normalise_key(text)
    if not key.strip():
        return []
    tokens: list[str] = []
    for morpheme in _tokenizer().tokenize(key[:20000], _split_mode()):
        pos = morpheme.part_of_speech()[0]
        if pos in _DROP_POS:
            tokens.append("")  # a break: no bigram across particles or punctuation
            continue
        surface = morpheme.surface()
        tokens.append(surface if surface in _CIRCLED or as_written else morpheme.normalized_form().lower())
    unigrams = [t for t in tokens if t]
    bigrams = [a + b for a, b in zip(tokens, tokens[1:], strict=False) if a and b]
    return unigrams + bigrams


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, Any]:
    """synonyms.toml, read once: every vocabulary table below is a view of it."""
    return tomllib.loads((DATA_DIR / "synonyms.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    data = _vocabulary()
    groups = tuple(tuple(normalise_key(w) for w in group) for group in data["groups"])
    stops = tuple(sorted((normalise_key(s) for s in data["stop_phrases"]), key=len, reverse=True))
    return groups, stops


@lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[str, ...], ...]:
    data = _vocabulary()
    return tuple(tuple(normalise_key(w) for w in group) for group in data.get("programme_aliases", []))


@lru_cache(maxsize=1)
def measure_short_names() -> dict[str, tuple[str, ...]]:
    """Each catalogue measure's 施策名 with the short names officers use for it (`measure_short_names` in
    synonyms.toml), as written."""
    data = _vocabulary()
    return {measure: tuple(shorts) for measure, *shorts in data.get("measure_short_names", [])}


@lru_cache(maxsize=1)
def _document_names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = _vocabulary()
    return tuple((source, tuple(names)) for source, *names in data.get("document_names", []))


def document_named(text: str) -> str | None:
    """The corpus file of the one document the text names by an officer's name for it (`document_names` in
    synonyms.toml: 「施策集」「制度概要」), else None (neither, or both)."""
    named = {source for source, names in _document_names() if any(n in text for n in names)}
    return named.pop() if len(named) == 1 else None


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = _vocabulary()
    out = []
    for short, long, *written_out in data.get("abbreviations", []):
        # not where the long form is already written (マイナ|ンバー), nor a longer spelling listed with it
        tails = [long[len(short) :]] if long.startswith(short) else []
        guard = "".join(f"(?!{re.escape(t)})" for t in [*tails, *written_out] if t)
        edge, after = (r"(?<![A-Za-z])", r"(?![A-Za-z])") if short.isascii() else ("", "")
        out.append((re.compile(f"{edge}{re.escape(short)}{after}{guard}"), long))
    return tuple(out)


@lru_cache(maxsize=1)
def element_names() -> tuple[str, ...]:
    """The names the documents give the elements ①～⑤ (their synonym groups: 「④事業」 with 進出支援事業, 進出支援金),
    as written in synonyms.toml."""
    data = _vocabulary()
    return tuple(w for group in data["groups"] if re.fullmatch("[①-⑤]事業", group[0]) for w in group[1:])


def expand_abbreviations(text: str) -> str:
    """The text with officers' short forms (サテオフ, SO, 特交 …) written out as the documents write them
    (`abbreviations` in synonyms.toml). Only for reading the question; nothing quoted from the documents changes."""
    for pattern, long in _abbreviations():
        text = pattern.sub(long, text)
    return text


def programme_aliases(name: str) -> tuple[str, ...]:
    """The search keys of every name of the programme `name` is one name of (itself when none is listed)."""
    key = normalise_key(name)
    for group in _aliases():
        if key in group:
            return group
    return (key,)


@lru_cache(maxsize=1)
def known_programme_names() -> tuple[str, ...]:
    """Every listed name of a programme the documents describe (search keys), longest first."""
    return tuple(sorted({name for group in _aliases() for name in group}, key=len, reverse=True))


def strip_stop_phrases(text: str) -> str:
    key = normalise_key(text)
    for phrase in _lexicon()[1]:
        key = key.replace(phrase, " ")
    return key


def expand_synonyms(text: str) -> list[str]:
    """Words of every synonym group the text mentions, minus those it already contains."""
    key = normalise_key(text)
    extra: list[str] = []
    for group in _lexicon()[0]:
        if any(word in key for word in group):
            extra.extend(word for word in group if word not in key)
    return extra


_SET_AGAINST = re.compile(r"\s*(?:以外|の?ほか|とは別|と(?:比べ|比較|並べ|の違い))")


@lru_cache(maxsize=1)
def _subject_names() -> re.Pattern[str]:
    names = _vocabulary().get("subject_names", [])
    return re.compile("|".join(f"(?:{n})" for n in names)) if names else re.compile(r"(?!)")  # in the listed order


def strip_subject_names(key: str) -> str:
    """The search key without the name of the programme every line is about (`subject_names` in synonyms.toml),
    unless nothing else would be left to search for."""
    # a name set against others (「テレワーク型以外の…」「…型と並べて」) is what the question is about
    stripped = _subject_names().sub(lambda m: m.group(0) if _SET_AGAINST.match(key, m.end()) else " ", key)
    return stripped if re.search(r"[\u4e00-\u9fff\u30a1-\u30fa\u30fc]{2,}", stripped) else key


def query_tokens(question: str, use_synonyms: bool = True) -> list[str]:
    """Keyword-index tokens for a question: stop phrases out, synonyms in."""
    key = strip_stop_phrases(question)
    tokens = tokenize(key)
    if use_synonyms:
        # Each synonym adds its whole-word form once; its sub-word pieces would outweigh the question's own
        # words (measured: expanding into all tokens cost 6 points of recall@5 on the dev set).
        seen = set(tokens)
        for word in expand_synonyms(key):
            for token in tokenize(word)[-1:]:
                if token not in seen:
                    seen.add(token)
                    tokens.append(token)
    return tokens
