"""Questions that ask two things at once, split into parts answered one by one.

Officers often write 「…の担当課と予算額を教えてください」, 「研修の講師は何人いて、前年度は何か所で開かれましたか」
or two questions in one message. One extractive answer keeps only the lines nearest the strongest part, so
each part is answered on its own and the answers are joined. Splitting is conservative: a part must ask
something by itself, and at most MAX_PARTS are made.
"""

from __future__ import annotations

import re

from assistant.answer import expected_type
from assistant.question import INTERROGATIVE

MAX_PARTS = 3
MIN_CLAUSE_CHARS = 7  # 「伝道師は何人いて」 asks on its own; 「どの段階で」 does not
# Something a clause asks: an interrogative, or a request / question ending.
_ASKS = re.compile(rf"{INTERROGATIVE.pattern}|教えて|ますか|ですか|でしたか|でしょうか|[?？]"
                   r"|ください|下さい|お願いします|願います|伺え|伺い|ご教示|お聞かせ|(?:あわせて|併せて)。?$")  # (「…も知りたいです」 often only widens the ask before it)
# A sentence that tells rather than asks (the asker's situation): it ends in 。 without a
# question or request form before it.
_STATEMENT = re.compile(r"(?<!か)(?<!かね)(?<!かな)(?<!ください)(?<!下さい)(?<!たい)(?<!ほしい)(?<!欲しい)(?<!願います)(?<!教えて)"
                        r"(?<!お願いします)(?<!あわせて)(?<!併せて)。$")  # 「…もあわせて。」 asks too
# A request said as a wish (「…も教えていただけると助かります。」「…を伺えれば幸いです。」): it ends in 。 like a
# statement but asks, so it is a part of its own and not the story of the ask before it.
_POLITE_REQUEST = re.compile(r"(?:教えて|伺え|伺い|ご教示|お聞かせ|確認させて|お知らせ)[^。]*?"
                             r"(?:助かります|幸いです|ありがたいです|有難いです|有り難いです|嬉しいです|うれしいです)。?$")
# 「講師は何人いて、前年度は何か所で…」「予算はいくらで、地方負担は…」: a clause with its own interrogative.
_CLAUSE_BREAK = re.compile(r"(?<=[てで])、|(?<=か)、")
# 「…事業の担当課と予算額を教えて」: two nouns joined by と under one subject.
_TWO_NOUNS = re.compile(
    r"^(?P<pre>.*?の)(?P<x>[一-龥ァ-ヶー・]{2,10})と(?:、)?(?P<y>[一-龥ァ-ヶー・]{2,10})(?P<post>(?:を|は|について|が).*)$"
)


_OPENING, _CLOSING = "「『（(", "」』）)"
_QUOTED = re.compile(r"「[^「」]*」|『[^『』]*』")


def _unquoted(sentence: str) -> str:
    """The sentence without what it quotes: 「住民から『…って何？』と聞かれます」 reports a question, asks none."""
    return _QUOTED.sub("", sentence)


def _sentences(question: str) -> list[str]:
    """The question's sentences, each with its end mark; a mark inside brackets (a quoted question) ends none."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(question):
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
        elif ch in "。？?！!" and depth == 0:
            out.append(question[start : i + 1])
            start = i + 1
    out.append(question[start:])
    return [s for s in out if s.strip()]


def split_question(question: str) -> list[str]:
    """The parts of a question that each ask something; [question] when it asks one thing."""
    parts: list[str] = []
    pending = ""  # statements about the asker's case before any question: they belong to the next one
    for sentence in (s.strip() for s in _sentences(question.strip())):
        if not sentence:
            continue
        told = _STATEMENT.search(sentence) and not _POLITE_REQUEST.search(sentence)
        if told or not _ASKS.search(_unquoted(sentence)):
            if parts:
                parts[-1] += sentence  # a statement after a question belongs to it
            else:
                pending += sentence
            continue
        pieces = _split_sentence(sentence)
        if len(pieces) == 1:
            pieces[0] = pending + pieces[0]  # a question after the story: the story is its context
        pending = ""  # (the story before a sentence of several asks is the whole question's context, not a later part's)
        parts.extend(pieces)
    if pending and not parts:
        parts.append(pending)
    # (a story before a sentence that asks several things is the whole question's context: the whole question
    # is searched with it, each part without it)
    parts = [p for p in parts if p]
    if len(parts) > MAX_PARTS or len(parts) < 2:
        return [question]
    if not all(_ASKS.search(p) for p in parts):
        return [question]
    return parts


# 「担当課と電話番号、それと予算額を教えて」「予算額と、前年度の参加企業数を教えて」: asks listed one after another,
# the request said once at the end
# (「…か、それとも…か」 offers alternatives: one ask)
_LISTED_ASKS = re.compile(r"と?、(?:それと(?!も)|それから|あと|あわせて|併せて|加えて|また)、?|と、")
# the request that ends the last listed ask (「を教えてください。」), which each earlier one shares
_SHARED_REQUEST = re.compile(r"(?:のか)?(?P<request>(?:を|は|について|が|も)[^をはがも、]*)$")
# 「AとBではどう違う」「AとBを比べると」: one question about both, not two asks
_COMPARES_BOTH = re.compile(r"違い|違う|異な|比べ|比較|差|共通|同じ|両方|それぞれ|どちら|どっち")


def _listed_asks(sentence: str) -> list[str]:
    """The asks of a sentence that lists them and says its request once (「XとY、それとZを教えてください」): each
    earlier one gets the shared request; [sentence] when it lists none or compares them."""
    pieces = [p for p in _LISTED_ASKS.split(sentence) if p.strip()]
    request = _SHARED_REQUEST.search(pieces[-1]) if len(pieces) >= 2 else None
    if request is None or _COMPARES_BOTH.search(sentence) or len(pieces) > MAX_PARTS:
        return [sentence]
    asks = [p if _ASKS.search(p) else p + request.group("request") for p in pieces[:-1]]
    if any(len(p) < MIN_CLAUSE_CHARS for p in pieces):
        return [sentence]
    return [*asks, pieces[-1]]


def _split_sentence(sentence: str) -> list[str]:
    listed = _listed_asks(sentence)
    if len(listed) > 1:
        return listed
    pieces = [p for p in _CLAUSE_BREAK.split(sentence) if p.strip()]
    # a topic before the asking clauses (「X事業って、担当はどこで、予算はいくらか」) goes with each of them
    topic = ""
    while len(pieces) > 2 and not INTERROGATIVE.search(pieces[0]):
        topic += pieces.pop(0) + "、"
    # 「どの段階で、何を提出すれば」 is one question: a clause of an interrogative and a word or two is an adverbial.
    # (three such clauses — 「いつ始まって、何人が集まっていて、どんな議題を…」 — are three asks as well)
    if 2 <= len(pieces) <= MAX_PARTS and all(INTERROGATIVE.search(p) and len(p) >= MIN_CLAUSE_CHARS for p in pieces):
        return [topic + p for p in pieces]
    m = _TWO_NOUNS.match(sentence)
    # 「上限額と措置率」 are two kinds of fact the answer already looks for together; split only other pairs (an office
    # in charge is stated on its contact line, apart from any figure: 「担当課と予算額」 is two asks). A pair in a
    # clause before the ask (「会社と町をつなぐ仕組みと聞きましたが、…」) is the story's, not two asks.
    kinds = [expected_type(m.group(g)) for g in ("x", "y")] if m else []
    together = all(kinds) and not any(k is not None and k[0] in ("contact", "office") for k in kinds)
    if m and not INTERROGATIVE.search(m.group("pre")) and "、" not in m.group("post") and not together:
        pre, post = m.group("pre"), m.group("post")
        return [f"{pre}{m.group('x')}{post}", f"{pre}{m.group('y')}{post}"]
    return [sentence]


SHORT_ASK_CHARS = 20


def split_sentences(question: str) -> list[str]:
    """The question's sentences, each with its end mark (。？！)."""
    return _sentences(question)


# A sentence that asks or requests: a question mark, a closing か, or a request form.
_ASKING_FORM = re.compile(r"[?？]|か。?$|ください|下さい|教えて|知りたい|たい。?$")


def asks(sentence: str) -> bool:
    """The sentence asks or requests something (what it quotes left out: a reported question asks nothing)."""
    said = _unquoted(sentence).strip()
    return _ASKING_FORM.search(said) is not None or _POLITE_REQUEST.search(said) is not None


def story(question: str) -> str:
    """The sentences before the question's first ask (the asker's situation: 「④の進出支援金の要綱を作っています。」),
    which say what every later ask is about."""
    told = []
    for sentence in split_sentences(question):
        if asks(sentence):
            break
        told.append(sentence)
    return "".join(told).strip()


def asking_sentence(question: str) -> str:
    """The sentence that asks (the last one with a question or request form), without the story before it. A short
    last ask that adds to the one before it (「…いつまでですか？時間も決まってます？」) is read with that one."""
    sentences = split_sentences(question)
    asking = [s for s in sentences if asks(s)]
    adjacent = len(asking) >= 2 and sentences.index(asking[-1]) - sentences.index(asking[-2]) == 1
    if adjacent and len(asking[-1].strip()) <= SHORT_ASK_CHARS:
        return asking[-2] + asking[-1]
    return (asking or sentences or [question])[-1]


MEANING_CHARS = 96  # e5 time grows with length (≈ 45 ms at 60 characters on two cores); the asking part suffices


def meaning_text(question: str, carried: str = "") -> str:
    """What the meaning feature embeds: the asking sentence (not the asker's story), after the topic a
    follow-up carries from earlier turns, both without the programme's own name (every card is about it: with it,
    the cards that repeat the title come closest); at most MEANING_CHARS, the end kept."""
    from assistant.japanese import strip_subject_names

    asked = strip_subject_names(asking_sentence(question)).strip()
    carried = strip_subject_names(carried).strip()
    text = f"{carried}\n{asked}" if carried else asked
    return text[-MEANING_CHARS:]
