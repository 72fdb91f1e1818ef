"""Programme vocabulary shared by the router and the answerer: which grant type a text is about."""

from __future__ import annotations

import re
import unicodedata

# A type is named by its rate too (「3/4の高いほうを目指す」「1/2で採択済み」「4分の3で申請」): the rate right after
# 補助率 or 国費, or followed by what a type does (タイプ, 採択, 申請, 目指す, 狙う, the higher/lower of the two).
_RATE_OF_TYPE = r"(?:補助率|国費)\s*(?:は|が)?\s*(?:{r})|(?:{r})\s*(?:の|で|に|を)?\s*(?:タイプ|型|採択|申請|目指|狙|{side}|(?:ほう|方)で(?:出|申請|応募))"
_HIGH = re.compile(r"高水準|" + _RATE_OF_TYPE.format(r=r"3\s*/\s*4|4分の3", side=r"高い"))
_STANDARD = re.compile(r"標準|" + _RATE_OF_TYPE.format(r=r"1\s*/\s*2|2分の1", side=r"低い"))


def grant_type_of(text: str) -> str | None:
    """'高水準' or '標準' when the text names exactly one of the two types (補助率3/4 ↔ 高水準, 1/2 ↔ 標準)."""
    t = unicodedata.normalize("NFKC", text)
    high, standard = bool(_HIGH.search(t)), bool(_STANDARD.search(t))
    if high != standard:
        return "高水準" if high else "標準"
    return None
