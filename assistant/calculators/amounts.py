"""Japanese amounts and ratios -> exact numbers.

Amounts become integer yen: 「6,000万円」「1.2億円」「三千万円」「62,977千円」「１億２，０００万円」「80万」.
Ratios become Fractions: 「3/4」「4分の3」「2割」「2割5分」「75%」「0.5」.
Rejected with AmountParseError (and a message saying why): empty, negative, over 1兆円, unreadable.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from assistant.errors import AmountParseError

MAX_YEN = 10**12  # 1兆円: nothing in this programme comes near it
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"億": 10**8, "万": 10**4}
_NUMBER = r"\d{1,13}(?:,\d{3}){0,4}(?:\.\d{1,6})?"  # bounded: ≤ 1兆円 has ≤ 13 digits; keeps matching linear
# One amount inside free text: 「1億2,000万円」「6,000万円」「62,977千円」「80万円」「3,000円」
AMOUNT_IN_TEXT = re.compile(
    rf"(?P<amount>(?:{_NUMBER}\s*億\s*)?(?:{_NUMBER}\s*(?:万|千万)\s*)?(?:{_NUMBER}\s*)?(?:千円|百万円|円|万円|億円|万|億))"
)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("，", ",").replace("　", "").strip()


def _kanji_to_arabic(text: str) -> str:
    """「一億二千万円」 -> 「120000000円」 (only runs of kanji numerals are rewritten)."""

    def convert(run: str) -> str:
        total, section, digit = 0, 0, 0
        for ch in run:
            if ch in _KANJI_DIGITS:
                digit = _KANJI_DIGITS[ch]
            elif ch in _KANJI_SMALL:
                section += (digit or 1) * _KANJI_SMALL[ch]
                digit = 0
            elif ch in _BIG_UNITS:
                total += (section + digit) * _BIG_UNITS[ch]
                section, digit = 0, 0
        return str(total + section + digit)

    # Only runs that start a number: 「62,977千円」「10百万円」 keep 千/百万 as units of the digits before them.
    return re.sub(r"(?<![\d,.])[〇零一二三四五六七八九十百千][〇零一二三四五六七八九十百千万億]*", lambda m: convert(m.group(0)), text)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise AmountParseError(f"数値として読めません: {text!r} (not a number)") from exc


def parse_amount(text: object) -> int:
    """An amount of money in yen. Bare numbers are yen; 「万」 alone means 万円."""
    if isinstance(text, bool):
        raise AmountParseError("金額が真偽値です (amount is a boolean)")
    if isinstance(text, int):
        value = text
    else:
        raw = _normalise(str(text))
        if not raw:
            raise AmountParseError("金額が空です (empty amount)")
        if raw.startswith(("-", "−", "▲", "△")):
            raise AmountParseError(f"負の金額は扱えません: {text!r} (negative amount)")
        s = _kanji_to_arabic(raw)
        s = s.removesuffix("円")
        # (「346万5千円」: thousands after the 万, as amounts are said)
        if not re.fullmatch(rf"(?:{_NUMBER}億)?(?:{_NUMBER}(?:千万|百万|万|千)|{_NUMBER}万{_NUMBER}千)?(?:{_NUMBER})?", s) or not s:
            raise AmountParseError(f"金額として読めません: {text!r} (unreadable amount; e.g. 6,000万円, 1.2億円)")
        value_dec = Decimal(0)
        rest = s
        for unit, factor in (("億", 10**8), ("千万", 10**7), ("百万", 10**6), ("万", 10**4), ("千", 10**3)):
            if unit in rest:
                head, rest = rest.split(unit, 1)
                value_dec += _decimal(head) * factor
        if rest:
            value_dec += _decimal(rest)
        if value_dec != value_dec.to_integral_value():
            raise AmountParseError(f"1円未満の端数があります: {text!r} (fraction of a yen)")
        value = int(value_dec)
    if value < 0:
        raise AmountParseError(f"負の金額は扱えません: {text!r} (negative amount)")
    if value > MAX_YEN:
        raise AmountParseError(f"金額が大きすぎます（上限1兆円）: {text!r} (over 1 trillion yen)")
    return value


def parse_ratio(text: object) -> Fraction:
    """A ratio: 3/4, 4分の3, 2割, 2割5分, 75%, 0.75 -> Fraction in [0, 1]."""
    if isinstance(text, Fraction):
        value = text
    elif isinstance(text, int | float) and not isinstance(text, bool):
        value = Fraction(str(text))
    else:
        s = _kanji_to_arabic(_normalise(str(text)))
        if not s:
            raise AmountParseError("割合が空です (empty ratio)")
        if s.startswith("-"):
            raise AmountParseError(f"負の割合は扱えません: {text!r} (negative ratio)")
        if m := re.fullmatch(r"(\d+)/(\d+)", s):
            if int(m.group(2)) == 0:
                raise AmountParseError(f"分母が0です: {text!r} (zero denominator)")
            value = Fraction(int(m.group(1)), int(m.group(2)))
        elif m := re.fullmatch(r"(\d+)分の(\d+)", s):
            if int(m.group(1)) == 0:
                raise AmountParseError(f"分母が0です: {text!r} (zero denominator)")
            value = Fraction(int(m.group(2)), int(m.group(1)))
        elif m := re.fullmatch(r"(\d+)割(?:(\d)分)?(?:(\d)厘)?", s):
            value = Fraction(int(m.group(1)), 10) + Fraction(int(m.group(2) or 0), 100) + Fraction(int(m.group(3) or 0), 1000)
        elif m := re.fullmatch(r"(\d+(?:\.\d+)?)(?:%|パーセント)", s):
            value = Fraction(m.group(1)) / 100
        elif re.fullmatch(r"\d+(?:\.\d+)?", s):
            value = Fraction(s)
        else:
            raise AmountParseError(f"割合として読めません: {text!r} (unreadable ratio; e.g. 3/4, 2割, 75%)")
    if not 0 <= value <= 1:
        raise AmountParseError(f"割合は0～1（0～100%）で指定してください: {text!r} (ratio out of range)")
    return value


def find_amounts(text: str) -> list[tuple[int, int, int]]:
    """All amounts in a sentence as (yen, start, end) over the NFKC-normalised text."""
    norm = unicodedata.normalize("NFKC", _kanji_to_arabic(text))
    found = []
    for m in AMOUNT_IN_TEXT.finditer(norm):
        try:
            found.append((parse_amount(m.group("amount").replace(" ", "")), m.start(), m.end()))
        except AmountParseError:
            continue
    return found


def format_yen(yen: int) -> str:
    """4500万円, 1億2,000万円, 346万5千円 (the 47,232千円 style of the tables is not used), else yen."""
    if yen % 10_000 == 0 and yen:
        man = yen // 10_000
        oku, rest = divmod(man, 10_000)
        if oku:
            return f"{oku}億{rest:,}万円" if rest else f"{oku}億円"
        return f"{man:,}万円"
    if yen % 1_000 == 0 and yen:
        if yen > 10_000:  # 346万5千円, as an officer says it (「3,465千円」 reads as a table's unit)
            return f"{format_yen(yen // 10_000 * 10_000)[:-1]}{yen % 10_000 // 1_000}千円"
        return f"{yen // 1_000:,}千円"
    return f"{yen:,}円"
