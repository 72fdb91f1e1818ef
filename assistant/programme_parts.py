"""The two parts of the 制度概要: 施設整備・利用促進事業 (①～④) and 進出企業定着・地域活性化支援事業 (⑤).

Their scoring scales, KPIs, requirements, plans and lists differ, so the answer path (a fact card of one part is
no answer about the other), the calculators (each part's ■ list) and the router (which part a question asks about)
name them the same way, from here. Matching reads search keys or question text; nothing quoted is changed.
"""

from __future__ import annotations

import re

FIFTH, FACILITIES = "⑤", "①～④"
NAMES_FIFTH = re.compile(r"⑤|進出企業定着")
NAMES_FACILITIES = re.compile(r"[①-④]|施設整備・利用促進")


def part_named(text: str) -> str | None:
    """The part a text names alone (⑤ or ①～④), or None when it names both or neither."""
    fifth, facilities = bool(NAMES_FIFTH.search(text)), bool(NAMES_FACILITIES.search(text))
    return FIFTH if fifth and not facilities else FACILITIES if facilities and not fifth else None


# ④'s payment named by itself (「進出支援金」「進出支援事業」) is a ①～④ matter when the text names no ⑤: the ⑤ pages
# define their own 進出企業, which is not who the payment is for
_NAMES_PAYMENT = re.compile(r"進出支援金|進出支援事業|進出支援経費")


def asked_part(text: str) -> str | None:
    """The part a question names alone: as `part_named`, and ①～④ for ④'s payment named without ⑤."""
    named = part_named(text)
    if named is None and _NAMES_PAYMENT.search(text) and not NAMES_FIFTH.search(text):
        return FACILITIES
    return named


def section_part(section: str) -> str | None:
    """The part a section of the 制度概要 belongs to: the one its top heading names (「…(⑤進出企業定着…) > ① 進出企業」
    is ⑤'s, its ① a number of its own list)."""
    return part_named(section.split(" > ")[0])

