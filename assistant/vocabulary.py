"""Programme vocabulary shared by the router and the answerer: which grant type a text is about."""

from __future__ import annotations

import re
import unicodedata

_HIGH = re.compile(r"高水準|補助率\s*3\s*/\s*4|3\s*/\s*4\s*の?タイプ")
_STANDARD = re.compile(r"標準|補助率\s*1\s*/\s*2|1\s*/\s*2\s*の?タイプ")


def grant_type_of(text: str) -> str | None:
    """'高水準' or '標準' when the text names exactly one of the two types (補助率3/4 ↔ 高水準, 1/2 ↔ 標準)."""
    t = unicodedata.normalize("NFKC", text)
    high, standard = bool(_HIGH.search(t)), bool(_STANDARD.search(t))
    if high != standard:
        return "高水準" if high else "標準"
    return None
