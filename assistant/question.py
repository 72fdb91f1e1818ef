"""A question parsed once: what the answer path reads of it, instead of re-reading the raw string at each step.

`parse(text, history)` gives one frozen `Question`: the text as asked, its search key, the sentence that asks
(not the asker's story before it), its parts, the kind of fact asked for, the programmes it names, the grant
type, its quantities with their roles, whether it asks yes/no, a list or a definition, whether it is too vague
to answer, and — for a follow-up — the topic carried from earlier turns and the retrieval query built from it.

The question-word vocabulary lives here too, so that every step means the same thing by "asks": one list of
interrogatives (「どの」 only as a word: 「ほどの」 asks nothing), one of yes/no endings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.quantities import Quantity
    from assistant.types import Turn

# A wh-question word. 「どの」 after 「ほ」 is 「ほどの」 (about), 「何」 in 「何卒」 is a courtesy.
# (「どちらも」「どれも」「どっちも」 say "both / all", not "which")
INTERROGATIVE = re.compile(r"何(?!卒)|いくつ|いくら|幾ら|幾つ|いつ|どこ|(?<!ほ)どの|誰|どう(?!せ|も|ぞ|か[、,])|どれ(?!も)|どんな|どちら(?!も)|どっち(?!も)")
# A wh-word that asks, not an indefinite one: 「何か条件は」「どこかに」 ask nothing (「何か月」「何か所」 do),
# nor does one that means "any" (「どの市町村でも」「どんな施設でも」).
_INDEFINITE = re.compile(r"か(?![月所国年])|も|[^、。？?]{0,12}?でも")


def asks_wh(sentence: str) -> bool:
    """The sentence asks a wh-question (what, how many, which …) or between alternatives (「…か、それとも…か」),
    so it is not answered by はい or いいえ."""
    return "それとも" in sentence or any(not _INDEFINITE.match(sentence, m.end()) for m in INTERROGATIVE.finditer(sentence))


# A yes/no ending: 「…できますか」「…対象ですか」「…ですよね？」.
YES_NO_END = re.compile(r"(?:ますか|ですか|でしょうか|ませんか|ですよね|ますよね|ますかね|でしたっけ|でしたよね)[?？]?\s*$")


@dataclass(frozen=True)
class Question:
    text: str  # as asked (validated), never changed: it is what the answer quotes back when it must
    key: str  # normalised search key (NFKC, ① kept)
    asking: str  # the sentence that asks, without the story before it
    parts: tuple[str, ...]  # the things it asks, one by one (a single part when it asks one thing)
    kind: str | None  # the kind of fact asked for (amount, rate, date …: answer.expected_type), if any
    names: tuple[str, ...]  # programmes it names
    grant_type: str | None  # 高水準 / 標準, if named
    quantities: tuple[Quantity, ...]  # amounts, head-counts, periods … with their roles
    yes_no: bool  # asks for a verdict (and no wh-word)
    vague: bool  # nothing but a generic word (「上限は？」) and no earlier topic
    defines: str | None  # X of 「Xとは？」「「X」って、どの…のこと？」
    carried: str = ""  # a follow-up's topic from the earlier turns
    query: str = ""  # what retrieval searches: the carried topic and the question
    document: str | None = None  # the corpus file of the one document it names (「施策集では…」), if any

    @property
    def is_follow_up(self) -> bool:
        return bool(self.carried)


def parse(text: str, history: Sequence[Turn] = ()) -> Question:
    from assistant import conversation, question_parts
    from assistant.answer import defined_term, expected_type, is_vague, programme_names
    from assistant.japanese import document_named, normalise_key
    from assistant.quantities import read_quantities
    from assistant.vocabulary import grant_type_of

    rewritten = conversation.rewrite(text, history)
    parts = tuple(question_parts.split_question(text))
    wanted = expected_type(text)
    asking = question_parts.asking_sentence(text)
    return Question(
        text=text,
        key=normalise_key(text),
        asking=asking,
        parts=parts,
        kind=wanted[0] if wanted else None,
        names=tuple(programme_names(text)),
        grant_type=grant_type_of(text),
        quantities=read_quantities(text),
        yes_no=bool(YES_NO_END.search(asking.strip())) and not asks_wh(asking),
        vague=not rewritten.carried and any(is_vague(p) for p in {text, *parts}),
        defines=defined_term(text),
        carried=rewritten.carried,
        query=rewritten.query,
        document=document_named(text),
    )
