"""Quantities with roles, read once from a question: every amount, head-count, company count, period,
percentage and count, each tagged with what it is from the words around it.

Roles come from the nearest cue word before the number (else right after it), in the question's own terms;
a generic cost (「事業費」「総額」) stays generic and the calculation decides what it is from the rest of the
question (a ⑤ project, a facility, a ③ promotion). Numbers are read in every written form officers use:
全角, 1億2,000万円, 五千百三十万円, 43,800千円, １万２千人, 2割, 4分の3.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.calculators.amounts import AMOUNT_IN_TEXT, _kanji_to_arabic, parse_amount
from assistant.errors import AmountParseError

# Amount roles, each with the words that announce it. The nearest cue before the amount wins.
AMOUNT_CUES: tuple[tuple[str, str], ...] = (
    ("ソフト経費", r"ソフト経費|ソフト事業|ソフト(?=が|は|に|で|も|分|\s*\d|\s*$)|プロモーション|マッチング|イベント|セミナー|説明会|動画|ツアー|PR|運営以外|広報"),
    # (「1社80万円」: an amount right after 1社 — the window ends where the amount starts — is what each company gets)
    ("進出支援金", r"進出支援金|支援金|(?:1|一)社(?:あたり|当たり|につき|\s*$)|(?<!会)社(?:に|へ|分)"),  # not 「…会社による」
    ("⑤事業費", r"⑤|進出企業定着|プロジェクト|新商品|特産品|販路"),
    ("③事業費", r"③|活用促進"),
    ("B1", r"B\s*1|カフェ|宿泊|交流スペース|附帯施設|滞在|居住|コミュニティ|ベッド"),
    ("B2", r"B\s*2|外構工事費?|外構|用地取得費?|用地|取得費|造成費?|解体費?|駐車場|買い取り|買取"),
    ("交付対象事業費", r"交付対象事業費"),
    ("国費", r"国費(?:額|ベース)?(?:が|は|:)?"),
    ("直接経費", r"物品費|人件費|謝金|旅費|外注費|直接経費|賃料|交通費|開催費|PR経費"),
    ("一般管理費", r"一般管理費"),
    ("受給額", r"受給|受け取|支給し|交付した|交付を受け"),
    ("事業費", r"総事業費|事業費|総額|見積|概算|整備・?運営|整備費|改修|工事|費用|経費|予算|計上|定員|収容"),
)
_AMOUNT_CUE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(AMOUNT_CUES)))
_AMOUNT_AFTER = re.compile(r"^\s*(?:の|を|で)?\s*(ソフト経費|進出支援金|事業費|整備費|B\s*1|B\s*2|外構|一般管理費|直接経費)")
# 「…75万円は国から来る」「…50万円を国が出す」: what the state pays, said after the amount (it overrides the cue before
# it: 「1社あたり75万円は国から」 is the state's share of each company's grant, not the grant)
_STATE_PAYS_AFTER = re.compile(r"^\s*(?:は|が|を|も|まで)?\s*(?:国から|国が(?:出|負担|補助|持)|国の(?:負担|補助|持ち))")

# 「31万2,400人」: the part after 万 is written with its thousands comma too
_COUNT_NUMBER = r"\d[\d,]*(?:\.\d+)?(?:万(?:\d[\d,]*)?)?(?:千\d*)?|\d*万(?:\d*千)?"
_PEOPLE = re.compile(rf"(?<![\d,.万千])(?P<n>{_COUNT_NUMBER})\s*(?:人|名)")
_COMPANIES = re.compile(r"(?<![\d,.])(?P<n>\d+)\s*社(?!\s*(?:あたり|当たり|につき))")
_CASES = re.compile(r"(?<![\d,.])(?P<n>\d+)\s*(?:件|本(?!\s*(?:あたり|当たり))|プロジェクト)")
_PERCENT = re.compile(r"(?<![\d,.])(?P<n>\d+(?:\.\d+)?)\s*(?:%|パーセント)")
_PERIOD = re.compile(r"(?<![\d,.])(?:(?P<y>\d+)\s*年(?:(?P<half>半)|\s*(?:と|間)?\s*(?P<m1>\d+)\s*(?:か|ヶ|カ|ケ|箇)?月)?|(?P<m2>\d+)\s*(?:か|ヶ|カ|ケ|箇)月)")
_PEOPLE_CUES = (("人口", r"人口"), ("県外利用者数", r"(?:(?:うち|内)\s*)?(?:県外|都道府県外)[^、。]{0,8}(?:利用者|の方|から)|(?:うち|内)\s*(?:県外|都道府県外)(?:が|は|の方が)?"), ("利用者数", r"利用者|延べ|のべ"),
                ("移住者数", r"移住"), ("定員", r"定員|収容|規模|人程度|人用|席|施設|オフィス|スペース|館|棟|拠点"))


_TAKES_IN = re.compile(r"\s*(?:くらい|ぐらい|ほど|程度|前後)?\s*(?:が)?(?:入る|入れる|入れ|収容|座れる)")
_PER_PIECE = re.compile(r"(\d+)\s*(台|基|個|室|部屋|セット|式)\s*[(（]\s*1\s*\2\s*(?:あたり|当たり)?\s*$")
# (A run may open with 十/百/千 when more numerals follow: 「百五十万円」. 「千円」 alone stays a unit, and 数百万円 an
# estimate, not an amount.)
_KANJI_NUMBER = re.compile(
    r"(?<![\d０-９,，])[一二三四五六七八九][〇一二三四五六七八九十百千万億]*(?=円|万円|億円|人|名|社|件|か所|施設|項目|点)"
    r"|(?<![\d０-９,，数何幾])[十百千][〇一二三四五六七八九十百千万億]+(?=円|万円|億円|人|名|社|件|か所|施設|項目|点)"
)


# The amounts said so far, restated as their sum: 「全部で…」「合計…」 before it, 「…のうち」 after it.
_STATED_TOTAL_BEFORE = re.compile(r"(?:全部で|合計(?:で|は|が)?|総額(?:で|は|が)?|総計|トータル(?:で)?|しめて|締めて|計)\s*(?:約)?\s*$")
_STATED_TOTAL_AFTER = re.compile(r"\s*(?:かかる|かかり|になる|の)?\s*(?:うち|中)")


# A list item's label: a capital letter right after a separator, then the item's name (「DIT教室」: D, then IT教室).
_LETTERED = re.compile(r"(?:^|[、,。:：\s・])([A-Z])(?=[^\x00-\x7f]|[A-Z]{1,4}[^\x00-\x7f])")
_REPLACED = re.compile(r"\s*(?:じゃなくて|じゃなく|ではなくて|ではなく|でなく|ではなしに|から変更して)")


# The asker's own label of a listed item, just before its figures: 「A：旧公民館（定員55人…）」「B案は…」「P社：80万円」
_ITEM_LABEL = re.compile(r"(?:^|[、,。:：\s・（(])([A-Z])(?=\s*[:：]|案|社|施設|棟|館|[^\x00-\x7f]{0,12}[(（])")


def item_label(key: str, start: int, floor: int = 0) -> str:
    """The last capital-letter label between `floor` and `start` in a normalised question, else ''."""
    found = list(_ITEM_LABEL.finditer(key, max(floor, start - 24), start))
    return found[-1].group(1) if found else ""


@dataclass(frozen=True)
class Quantity:
    value: int  # yen for 円, months for か月, a count otherwise; percent as given ×100 (64.2% -> 6420)
    unit: str  # 円 / 人 / 社 / 件 / % / か月
    role: str
    start: int
    end: int


def normalise(text: str) -> str:
    """The search key of a question: NFKC with ①–⑳ kept, kanji numerals as digits. Only for reading numbers;
    never shown to the user."""
    protected = re.sub(r"[①-⑳]", lambda m: f"\x00{ord(m.group()) - 0x245F}\x01", text)
    # Only runs of kanji numerals that count something (五千百三十万円, 三社): 一般管理費 stays as it is.
    protected = _KANJI_NUMBER.sub(lambda m: _kanji_to_arabic(m.group()), protected)
    key = unicodedata.normalize("NFKC", protected)
    key = _MIXED_THOUSANDS.sub(lambda m: str(_mixed_value(m.group())), key)
    key = _MIXED_COUNT.sub(lambda m: str(_mixed_value(m.group())), key)
    return re.sub(r"\x00(\d+)\x01", lambda m: chr(int(m.group(1)) + 0x245F), key)


# N千M百万円: digits with 千/百 before 万 or 億 (written so in speech and in some tables)
_MIXED_THOUSANDS = re.compile(r"(?<![\d,.])\d+千(?:\d+百)?(?:\d+十)?(?=\s*(?:万|億))|(?<![\d,.])\d+百(?:\d+十)?(?=\s*(?:万|億))")


# 「2万3千8百人」「3千5百社」: a whole number spoken in digits with 万/千/百 (not before 万 or 億: those are above)
_MIXED_COUNT = re.compile(r"(?<![\d,.])(?:\d+万)?\d+[千百](?:\d+百)?(?:\d+十)?\d*(?![\d,.]|\s*[万億])")


def _mixed_value(text: str) -> int:
    total = 0
    for digits, unit in re.findall(r"(\d+)([万千百十]?)", text):
        total += int(digits) * {"万": 10_000, "千": 1000, "百": 100, "十": 10, "": 1}[unit]
    return total


def count_value(text: str) -> int:
    """「1万2千」 -> 12000, 「9,400」 -> 9400, 「3.5万」 -> 35000."""
    t = text.replace(",", "")
    total = 0.0
    for unit, factor in (("万", 10_000), ("千", 1_000)):
        if unit in t:
            head, t = t.split(unit, 1)
            total += float(head or 1) * factor
    if t:
        total += float(t)
    return int(round(total))


def amounts_at(t: str) -> list[tuple[int, int, int]]:
    """Amounts with offsets into `t` itself (find_amounts would rewrite kanji first and shift them)."""
    out = []
    for m in AMOUNT_IN_TEXT.finditer(t):
        if not re.search(r"\d", m.group("amount")):
            continue  # 「千円未満」「万円単位」: a unit, not an amount
        try:
            out.append((parse_amount(m.group("amount").replace(" ", "")), m.start(), m.end()))
        except AmountParseError:
            continue
    return out


def _role(text: str, start: int, floor: int, cues: tuple[tuple[str, str], ...]) -> str | None:
    """The role of the nearest cue word before `start` (within 30 characters, not before `floor`)."""
    window = text[max(floor, start - 30) : start]
    best: tuple[int, int, str] | None = None  # (end, start, role) of the nearest cue
    specific: tuple[int, str] | None = None
    named: tuple[int, str] | None = None  # the nearest cue of a role other than the generic cost
    for role, pattern in cues:
        for m in re.finditer(pattern, window):
            if _RATE_BASE.match(window, m.end()):
                continue  # 「一般管理費は直接経費の1割と聞いて…300万円」: the base of a rate is not what the amount is
            if best is None or m.end() > best[0]:
                best = (m.end(), m.start(), role)
            if role in _PROJECT_ROLES and (specific is None or m.end() > specific[0]):
                specific = (m.end(), role)
            if role != "事業費" and (named is None or m.end() > named[0]):
                named = (m.end(), role)
    # 「外構（B2）の見積りが…円」: a word that only says it is an estimate does not hide what it estimates, named
    # before it in the same clause
    if (best and named and best[2] == "事業費" and _ESTIMATE_WORD.fullmatch(window[best[1] : best[0]])
            and named[0] <= best[1] and not re.search(r"[、。]", window[named[0] : best[1]])):
        return named[1]
    # 「⑤をN件（事業費X円）」: the generic word opening a bracket names the amount of the project
    # named just before in the same clause (a list mark 「③旧体育館（定員55人）が整備費…」 is no project)
    if best and specific and window[best[1] : best[0]] in ("事業費", "総事業費") and re.search(r"[（(]\s*$", window[: best[1]]) \
            and not re.search(r"[、。]", window[specific[0] : best[1]]):
        return specific[1]
    return best[2] if best else None


_PROJECT_ROLES = ("⑤事業費", "③事業費")
# What announces the KPI's count of outside-prefecture companies: the KPI itself, or that count as a plan's target
# (「計画上の県外企業の目標が3社」「県外企業数の目標」)
_KPI_COMPANIES = re.compile(r"KPI|県外の企業数|都道府県外の企業|県外企業(?:数)?の?目標|目標(?:の|として|に掲げ)?[^。、]{0,6}県外企業")
# A count of projects already adopted (「2件採択済み」「これまでに1件通った」「過年度に1件」)
# (a supposed adoption, 「通ったとして」「通ったら」, is not one already made)
_ADOPTED_ALREADY = re.compile(r"採択|既に|すでに|これまで|過年度|通って(?!も)|通った(?!と|ら)|通過")
_RATE_BASE = re.compile(r"\s*(?:の|に対して|に対する)\s*(?:\d+(?:\.\d+)?\s*(?:割|%|分の\s*\d)|\d+\s*/\s*\d+|半分)")
# After a period: 「3年に分けて払う」 says how a payment is spread, not how long a company stayed
INSTALMENTS = re.compile(r"\s*(?:に|で)?\s*(?:分け|分割|割って|払い)")
_ESTIMATE_WORD = re.compile(r"見積|概算|費用|予算|計上")
# What lies between an amount and the asker's own result from it: 「…の3/4で」「×1/2＝」「の半分で約」
_DERIVED = re.compile(r"\s*(?:の|×|x|\*)\s*(?:\d+(?:\.\d+)?\s*(?:割|%|分の\s*\d+)|\d+\s*/\s*\d+|半分|半額)"
                      r"\s*(?:で|なら|だと|として|と|=|→|は|が)?\s*(?:約|だいたい|およそ)?\s*")


@lru_cache(maxsize=512)
def read_quantities(text: str) -> tuple[Quantity, ...]:
    t = normalise(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    previous: Quantity | None = None
    lettered_role: str | None = None
    next_letter = "A"
    seen_end: int | None = None  # where the amount before ends, whether kept or not
    for yen, start, end in amounts_at(t):
        times = _PER_PIECE.search(t[max(0, start - 16) : start])
        if times:
            yen *= int(times.group(1))  # 「ブース2台（1台173万円）」: the item costs 2 × 173万円
        if re.match(r"[\d千百.]*\s*(?:人|名|社|件)|\s*(?:単位|刻み)", t[end : end + 5]) or not re.search(r"円|万|億", t[start:end]):
            continue  # 「1万2千人」: a head-count, not an amount
        if "円" not in t[start:end] and re.search(r"人口(?:は|が)?(?:約|およそ)?\s*$", t[max(0, start - 8) : start]):
            continue  # 「人口3万ほどの町」: a population without its 人, not an amount
        if previous is not None and re.fullmatch(r"[、,・と\s]*(?:および|及び)?", t[previous.end : start]):
            # 「それぞれ2,870万円、3,240万円、2,455万円」: a list shares the role of its first item
            found.append(Quantity(yen, "円", previous.role, start, end))
            taken.append((start, end))
            previous = found[-1]
            continue
        derived = seen_end is not None and _DERIVED.fullmatch(t[seen_end:start])
        seen_end = end
        if derived:
            continue  # 「8,000万円の1/2で4,000万円」: the asker's own arithmetic on the amount before, no input
        if _RATE_BASE.match(t, end) and any(q.value == yen and q.unit == "円" for q in found):
            continue  # 「…総事業費8,000万円、国費は8,000万円の1/2で」: an amount restated as the base of a rate
        previous_end = max((e for _, e in taken if e <= start), default=0)
        role = _role(t, start, previous_end, AMOUNT_CUES)
        after = _AMOUNT_AFTER.match(t[end : end + 12])
        if after and role in (None, "事業費"):
            role = next((r for r, p in AMOUNT_CUES if re.search(p, after.group(1))), "事業費")
        if _STATE_PAYS_AFTER.match(t[end : end + 12]):
            role = "国費"
        label = next((m.group(1) for m in _LETTERED.finditer(t[previous_end:start])
                      if m.group(1) == next_letter or (lettered_role is None and m.group(1) == "A")), None)
        if label:
            # 「A…3,600万円、B…2,400万円、D…のPRツアー3,100万円」: items of one lettered list (A, B, C … in turn)
            # are alike; the words of an item's own name (PR, 宿泊) describe it, not what kind of amount it is
            lettered_role = lettered_role or role or "金額"
            role, next_letter = lettered_role, chr(ord(label) + 1)
        earlier = [q.value for q in found if q.unit == "円"]
        if (len(earlier) >= 2 and yen == sum(earlier)
                and (_STATED_TOTAL_BEFORE.search(t[max(previous_end, start - 10) : start])
                     or _STATED_TOTAL_AFTER.match(t[end : end + 10]))):
            role = "合計"  # 「…、C M万円。全部でN万円かかるうち」: the items restated as their sum, no item of its own
        found.append(Quantity(yen, "円", role or "金額", start, end))
        taken.append((start, end))
        previous = found[-1]

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    last_people: Quantity | None = None
    for m in _PEOPLE.finditer(t):
        if not free(m.start(), m.end()):
            continue
        # (each item may carry the asker's letter: 「A邸22人、B邸28人」)
        if last_people is not None and re.fullmatch(r"[、,・と\s]*(?:[A-Za-z][^、。，,\d\s]{0,2})?", t[last_people.end : m.start()]):
            last_people = Quantity(count_value(m.group("n")), "人", last_people.role, m.start(), m.end())
            found.append(last_people)  # 「定員は12人、15人、18人」: one role for the list
            taken.append((m.start(), m.end()))
            continue
        previous_end = max((e for _, e in taken if e <= m.start()), default=0)
        role = _role(t, m.start(), max(previous_end, m.start() - 16), _PEOPLE_CUES)
        if role is None:
            # 「移住者は初年度から最終年度末までに1人」: the clause's topic names what is counted, further back
            clause = max(previous_end, t.rfind("、", 0, m.start()) + 1, t.rfind("。", 0, m.start()) + 1, m.start() - 40)
            topic = [r for r, p in _PEOPLE_CUES if re.match(rf"\s*(?:{p})[^、。\d]{{0,3}}?(?:は|が|も)", t[clause : m.start()])]
            role = topic[0] if topic else None
        if role is None:
            following = t[m.end() : m.end() + 16]
            # 「70人入る旧校舎」: as many as the building takes in, whatever the building is called
            role = "定員" if _TAKES_IN.match(following) or re.match(r"\s*(?:以上|未満|超|くらい|ぐらい|ほど|程度|前後|台)?\s*(?:が入れる|が利用|の方が|入る|入れる|が入る|クラス)?\s*(?:規模|収容|定員|程度|前後|の|施設|を|が|"
                                    r"の(?:施設|オフィス|シェア|サテライト|コワーキング|小規模|大|小さな|大きな)"
                                    r"|[^、。\d]{0,6}?(?:施設|オフィス|拠点|スペース|コワーキング))", following) else "人数"
        if (role == "定員" and re.search(r"職員|常駐|社員|スタッフ", t[max(0, m.start() - 8) : m.end() + 4])
                and not re.search(r"定員\s*(?:は|が)?\s*$", t[max(0, m.start() - 4) : m.start()])):
            role = "人数"  # staff, not seats (「元の社員寮を定員30人の…」 is seats: 定員 says so)
        value = count_value(m.group("n"))
        if role == "定員" and re.match(r"\s*未満", t[m.end() : m.end() + 3]):
            value -= 1  # 「20人未満の施設」: at most 19 people, the band below 20
        last_people = Quantity(value, "人", role, m.start(), m.end())
        found.append(last_people)
        taken.append((m.start(), m.end()))
    counted_end = 0  # a company count closes the phrase before it: 「KPIはN社で、進出支援金はM社に」
    for m in _COMPANIES.finditer(t):
        if m.group("n") == "1" and re.match(r"\s*\d", t[m.end() : m.end() + 2]):
            continue  # 1社 right before an amount states what each company gets, not how many companies
        if free(m.start(), m.end()):
            sentence = t.rfind("。", 0, m.start()) + 1
            window = t[max(sentence, m.start() - 30, counted_end) : m.start()]
            kpi = list(_KPI_COMPANIES.finditer(window))
            # the 進出支援金 paid after the KPI is named counts the companies paid, not the KPI's
            paid = bool(kpi) and re.search(r"進出支援金|支援金|支給|配", window[kpi[-1].end() :])
            role = "KPI企業数" if kpi and not paid else "社数"
            if role == "社数" and re.search(r"(?:うち|内)\s*(?:県外|都道府県外)(?:の企業)?(?:が|は)?\s*$", window):
                role = "県外企業数"  # 「入居企業10社のうち県外は4社」: the outside-prefecture part of a count
            found.append(Quantity(int(m.group("n")), "社", role, m.start(), m.end()))
            taken.append((m.start(), m.end()))
            counted_end = m.end()
    for m in _CASES.finditer(t):
        if free(m.start(), m.end()):
            sentence = t.rfind("。", 0, m.start()) + 1  # 「…1件採択されています。今年は候補が4本」: 4 is no adoption
            role = "採択済件数" if _ADOPTED_ALREADY.search(t[max(sentence, m.start() - 20) : m.end() + 10].split("。")[0]) else "件数"
            found.append(Quantity(int(m.group("n")), "件", role, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _PERCENT.finditer(t):
        if free(m.start(), m.end()):
            # the nearest cue before it names the rate: 「交付率は52%、申請率だと61%」「全国平均の53.9%」
            cues = _RATE_CUE.findall(t[max(0, m.start() - 30, t.rfind("。", 0, m.start()) + 1) : m.start()])
            role = (_RATE_ROLE.get(cues[-1], "申請率" if cues[-1].startswith("12") else
                                   "県外利用者割合" if cues[-1].startswith("県外") else "割合") if cues else "割合")
            found.append(Quantity(int(round(float(m.group("n")) * 100)), "%", role, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    # two dates in one clause (no company named between them) are a period (the first is when the
    # company applied); a date is never read as a number of years.
    dates = [(m, _date_of(m)) for m in _DATE.finditer(t)]
    for (a, first), (b, second) in zip(dates, dates[1:], strict=False):
        between = t[a.end() : b.start()]
        # (「会社が」 between them is the company the period is of, not another one)
        if first and second and second > first and not re.search(r"。|[A-Z]社|\d社目|(?<!会)社(?:は|が|:)", between):
            found.append(Quantity(_months_between(first, second), "か月", "経過期間", a.start(), b.end()))
    taken += [(m.start(), m.end()) for m, _ in dates]
    for m in _PERIOD.finditer(t):
        era = re.search(r"(?:令和|平成|昭和|西暦)\s*$|\d$", t[max(0, m.start() - 3) : m.start()]) or (
            m.group("y") and int(m.group("y")) >= 1900)  # YYYY年 is a calendar year, not a period
        if free(m.start(), m.end()) and not era and not INSTALMENTS.match(t, m.end()) and not re.match(r"\s*(?:度|月\d|\d)", t[m.end() : m.end() + 2]):
            years = int(m.group("y") or 0)
            months = int(m.group("m1") or m.group("m2") or 0) + (6 if m.group("half") else 0)
            if m.group("y") and re.match(r"\s*度", t[m.end() : m.end() + 1]):
                continue
            found.append(Quantity(years * 12 + months, "か月", "経過期間", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    # 「3年以上5年以内」: two periods bounding a range are a rule's condition, not two companies' periods
    periods = sorted((q for q in found if q.role == "経過期間"), key=lambda q: q.start)
    for low, high in zip(periods, periods[1:], strict=False):
        if _RANGE_BETWEEN.fullmatch(t[low.end : high.start]) and _RANGE_AFTER.match(t[high.end : high.end + 3]):
            found = [replace(q, role="期間の範囲") if q in (low, high) else q for q in found]
    # 「6社じゃなくて10社」「3,000万円ではなく3,600万円」: the first figure is the one being replaced
    kept = [q for q in found if not _REPLACED.match(t[q.end : q.end + 8])]
    return tuple(sorted(kept, key=lambda q: q.start))


# (the bonus is judged on the 申請率 at 12月末: a rate said for 12月末 is that one)
_RATE_CUE = re.compile(r"申請率|申請|マイナンバー|12\s*月末|交付率|普及率|平均|県外(?:から)?の?(?:利用者|利用)?の?(?:比率|割合|率|シェア)")
_RATE_ROLE = {"申請率": "申請率", "申請": "申請率", "マイナンバー": "申請率", "交付率": "交付率", "普及率": "交付率",
              "平均": "全国平均"}
_RANGE_BETWEEN = re.compile(r"\s*(?:(?:以上|超|から|より)\s*[～〜~\-－ー]?|[～〜~\-－ー])\s*")
_RANGE_AFTER = re.compile(r"\s*(?:以内|未満|以下|まで|の間)")
_DATE = re.compile(r"(?:(?P<era>令和|平成)\s*(?P<ey>\d{1,2}|元)|(?P<y>(?:19|20)\d\d))\s*(?:年|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|/|\.)\s*"
                   r"(?:(?P<d>\d{1,2})\s*日?|(?P<end>末))")


def _date_of(m: re.Match[str]) -> tuple[int, int, int] | None:
    if m.group("y"):
        year = int(m.group("y"))
    else:
        n = 1 if m.group("ey") == "元" else int(m.group("ey"))
        year = (2018 if m.group("era") == "令和" else 1988) + n
    month = int(m.group("m"))
    # M月末: the month's last day
    day = int(m.group("d")) if m.group("d") else calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
    return (year, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


def _months_between(first: tuple[int, int, int], second: tuple[int, int, int]) -> int:
    """Whole months from one date to a later one; some days past a whole number of years count as a month more,
    so that 5年と数日 is beyond 「5年以内」 while 3年ちょうど is 「3年以上」."""
    months = (second[0] - first[0]) * 12 + second[1] - first[1] - (1 if second[2] < first[2] else 0)
    extra_days = second[2] != first[2]
    return months + 1 if extra_days and months % 12 == 0 and months else months


def of_role(quantities: tuple[Quantity, ...], *roles: str) -> list[Quantity]:
    return [q for q in quantities if q.role in roles]
