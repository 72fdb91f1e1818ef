"""Yes/no verdicts from the rule a line states about the asker's own case.

An officer describes a case (「中核市である当市が…」「法人格のない任意団体を…」「市内に本社がある企業に…」
「出資金5億円の第三セクター…」) and asks whether it is covered. The documents state the rule from one side:
an exclusion list (「…及び中核市を除く」), a requirement (「法人格を有する組織であること」「区域外の企業」
「所在都道府県内に事業所」), or an exception to an exclusion (「官公庁等（第三セクターのうち、出資金が10億円
未満の法人…を除く。）ではないこと」). The verdict compares the case with that rule:
- the case is named in an exclusion list → いいえ; named in an exception to an exclusion (the list is inside
  「…（…を除く。）ではないこと」) and meets its threshold → はい;
- the case lacks what a requirement says it must have (「法人格のない」 vs 「法人格を有する」) → いいえ;
- the case is on the other side of a place requirement (区域内 vs 区域外, 他県 vs 都道府県内) → いいえ.
Nothing found → no verdict (the answer stays as drafted). Matching uses normalised keys; the lines quoted
back are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.japanese import normalise_key

# 「…できますか」「…ですよね」, and spoken forms: …ます？ and a potential verb ending in る？
_YES_NO = re.compile(r"(?:ますか|ですか|でしょうか|ませんか|よいですか|いいですか|ですよね|でしたよね|ますよね|ませんよね)(?:ね|な)?[?？。]?\s*$"
                     r"|(?:ます|(?:[えけせてねべめれ]|でき)る)[?？]\s*$")
_EXCLUSION = re.compile(r"([^。（(]{2,80}?)(?:を|は)除く")
# Kinds of 団体 that a 町 or 村 never is, and a case that is a 町 or 村 (「…の村でも」「うちの町は」)
_NOT_A_TOWN = ("都道府県", "特別区", "指定都市", "政令指定都市", "中核市")
# 「…の村でも使えますか？」「町も対象になりますか」: the sentence asks whether the town itself is covered
_TOWN_ASKS_ITSELF = re.compile(r"(?:町|村)(?:でも|も|は)\s*(?:対象|使え|申請|活用|利用)[^。？?、]{0,10}?(?:か|でしょうか)[？?]?\s*$")
_CASE_TOWN = re.compile(r"(?<![市区])(?:町|村)(?:でも|では|は|が|として|です|なので|の場合)|(?:うち|当|本|わが)の?(?:町|村)(?!内|外|民)")
# A list of what is not covered (「■ 対象外経費（以下の経費については…対象外とする）」): an item's own 「（…は除く）」
# takes something out of the exclusion, so that is covered.
_EXCLUDED_LIST = re.compile(r"対象外")
_ITEM_WITH_EXCEPTION = re.compile(r"^[-・•\s]*([^（(]{2,40})[（(]([^）)]{2,60}?)(?:を|は)除く[。]?[）)]\s*$")
# 「…であることをもって対象外とはしない」: a rule that something is not excluded
_NOT_EXCLUDED = re.compile(r"対象外と(?:は)?(?:しない|ならない)")
_LIST_SPLIT = re.compile(r"、|，|及び|並びに|又は|または|・|，|\s")
_NOUN = re.compile(r"[一-龥ァ-ヶー]{3,}")
_GENERIC = {"地方公共団体", "事業", "法人", "団体", "企業", "億円未満", "万円未満", "地方公共団体から補助"}
_AMOUNT_LIMIT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(億|千万|百万|万)?円(未満|以下|以上|超)")
_QUESTION_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(億|千万|百万|万)?円")
_UNITS = {"億": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, None: 1, "": 1}
# A requirement the case lacks: the line says 「Xを有する」, the question 「Xのない」「Xがない」「Xを持たない」.
_HAS = re.compile(r"([一-龥ァ-ヶー]{2,8})を有する")
# a case said to lack what a requirement asks for, in other words than its name
_LACKING = {"法人格": r"法人化(?:は|も)?(?:して(?:い)?(?:ない|ません)|されて(?:い)?(?:ない|ません))|個人事業主|任意団体|法人ではな"}
# Place requirements and the case's own side of them.
_OUTSIDE_REQUIRED = re.compile(r"区域外の")
_CASE_INSIDE = re.compile(r"(?:市内|町内|村内|区域内|当市|当町|当村|地元|同じ市|同じ町)(?:に|の)?(?:本社|本店|本拠|所在|ある|会社|企業|事業者)")
_INSIDE_PREF_REQUIRED = re.compile(r"所在都道府県内に事業所")
_CASE_OTHER_PREF = re.compile(r"隣の県|他県|県外|他の都道府県|別の県|隣県")
# The case has an office inside the prefecture (whatever else it has elsewhere), unless it says it has none there.
# (an office in the asker's own town is one in its prefecture too; a campus is a school's office)
_CASE_IN_PREF = re.compile(r"(?:県内|都内|府内|道内|市内|町内|村内)(?:に|にも)[^。、？?]{0,14}?"
                           r"(?:事業所|拠点|支店|支社|営業所|事務所|工場|キャンパス|校舎|店舗|支部)"
                           r"(?![^。？?]{0,6}(?:ない|ありません|無い))")
_OUTSIDE_PREF_REQUIRED = re.compile(r"所在都道府県外の(?:企業|団体|法人)")
_CASE_SAME_PREF = re.compile(r"同じ県内|同じ県の|同県内?の|県内の(?:隣|別|他)|県内に(?:本社|本店|事業所)")


@dataclass(frozen=True)
class Verdict:
    word: str  # はい / いいえ
    reason: str  # one short clause in the documents' terms
    line: str  # the line (verbatim) that states the rule
    of_a_duty: bool = False  # whether a duty the asker presumes holds (「必ず…しないと…できない」), already put that way


def _names(term: str, question: str) -> bool:
    """The question names the term as a whole word: 「都道府県外の企業」 does not name 「都道府県」."""
    return any(not re.match(r"[一-龥ァ-ヶー]", question[m.end() : m.end() + 1])
               for m in re.finditer(re.escape(term), question))


# where an asker places a municipality outside the Tokyo area: the phrase itself, a region, or a prefecture of it
_OUTSIDE_REGIONS = re.compile(r"東京圏外|北海道|東北|北陸|甲信越|東海|中部|関西|近畿|中国地方|山陰|山陽|四国|九州|沖縄")


def _outside_tokyo_area(question: str) -> bool:
    from assistant.calculators.eligibility import PREFECTURES, TOKYO_AREA

    return bool(_OUTSIDE_REGIONS.search(question)) or any(p in question for p in PREFECTURES if p not in TOKYO_AREA)


def _amount(number: str, unit: str | None) -> float:
    return float(number.replace(",", "")) * _UNITS.get(unit, 1)


def _in_exception(line: str, end: int) -> bool:
    """「官公庁等（第三セクターのうち…を除く。）ではないこと」: the list is an exception to an exclusion."""
    return bool(re.match(r"[。]?\s*[）)]\s*(?:ではない|でない)", line[end : end + 12]))


def _threshold_met(item: str, question: str) -> bool | None:
    """An exception with a limit (「出資金が10億円未満の法人」) and the case's amount (「出資金5億円」)."""
    limit = _AMOUNT_LIMIT.search(item)
    stated = _QUESTION_AMOUNT.search(question)
    if limit is None or stated is None:
        return None
    bound, value = _amount(limit.group(1), limit.group(2)), _amount(stated.group(1), stated.group(2))
    return {"未満": value < bound, "以下": value <= bound, "以上": value >= bound, "超": value > bound}[limit.group(3)]


def _exception_met(item: str, question: str) -> bool | None:
    """「出資金が10億円未満の法人又は地方公共団体から補助を受けている法人」: the case meets the exception when it meets
    any alternative — a limit by its amount, another by the case naming what that alternative states."""
    alternatives = [a for a in re.split(r"又は|または|若しくは|もしくは", item) if a.strip()]
    results = []
    for alternative in alternatives:
        limit = _threshold_met(alternative, question)
        if limit is not None:
            results.append(limit)
            continue
        # who gives (地方公共団体, 市町村) is named by the case as one of them (県, 市): what is received must be named
        nouns = [n for n in _nouns(re.sub(r"(?:の)?(?:法人|団体|者)\s*$", "", alternative))
                 if not re.fullmatch(r"地方公共団体|市町村|都道府県|自治体", n)]
        if nouns and all(_names(n, question) for n in nouns):
            # 「補助は受けていない」 names the alternative to deny it
            results.append(not any(_denied(n, question) for n in nouns))
    return True if any(results) else (False if results else None)


# A denial right after a term (「補助は受けていない」「事業所はありません」): the case says it lacks the term.
_DENIAL = re.compile(r"^[はをがもの]?[ぁ-んァ-ヶ一-龥]{0,6}?(?:ていない|てない|ていません|ません|ない|無い|なし)")


def _denied(term: str, question: str) -> bool:
    """Every mention of `term` in the question is followed by a denial."""
    ends = [m.end() for m in re.finditer(re.escape(term), question)]
    return bool(ends) and all(_DENIAL.match(question[end : end + 12]) for end in ends)


def _other_route(rest: str, question: str, excluded: str, before: str) -> str:
    """The alternative a rule offers right after an exclusion (「…を除く）又は、…を含むコンソーシアム」), when the
    case names it without denying it: the alternative's own noun, else ''. A noun the rule already used before the
    exclusion (「…を含む市町村（…を除く。）又は…の市町村」) is what both sides share, not another route."""
    alternative = re.match(r"[。]?\s*[）)]?\s*(?:又は|または|若しくは)[、,]?\s*([^。]{2,60})", rest)
    if alternative is None:
        return ""
    for noun in _nouns(alternative.group(1)):
        if (noun != excluded and noun not in _PROGRAMME_WORDS and noun not in before and _names(noun, question)
                and not _denied(noun, question)):
            return noun
    return ""


def _named_terms(question: str) -> str:
    """The question's key with the other names of what it names (「政令市」 also names 「政令指定都市」)."""
    from assistant.japanese import expand_synonyms

    q = normalise_key(question)
    return " ".join([q, *expand_synonyms(q)])


def _qualified(item: str, run: str, q: str) -> bool:
    """An item 「AのB」 names the case only when the question names A too: 「地方公共団体職員の人件費」 is not
    the 人件費 of a contractor's staff."""
    head = item[: item.find(run)] if run in item else ""
    if "の" not in head:
        return True
    return any(_names(n, q) for n in re.findall(r"[一-龥ァ-ヶー]{2,}", head))


def _nouns(text: str) -> list[str]:
    return [n for n in re.findall(r"[一-龥ァ-ヶー]{2,}", text) if n not in _GENERIC]


def is_yes_no(question: str) -> bool:
    """「…できますか」「…ダメなんですか？」: a question answered by はい or いいえ — not 「…はどういう内容でしょうか」,
    whose ending is the same but whose sentence asks a wh-question."""
    from assistant.question import asks_wh
    from assistant.question_parts import split_sentences

    said = question.strip()
    if not _YES_NO.search(said):
        return False
    return not asks_wh((split_sentences(said) or [said])[-1])


def decide(question: str, lines: Sequence[str | tuple[str, str]]) -> Verdict | None:
    """The verdict from the first line (with its section, when given) stating a rule about the asked case."""
    if not is_yes_no(question):
        return None
    from assistant.question_parts import split_sentences

    q = _named_terms(question)
    asked_kind = _named_terms(split_sentences(question)[-1])  # the sentence that asks
    for entry in lines:
        line, section = (entry, "") if isinstance(entry, str) else entry
        key = normalise_key(line)
        item = _ITEM_WITH_EXCEPTION.match(key)
        if item and _EXCLUDED_LIST.search(section.split(" > ")[-1]):
            excepted = [n for n in _nouns(item.group(2)) if _names(n, q)]
            if excepted:  # the case is what the item's exception takes out of the exclusion
                return Verdict("はい", f"{item.group(2)}は対象外経費から除かれており、対象となり得ます", line)
            listed = [n for n in _nouns(item.group(1)) if _names(n, q)]
            if listed:
                return Verdict("いいえ", f"{item.group(1).strip()}は原則として対象外経費です", line)
            continue
        if _NOT_EXCLUDED.search(key):
            before = key[: _NOT_EXCLUDED.search(key).start()]  # type: ignore[union-attr]
            shared = [n for n in dict.fromkeys(_nouns(before)) if _names(n, q)]
            if len(shared) >= 2:  # the rule's own subject, named by the question
                return Verdict("はい", "、".join(shared[:2]) + "について、それだけで対象外とはされません", line)
        for m in _EXCLUSION.finditer(key):
            items = [i.strip("「」（）()") for i in _LIST_SPLIT.split(m.group(1)) if len(i.strip("「」（）()")) >= 2]
            # an item names the case when it, or a noun inside it (「第三セクターのうち」), is in the question
            named = [run for i in items for run in [i, *_NOUN.findall(i)]
                     if _names(run, q) and run not in _GENERIC and _qualified(i, run, q)][:1]
            if named and _denied(named[0], q):
                # 「中核市には移行していません」: the case says it is not what the rule excludes
                return Verdict("はい", f"{named[0]}ではないため、この除外には当たらず、対象となり得ます", line)
            if (items and all(i in _NOT_A_TOWN for i in items) and not any(_names(i, asked_kind) for i in items)
                    and (named and _CASE_TOWN.search(q) or _TOWN_ASKS_ITSELF.search(asked_kind))):
                # 「東京都の村でも使えますか」: a 町 or 村 is none of the kinds of 団体 excluded (都道府県, 特別区, 指定都市,
                # 中核市), whichever 都道府県 it is in — unless the sentence that asks is about one of those kinds
                # (「政令市も含まれますか」)
                kinds = f"{'・'.join(items)}のいずれにも" if len(items) > 1 else f"{items[0]}に"
                return Verdict("はい", f"町村は{kinds}当たらないため、この除外には当たらず、対象となり得ます", line)
            if not named:
                continue
            if _in_exception(key, m.end()):
                met = _exception_met(m.group(1), q)
                if met is False:
                    return Verdict("いいえ", f"{named[0]}は例外の条件を満たさず、対象外です", line)
                return Verdict("はい", f"{named[0]}は除外の例外にあたり、対象となります", line)
            if "東京圏内" in key[: m.start()] and _outside_tokyo_area(q):
                # the exclusion belongs to the Tokyo-area municipalities it qualifies; the case is outside that area
                return Verdict("はい", f"{named[0]}の除外は東京圏内の市町村についての定めで、東京圏外の地方公共団体は"
                               "対象となり得ます", line)
            route = _other_route(key[m.end():], q, named[0], key[: m.start()])
            if route:  # 「…を除く）又は、…を１以上含むコンソーシアム」 and the case is such a コンソーシアム
                return Verdict("はい", f"{named[0]}は単独では除かれていますが、{route}としてなら対象となり得ます", line)
            return Verdict("いいえ", f"{named[0]}は対象外です（除かれています）", line)
        for m in _HAS.finditer(key):
            if re.match(r"[^。、]{0,6}?(?:で|では)ない", key[m.end():]):
                continue  # 「…と関係を有する法人でないこと」: having it rules out, it is no requirement to have it
            need = m.group(1)
            lacks = _LACKING.get(need[-3:], "(?!)")
            if re.search(rf"{re.escape(need)}(?:の|が|は)(?:ない|無い|なし|ありません)|{re.escape(need)}を(?:持たない|有しない)|{lacks}", q):
                return Verdict("いいえ", f"対象外です（{need}を有することが要件です）", line)
        if _OUTSIDE_REQUIRED.search(key) and _CASE_INSIDE.search(q):
            return Verdict("いいえ", "対象外です（区域外の企業・団体が対象です）", line)
        if _INSIDE_PREF_REQUIRED.search(key) and _CASE_IN_PREF.search(q):  # 「本社は他県だが県内にも事業所」
            return Verdict("はい", "対象となり得ます（所在都道府県内に事業所があることが要件で、その事業所が当たります）", line)
        if _INSIDE_PREF_REQUIRED.search(key) and _CASE_OTHER_PREF.search(q):
            return Verdict("いいえ", "対象外です（所在都道府県内に事業所があることが要件です）", line)
        if _OUTSIDE_PREF_REQUIRED.search(key) and _CASE_SAME_PREF.search(q):
            return Verdict("いいえ", "該当しません（所在都道府県外の企業であることが要件です）", line)
    return None


# A coverage question (「…は対象になりますか」「…に使えますか」「…できますか」) about something a list names.
_COVERAGE_ASK = re.compile(r"対象|使え|使う|いけ(?:ます|る|そう)|とれ(?:る|ます)|(?:支援|補助|助成)(?:して)?(?:もらえ|いただけ)|充て|計上|認め|含め|でき|可能|無理|ダメ|だめ|見てもら|入れ(?:て|られ|ちゃ)|出せ|大丈夫|問題(?:な|あり)|OK"
                           # (not 「…と思っていいですか」「…と考えてよいか」: a belief to confirm, not a case to cover)
                           r"|(?<!思っ)(?<!考え)(?<!理解し)(?<!認識し)(?<!捉え)(?:て|で)(?:も)?(?:いい|良い|よい)(?:です|でしょう|んです)"
                           r"|アリ(?:です|でしょう|ですか|？|\?)|ありですか|ありでしょう")  # 「…ってアリですか」: allowed?
# Where a list says what is covered: the section or the line names it so (対象経費, 取組例, 補助対象者 …).
_LIMITED = re.compile(r"\d\s*(?:割|%|％|分の\d)\s*(?:以内|未満|以下|まで)|上限")
_LIMITS = re.compile(r"(?:以内|未満|以下)とする|可能|対象となり得")
_COVERED_LIST = re.compile(r"対象経費|取組例|対象事業|補助対象|対象者|交付対象とな|に対して助成")
# An element's own section (「① サテライトオフィス等整備事業 (自治体運営施設整備等)」): its bullet items are what
# the element supports.
_ELEMENT_HEADING = re.compile(r"^\s*[①-⑤]\s*\S*事業")
_BULLET_ITEM = re.compile(r"^\s*(?:-\s*)?[・•]")
# Words every question about the programme shares: naming them says nothing about the asker's case.
_PROGRAMME_WORDS = {"サテライトオフィス", "テレワーク", "交付金", "対象", "事業", "施設", "経費", "地方公共団体", "申請", "整備",
                    "運営", "交付", "支援", "場合", "資料", "可能", "予定", "検討", "一部", "企業", "団体", "町", "市",
                    # who funds it, not what is funded
                    "総務省", "内閣府", "内閣官房", "補助", "補助金", "助成", "国費"}
_KANA_BETWEEN_KANJI = re.compile(r"(?<=[一-龥])[ぁ-ん](?=[一-龥])")
_TERM = re.compile(r"[一-龥]{2,}|[ァ-ヶー]{3,}")
_LATIN_TERM = re.compile(r"[a-z]{2,}")  # keys are lower case: 「PR」 is 「pr」


def _compound_key(text: str) -> str:
    """A key in which 「基金に積み立て」 and 「基金積立金」, 「特定の個人」 and 「特定個人」 meet: a single kana
    between two kanji (a particle or okurigana) dropped. Only for matching; nothing quoted is changed."""
    return _KANA_BETWEEN_KANJI.sub("", normalise_key(text))  # lookarounds: 「の個人に対」 loses both kana at once


def _case_terms(question: str, latin: bool = False) -> set[str]:
    """The case's words; Latin ones (PR, Wi-Fi) only when asked: a list's ranking by shared length would weigh
    「wi」「fi」 like kanji words."""
    key = _compound_key(question)
    found = set(_TERM.findall(key)) | (set(_LATIN_TERM.findall(key)) if latin else set())
    return {t for t in found if t not in _PROGRAMME_WORDS}


def _shared(terms: set[str], key: str) -> list[str]:
    """The longest pieces of the case's words that the line's key holds (「余剰を基金に積み立て」
    meets 「基金積立金」 in 「基金積立」), programme words left out."""
    pieces = []
    for term in terms:
        least = 3 if re.fullmatch(r"[ァ-ヶー]+", term) else len(term) if term.isascii() else 2  # pr, not p
        i = 0
        while i <= len(term) - least:
            j = next((j for j in range(len(term), i + least - 1, -1) if term[i:j] in key), None)
            if j is None:
                i += 1
                continue
            piece = term[i:j]
            # a programme word, a piece of one (「付金」 of 交付金 in 「貸付金」) or programme words run together
            # (「交付対象事業費」) say nothing about the case
            rest = piece
            for word in sorted(_PROGRAMME_WORDS, key=len, reverse=True):
                rest = rest.replace(word, "")
            if rest != piece:
                rest = re.sub(r"[費金額等]", "", rest)  # what is left of 「交付対象事業費」 once its programme words go
            if len(rest) >= 2 and not any(piece in word and word in term for word in _PROGRAMME_WORDS):
                pieces.append(piece)
            i = j
    return sorted(set(pieces), key=len, reverse=True)


def _asks_coverage(asking: str) -> bool:
    """The asking sentence asks whether something is covered (「…に使えますか」), and not what, when or how
    (「どんな成果が…書かれていますか」 is no yes/no question)."""
    from assistant.question import INTERROGATIVE

    # (how to contact the office, 「電話で聞いても大丈夫ですか」, is no coverage)
    return (not INTERROGATIVE.search(asking) and bool(_COVERAGE_ASK.search(asking))
            and not re.search(r"電話|メール|問い?合わ?せ", asking))


# Who a requirement rules out (「…風俗営業者でないこと」「…反社会的勢力…でないこと」), and how an asker describes such a
# party (the law's short name, the businesses it licenses)
_DISQUALIFIED = (
    ("風俗営業者", re.compile(r"風俗営業|風営法|キャバクラ|ホストクラブ|ナイトクラブ|パチンコ|スナック")),
    ("反社会的勢力", re.compile(r"暴力団|反社|反社会的")),
)
_SAID_NOT = re.compile(r"^[^。、]{0,6}?(?:ではない|でない|じゃない|ではありません|ではなく|とは無関係|とは関係(?:が|の)?な)")


def asks_if_covered(question: str) -> bool:
    """A yes/no question whose asking sentence asks whether the asker's case is covered."""
    from assistant.question_parts import asking_sentence

    return is_yes_no(question) and _asks_coverage(asking_sentence(question))


def unmet_requirement(question: str, lines: Sequence[str | tuple[str, str]]) -> Verdict | None:
    """いいえ when the asker's case is a party a requirement line rules out (「…風俗営業者でないこと」) and the question
    does not say it is not one; the requirement's line is the reason."""
    if not asks_if_covered(question):
        return None
    key = normalise_key(question)
    for party, described in _DISQUALIFIED:
        said = [m for m in described.finditer(key) if not _SAID_NOT.match(key[m.end():])]
        if not said:
            continue
        for entry in lines:
            line = entry if isinstance(entry, str) else entry[0]
            at = line.find(party)
            if at >= 0 and re.match(r"(?:又は[^。]{0,20}?)?(?:で|では)ないこと", line[at + len(party):]):
                return Verdict("いいえ", f"{party}でないことが要件のため、対象になりません", line)
    return None


def listed(question: str, lines: Sequence[str | tuple[str, str]]) -> Verdict | None:
    """The weakest verdict, asked after `decide` and `premise_differs` have found nothing: the line that names
    the asker's case most specifically, in a list of what is covered (→ はい) or of what is not (対象外 → いいえ).
    Specificity is the length of the case's words the line shares; a line of the covered list wins a tie, since
    it names the item itself where an exclusion names a category (「お試しテレワークに係る旅費」 listed, against
    「特定の個人に対する給付経費」)."""
    from assistant.question_parts import asking_sentence

    asking = asking_sentence(question)
    if not is_yes_no(question) or not _asks_coverage(asking):
        return None
    terms = _case_terms(question)
    asked_terms = _case_terms(asking)
    best: tuple[int, bool, str, list[str]] | None = None
    previous = ("", "")
    for entry in lines:
        line, section = (entry, "") if isinstance(entry, str) else entry
        heading = section.split(" > ")[-1]
        # a list's label may sit on the line before (「・補助対象者：…及」 then 「び中核市を除く）又は…」)
        context = f"{previous[0]}{line}" if previous[1] == section else line
        previous = (line, section)
        # a line that sets a limit or permits (「…は同2割以内とする」) is a rule about what is covered, even in a
        # section the extraction left under the 対象外 heading
        excluded = bool(re.search(r"対象外", line) or _EXCLUDED_LIST.search(heading) and not _LIMITS.search(line))
        covered = not excluded and bool(_COVERED_LIST.search(heading) or _COVERED_LIST.search(context)
                                        or (_ELEMENT_HEADING.match(heading) and _BULLET_ITEM.match(line)))
        if not (excluded or covered):
            continue
        shared = _shared(terms, _compound_key(line))
        score = sum(len(t) for t in shared)
        # a covered line must name what the asking sentence asks about, not only the story before it
        if covered and not _shared(asked_terms, _compound_key(line)):
            continue
        if score >= 4 and (best is None or (score, covered) > (best[0], best[1])):
            best = (score, covered, line, shared)
    if best is None:
        return None
    _, covered, line, _ = best
    # the reason points at the quoted line that follows; the shared pieces are evidence, not words to show
    if covered and _LIMITED.search(line):
        # covered within a limit (「…は同2割以内とする」): the limit is the condition the answer's line states
        return Verdict("はい", "条件付きで可能です（資料の定める割合・上限の範囲内で対象となります）", line)
    if covered:
        return Verdict("はい", "対象となり得ます（資料で対象として挙げられています）", line)
    return Verdict("いいえ", "原則として対象外です（資料で対象外とされています）", line)


# A line that permits (「…への補助も可能。」「…も可とする」「…対象となり得る」), with nothing in it that excludes.
_PERMITS = re.compile(r"可能|(?<![不許認])可(?:と|。|$|\s)|対象となり得|対象とな(?:る|ります)|対象とする")
_FORBIDS = re.compile(r"対象外|除く|できない|不可|認められない|ではない|でない")


def permitted(question: str, key_line: str) -> Verdict | None:
    """The weakest verdict of all, asked after `listed`: the answer's own key line permits what the asker's case
    names (a word of the case, programme words aside, is in it) → はい."""
    from assistant.question_parts import asking_sentence

    asking = asking_sentence(question)  # a question followed by a remark (「…ますか？前は違うと思っていました。」)
    if not is_yes_no(asking) or not _asks_coverage(asking):
        return None
    key = _compound_key(key_line)
    if not _PERMITS.search(key) or _FORBIDS.search(key):
        return None
    # the line is the answer's best one already: a word of the case in it (PR, 外構 …) is enough
    if not _shared(_case_terms(question, latin=True), key):
        return None
    return Verdict("はい", "対象となり得ます（資料で可能とされています）", key_line)


# The asker presumes the case is not covered (「…は対象外ですよね？」「やっぱり無理でしょうか」): a verdict about
# coverage then answers that presumption, so its はい/いいえ turn round.
_PRESUMES_NOT = re.compile(r"(?:対象外|ダメ|だめ|無理|でき(?:ない|ません)|使えない|認められない|不可|出せ(?:ない|ません)|もらえ(?:ない|ません)"
                           r"|受けられ(?:ない|ません)|対象(?:に|と)なら(?:ない|ず))(?!では|じゃ|には|とは)")
# a duty said as a condition with a negative after it (「…しないと申請できない」「…なければ対象外」)
_DUTY_CONDITION = re.compile(r"(?:ないと|なければ|なくては|なきゃ)")
# a confirmation that points back at what the asker said before it (「その理解で合っていますか」「それで正しいですか」)
_BARE_CONFIRMATION = re.compile(r"^(?:その|この|それ|これ)?(?:ような)?(?:理解|認識|考え|解釈|捉え方)?\s*(?:で|は|が)?\s*"
                                r"(?:合って|あって|正しい|間違い|よろしい|いい|良い|大丈夫)")


# 「念のため確認させてください」: asked to check what the sentence before it says
_CHECK_REQUEST = re.compile(r"^(?:念のため|一応)?[、,]?\s*(?:ご)?確認(?:させて|して)(?:ください|いただけ(?:ます|ません)か|もらえ(?:ます|ません)か)")


def confirms_what_was_said(sentence: str) -> bool:
    """「この理解で合っていますか」「それで正しいですか」「念のため確認させてください」: a sentence that only asks whether
    what was said before it holds."""
    return bool(_BARE_CONFIRMATION.match(sentence.strip()) or _CHECK_REQUEST.match(sentence.strip()))


# Items the asker numbers (「(1)…、(2)…、(3)…」) and asks about together (「どれが対象になりますか」)
_NUMBERED_ITEM = re.compile(r"[（(]\s*([0-9０-９]{1,2})\s*[）)]")


def itemised_costs(question: str) -> Verdict | None:
    """Several numbered costs asked about at once: each item that names a 対象外経費 is said to be one (and an item
    that names the exception its rule states, to fall under that exception), the others to be none of the
    excluded kinds. Only when at least one item is excluded: what is covered is then told apart from what is not,
    each by its rule."""
    try:
        from assistant.calculators.plan import exception_named, excluded_cost_named
        from assistant.calculators.rules import rule
    except ImportError:  # calculators not installed in this build
        return None
    marks = list(_NUMBERED_ITEM.finditer(question))
    # (「どれが対象になりますか」 asks which, each item's yes or no)
    if len(marks) < 2 or not (is_yes_no(question) or re.search(r"どれ|どの経費|いずれ", question)):
        return None
    about5 = bool(re.search(r"⑤|進出企業定着", question))
    said: list[str] = []
    quotes: list[str] = []
    for m, following in zip(marks, [*marks[1:], None], strict=True):
        item = normalise_key(question[m.end() : following.start() if following else len(question)].split("。")[0])
        label = f"({m.group(1)})"
        cost = excluded_cost_named(item, about5)
        if cost is not None:
            said.append(f"{label}は{cost.label}で原則として対象外です")
            quotes.append(rule(cost.rule).quote)
            continue
        exception = exception_named(item)
        if exception is not None:
            written = re.search(r"[（(]([^（）()]*(?:ただし|除く)[^（）()]*)[）)]", rule(exception.rule).quote)
            said.append(f"{label}は{exception.label}の例外" + (f"（{written.group(1).rstrip('。')}）" if written else "")
                        + "に当たり、対象となり得ます")
        else:
            said.append(f"{label}は対象外経費に当たりません")
    if not quotes:
        return None
    return Verdict("条件付き", "。".join(said), quotes[0])


def excluded_cost(question: str) -> Verdict | None:
    """いいえ for a cost the documents list as 対象外経費 (staff travel other than the トップセールス escort, an event
    held every year, a payment to an individual …), asked whether it is covered; the rule's line is the reason. The
    cost is named in the sentence that asks or in the one before it (「…奨励金を出したい。これ、交付金で見てもらえる？」)."""
    try:
        from assistant.calculators.plan import excluded_cost_named, excluded_with_exception
        from assistant.calculators.rules import rule
    except ImportError:  # calculators not installed in this build
        return None
    from assistant.question_parts import asking_sentence, split_sentences

    asking = asking_sentence(question)
    if not is_yes_no(question) or not _asks_coverage(asking):
        return None
    sentences = split_sentences(question)
    at = next((i for i, s in enumerate(sentences) if s in asking), len(sentences) - 1)
    near = normalise_key("".join(sentences[max(0, at - 1) :]))
    cost = excluded_cost_named(near, about5=bool(re.search(r"⑤|進出企業定着", near)))
    if cost is None:
        both = excluded_with_exception(normalise_key(question)) if _BOTH_ASKED.search(asking) else None
        if both is None:
            return None
        quote = rule(both.rule).quote
        exception = re.search(r"[（(]([^（）()]*(?:ただし|除く)[^（）()]*)[）)]", quote)
        return Verdict("条件付き", f"{both.label}は原則として対象外経費ですが、"
                       + (f"規定のただし書き（{exception.group(1).rstrip('。')}）に当たる分は対象となり得ます" if exception
                          else "規定の例外に当たる分は対象となり得ます"), quote)
    return Verdict("いいえ", f"{cost.label}は原則として対象外経費です", rule(cost.rule).quote)


# A condition the documents set on what is covered, and how an asker describes a case that fails it. The rule
# (rules.toml, with its verbatim quote) is the reason; `case` reads the asker's own words.
@dataclass(frozen=True)
class UnmetCondition:
    rule: str
    case: re.Pattern[str]
    reason: str


_NOT_THE_ASKER = r"(?:(?!本社|本店|会社|企業|社員|住民|出身|在住)[^。、？?])"
_UNMET_CONDITIONS: tuple[UnmetCondition, ...] = (
    # a facility in another municipality (「隣の市の駅前にできるシェアオフィス」), not a company from there
    UnmetCondition("facility_in_area", re.compile(
        rf"(?:(?:隣|近隣|隣接する|周辺|他|別|ほか)の(?:市|町|村|自治体|市町村)|隣(?:町|村|市)|近隣市町村)(?:内)?(?:に|の|にある)"
        rf"{_NOT_THE_ASKER}{{0,24}}?"
        r"(?:施設|オフィス|コワーキング|建物|物件|ビル|空き家|空き店舗)"
        rf"|(?:市外|町外|村外|区域外)(?:に|の|にある){_NOT_THE_ASKER}{{0,16}}?(?:施設|オフィス|物件|ビル)"),
        "対象施設は事業を実施する地方公共団体の区域内に所在する施設等に限られるため、他の市町村にある施設は対象になりません"),
    # an office kept for the company's own staff (「自社の社員だけが使う」「他社に貸す予定はない」)
    UnmetCondition("operator_offers_to_others", re.compile(
        r"自社(?:の社員|の従業員|の職員)?(?:だけ|のみ|専用)|(?:他社|他の会社|外部|社外)(?:に|へ)(?:は)?"
        r"(?:貸|提供|開放)[^。、]{0,8}?(?:ない|なく|せず)"),
        "②で支援する運営事業者は、施設を他者にオフィススペース等として提供し、その管理・運営を事業として行う者とされているため、"
        "自社専用の施設は対象になりません"),
    # ⑤'s 進出企業 asked to bear nothing (「進出企業には負担ゼロで」「町が全部持って企業の負担なし」)
    UnmetCondition("p5_company_share", re.compile(
        r"進出(?:した)?企業[^。？?]{0,24}?(?:負担|持ち出し)(?:は|を|が)?\s*(?:ゼロ|0|なし|無し|求めない|させない|かけない|取らない)"),
        "推進体制に参画する企業等には応分の負担を求めることとされ、進出企業の負担は「要」（負担割合は裁量で設定可能）です。"
        "地元企業等の負担は任意ですが、進出企業の負担をゼロにはできません"),
    # ②'s operator asked to bear nothing (「運営会社の負担はゼロで」)
    UnmetCondition("operator_share", re.compile(
        r"(?:運営(?:会社|事業者)|民間事業者|事業者さん|オーナー)[^。？?]{0,24}?(?:負担|持ち出し)(?:は|を|が)?\s*"
        r"(?:ゼロ|0|なし|無し|求めない|させない|かけない|取らない)"),
        "民間の運営事業者等の施設の開設・運営を支援する場合は、継続的に適切な関係が構築できるよう、応分の負担を民間事業者等へ"
        "求めることとされています。事業者の負担をゼロにはできません"),
)


def unmet_condition(question: str) -> Verdict | None:
    """いいえ when the asker's case, as described, fails a condition the documents set on what is covered (a
    facility outside the municipality, an office not offered to others), asked whether it is covered."""
    from assistant.calculators.rules import rule

    if not asks_if_covered(question):
        return None
    key = normalise_key(question)
    for condition in _UNMET_CONDITIONS:
        if condition.case.search(key):
            return Verdict("いいえ", condition.reason, rule(condition.rule).quote)
    return None


# The asker presumes a duty (「必ず…しないといけない」「…は必須ですか」): the rule that makes the
# asked party's share or step optional (「…は任意」) answers いいえ, one that requires it (「…は「要」」「必須」) はい.
_PRESUMES_DUTY = re.compile(r"必ず|必須|ないと(?:いけ|だめ|ダメ|まず)|なければ(?:なら|いけ)|なきゃ|なくては|義務|必要があ|要るん|要ります")
_OPTIONAL = re.compile(r"([^、。，,（(]{2,30}?)(?:は|が)\s*(?:任意|不要|必須ではな|求めない)")
_REQUIRED = re.compile(r"([^、。，,（(]{2,30}?)(?:は|が)\s*(?:「要」|要(?:[（(]|$)|必須(?!ではな)|必ず)")


def duty(question: str, lines: Sequence[str | tuple[str, str]]) -> Verdict | None:
    """いいえ when the asker presumes a duty that a quoted rule makes optional for the party asked about, はい when
    the rule requires it: the party is the one named in the clause that carries the duty (「地元の酒蔵からも必ず」
    asks about the 地元企業等, not the 進出企業 named before it)."""
    from assistant.question_parts import asking_sentence

    if not is_yes_no(question):
        return None
    asking = asking_sentence(question)
    presumed = _PRESUMES_DUTY.search(asking)
    if presumed is None:
        return None
    # the clause that carries the duty: from the last comma or 「だけでなく」 before the duty word
    clause = re.split(r"、|だけでなく|ではなく|以外", asking[: presumed.end()])[-1]
    terms = _case_terms(clause)
    for line in (line if isinstance(line, str) else line[0] for line in lines):
        key = normalise_key(line)
        for pattern, word in ((_OPTIONAL, "いいえ"), (_REQUIRED, "はい")):
            for m in pattern.finditer(key):
                party = re.sub(r"^[-・•\s]+", "", m.group(1))
                # who the rule is about (「地元企業等の負担」 is about 地元企業等: the burden is every party's word)
                if _shared(terms, re.sub(r"の[^の]{1,6}$", "", party)):
                    state = "任意とされています" if word == "いいえ" else "必要とされています"
                    return Verdict(word, f"{party.strip()}は{state}", line.strip(), of_a_duty=True)
    return None


# several things asked about at once (「どちらも対象になりますか」「それぞれ使えますか」)
_BOTH_ASKED = re.compile(r"どちらも|どっちも|両方|それぞれ|いずれも|ともに|共に|全部|すべて|全て")


def oriented(found: Verdict, question: str) -> Verdict:
    """`found` (はい = covered, いいえ = not) as the answer to the question as put: 「対象外ですよね？」 about a
    covered case is answered いいえ."""
    from assistant.question_parts import asking_sentence

    asking = asking_sentence(question)
    # after a contrast (「Xは対象外と聞きましたが、Yには使えますか？」) only the part that asks
    clauses = re.split(r"(?:が|けど|けれど|けれども)、", asking)
    asking = clauses[-1]
    if len(clauses) > 1 and _BARE_CONFIRMATION.match(asking.strip()):
        # 「…は支給できないと理解していますが、それで正しいですか」: what is confirmed is the clause before
        asking = clauses[-2] + asking
    key = normalise_key(asking)
    presumed_not = _PRESUMES_NOT.search(key)
    if not presumed_not:
        return found
    duty_said = _DUTY_CONDITION.search(key)
    if found.of_a_duty and duty_said and duty_said.end() <= presumed_not.start():
        # 「必ず負担しないと申請できない」: the negative after 「…ないと」 is the duty presumed (must), whose verdict is
        # already put as whether that duty holds
        return found
    flipped = {"はい": "いいえ", "いいえ": "はい"}.get(found.word)
    if flipped is None:
        return found
    # the answer says whether the asker's presumption holds before the rule (「いいえ。対象となり得ます」 alone would
    # read as a contradiction)
    said = "ご認識とは異なり" if flipped == "いいえ" else "ご認識のとおり"
    return Verdict(flipped, f"{said}、{found.reason}", found.line)


# 「…ですよね？」「…という理解で合っていますか」「…と聞いたのですが本当ですか」: the asker states something and
# asks whether it is so.
_CONFIRMATION = re.compile(r"ですよね|でしたよね|ますよね|という理解|認識で|合って(?:い)?ますか|で(?:良|よ)(?:かった|い)(?:ん)?ですか"
                           r"|でいいですか|本当ですか|と聞い|って聞い|と伺")
# A figure with its unit, as the documents write limits and rates.
# (an era year 「令和3年度」 and a calendar year 「2025年度末」 name when, not a rule's figure: no premise of 年)
_FIGURE = re.compile(r"(?<![\d.])(?<!令和)(?<!平成)(?<![RHＲＨ])(?!(?:19|20)\d\d\s*年)(\d+(?:\.\d+)?)\s*(割|%|年|社|点|万円|億円|万(?![人件社円]))")


# 「3～5年」: a range states both ends (its first end has the unit of its second)
_RANGE_START = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[〜～~]\s*(?=\d+(?:\.\d+)?\s*(割|%|年|社|点|万円|億円))")


def _figures(text: str) -> list[tuple[str, str]]:
    """The figures with their units; 「3,000万」 said without 円 is an amount in 万円 as well, 「1か年度」 a 年."""
    return [(number, unit) for number, unit, _ in _figures_shown(text)]


def _figures_shown(text: str) -> list[tuple[str, str, str]]:
    """(number, unit, as said): both ends of a range are said as the range (「3～5年」)."""
    key = re.sub(r"(?<=\d)\s*[かカヵヶケ]年", "年", normalise_key(text).replace(",", ""))
    found = []
    ends = {}
    for m in _RANGE_START.finditer(key):
        end = _FIGURE.match(key, m.end())
        shown = f"{m.group(1)}～{end.group(1)}{m.group(2)}" if end else f"{m.group(1)}{m.group(2)}"
        found.append((m.start(), m.group(1), m.group(2), shown))
        if end:
            ends[end.start()] = shown
    for m in _FIGURE.finditer(key):
        unit = "万円" if m.group(2) == "万" else m.group(2)
        found.append((m.start(), m.group(1), unit, ends.get(m.start(), f"{m.group(1)}{unit}")))
    return [(number, unit, shown) for _, number, unit, shown in sorted(found)]


def premise_differs(question: str, lines: Sequence[str]) -> Verdict | None:
    """A figure the asker states for confirmation (「3割以内ですよね？」) that the quoted lines state otherwise:
    the line gives the same kind of figure (割, %, 年, 社, 点, 円) and never the asker's → いいえ, with that line.
    The first line stating that kind of figure decides; a figure it also states, or one whose kind no line states,
    settles nothing."""
    if not _CONFIRMATION.search(question) or not is_yes_no(question):
        return None
    stated = _figures(question)
    if not stated:
        return None
    said = [(line, _figures_shown(line)) for line in lines]
    # the first quoted line stating the asked kind of figure answers what was asked (a heading may come first)
    for number, unit in stated:
        first = next(((line, figures) for line, figures in said if any(u == unit for _, u, _ in figures)), None)
        if first is None:
            continue
        line, figures = first
        other = [shown for n, u, shown in figures if u == unit and n != number]
        if other and (number, unit) not in [(n, u) for n, u, _ in figures]:
            return Verdict("いいえ", f"資料では{other[0]}とされています（{number}{unit}ではありません）", line)
    return None

