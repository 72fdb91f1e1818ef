"""Do the documents cover this question at all? Checks that run before an answer is trusted.

Each returns the reason to decline (Japanese, shown to the officer before the contact) or None. They look for
what a retrieval score cannot see: a budget year, a programme or the very thing asked about that the
documents never mention, or a question about plans the documents cannot know.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer import expected_type, programme_names
from assistant.japanese import expand_synonyms, normalise_key, programme_aliases, tokenize
from assistant.question import INTERROGATIVE
from assistant.types import Passage

_FISCAL_YEAR = re.compile(r"(令和|平成)\s*(\d+|元)\s*年度?|(20\d{2})\s*年度")
# Relative years: the documents are fixed in time, so next year's budget, call or plans are beyond them (but
# 「次年度以降も実施計画を作る必要が」 asks about a rule they state).
_FUTURE = re.compile(
    r"(?:来年度|次年度|再来年度?|翌年度|今後)(?:の|以降(?:の|も|は)?|は|も|に)?[^。？?]{0,8}?(?:予算|募集|公募|予定|スケジュール|実施されます|ありますか)"
)
# The thing asked about: the compound right before 「は何…」「を教えて」 (「税額控除率は何％」). Only that compound
# can decline a question: the places and programmes it belongs to (「遠野市の…」) are the officer's own context.
_FOCUS = re.compile(
    r"([一-龥ァ-ヶーA-Za-zＡ-Ｚａ-ｚ・]{2,})(?:は|を|って|とは|と、?それぞれの)(?:何|いくら|いくつ|どの|どれ|どう|いつ|誰|どこ|教えて|一覧)"
)

AMOUNT_WINDOW = 200  # characters around a programme's name in which its amount must be stated


def unknown_fiscal_years(question: str, corpus_key: str) -> list[str]:
    """Fiscal years the question names that the documents never mention — in the sense asked: a budget year
    must appear with a budget (令和6年度 appears as a plan year, but no 令和6年度 budget is described), a
    call-for-applications year with 募集. 令和5年度 and 2023年度 are the same year."""
    key = normalise_key(question)
    if "予算" in key:
        asked = r"度?.{0,6}(?:予算|補正|当初)"
    elif re.search(r"募集|公募|申請受付|受付開始", key):
        asked = r"度?.{0,6}募集"
    else:
        asked = ""
    unknown = []
    for written, names, end in _fiscal_years(key):
        # 「令和3年度補正で採択された町です。今回の募集で…」: a year the asker was adopted in is told, not asked about;
        # the documents name those adoptions (「デジ田推進交付金（R3補正）採択団体」)
        context = "" if re.search(r"採択", key[end : end + 30].split("。")[0]) else asked
        if not any(re.search(re.escape(name) + context, corpus_key) for name in names):
            unknown.append(written)
    return unknown


def _fiscal_years(key: str) -> list[tuple[str, set[str], int]]:
    """Each fiscal year a search key names, as written, with every way of writing it (令和5年 = 2023年, R5), and
    where it ends."""
    found = []
    for m in _FISCAL_YEAR.finditer(key):
        era, number, western = m.groups()
        names = {f"{western}年"} if western else {f"{era}{number}年"}
        year = int(western) if western else (2018 if era == "令和" else 1988) + (1 if number == "元" else int(number))
        names |= {f"{year}年", f"令和{year - 2018}年" if year > 2018 else f"平成{year - 1988}年"}
        if year > 2018:
            names.add(f"r{year - 2018}")  # (lower case in a search key) the tables' short form (「デジ田推進交付金（R3補正）」)
        found.append((m.group(0), names, m.end()))
    return found


def absent_focus(question: str, corpus_key: str) -> str | None:
    """The compound asked about when neither it nor any of its words (or their synonyms) occurs anywhere
    in the documents: 「税額控除率は何％」, 「従業員数を教えて」. Single words are left alone (「比率」 is
    a paraphrase of 割合, not a new topic); so are compounds with an interrogative in them (「月何日」)."""
    for focus in _FOCUS.findall(question):
        if INTERROGATIVE.search(focus) or len(focus) < 4:
            continue
        words = [t for t in tokenize(focus) if len(t) >= 2]
        if len(words) < 2:
            continue
        # (a word is found in the documents as they write it, not only in its dictionary form: 受付, not 受け付け)
        words += [t for t in tokenize(focus, as_written=True) if len(t) >= 2]
        keys = {normalise_key(w).replace(" ", "") for w in words}
        keys |= {w.replace(" ", "") for w in expand_synonyms(focus) if len(w) >= 2}
        if not any(k in corpus_key for k in keys):
            return focus
    return None


# The documents describe the programme and a few adopted examples; they list no participants.
_TOOK_PART = (r"(?:進出した|入居(?:した|している)|採択された|不採択(?:に|と)?(?:なった|の)|応募した|参加(?:した|している)"
              r"|受託した|加入(?:した|している)|入会(?:した|している)|入っている)")
_PARTY_WORD = r"(?:自治体|団体|企業|会社|事業者|市町村)"
_PARTICIPANT_LIST = re.compile(
    rf"{_TOOK_PART}[^。？?]{{0,15}}?(?:社名|企業名|団体名|自治体名|名前|一覧|総数|リスト|{_PARTY_WORD}(?:は|が|や)?[^。？?]{{0,12}}?どこ)"
    # 「どこの団体が加入しているか」: which ones, asked before the verb
    rf"|どこの{_PARTY_WORD}(?:が|は)[^。？?]{{0,6}}?(?:入って|参加|加入|入会|受託|採択|進出|入居)"
)


def asks_for_participants(question: str) -> bool:
    """「進出した企業の社名」「採択された団体の一覧」: who took part, which the documents do not list."""
    return bool(_PARTICIPANT_LIST.search(normalise_key(question)))


def asks_about_the_future(question: str) -> bool:
    return bool(_FUTURE.search(question))


def amount_not_stated(question: str, passages: Sequence[Passage]) -> list[str]:
    """For 「<programme>の上限額はいくら」: the programmes named whose amount no passage states — neither in a
    passage about it (its section names it) nor within AMOUNT_WINDOW characters of where its name appears."""
    wanted = expected_type(question)
    names = programme_names(question)
    if not wanted or wanted[0] != "money" or not names:
        return []
    # a budget asked for a year (「令和4年度の予算は」) must be stated for that year, not for another one
    years = _fiscal_years(normalise_key(question)) if "予算" in question else []
    year_names = {name for _, names, _end in years for name in names}

    def for_the_year(text: str) -> bool:
        return not year_names or any(y in text for y in year_names)

    def stated(name: str, passage: Passage) -> bool:
        text, section = normalise_key(passage.text), normalise_key(passage.chunk.section)
        for alias in programme_aliases(name):  # under any of its names (「デジ田交付金」 is written out in the documents)
            if alias in section:
                if wanted[1].search(text) and for_the_year(text):
                    return True
                continue
            for m in re.finditer(re.escape(alias), text):
                window = text[max(0, m.start() - AMOUNT_WINDOW) : m.end() + AMOUNT_WINDOW]
                if wanted[1].search(window) and for_the_year(window):
                    return True
        return False

    asked_year = "・".join(written for written, _, _end in years)
    return [f"{n}（{asked_year}）" if asked_year else n for n in names if not any(stated(n, p) for p in passages)]
