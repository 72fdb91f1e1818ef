"""PDF-extracted Japanese text -> clean text that is still quotable.

What changes: page-number lines go; words the PDF broke into vertical fragments (「予算」「額」) and prose
lines wrapped mid-sentence are re-joined; HTML table fragments become readable rows (cells joined with
` | `, no tags left); markdown bold markers and separator rows go; private-use bullet glyphs become 「・」.
What never changes: the characters of the text itself — full-width/half-width, ①, spaces inside a line —
because answers quote this text back verbatim. Normalisation for search happens elsewhere, on keys only.
"""

from __future__ import annotations

import re

# Block-level tags separate cells/items; inline tags just disappear.
_BLOCK_TAG = re.compile(r"</?(?:p|ul|ol|li|div|br|tr|td|th|table)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:u|b|i|em|strong|span)(?:\s[^<>]*)?>", re.IGNORECASE)
_SEPARATOR_ROW = re.compile(r"^[\s|:{}\-]*-{3,}[\s|:{}\-]*$|^-\s*(?:\|\s*)+$")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?\s*(?:-)?\s*$")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_SENTENCE_END = tuple("。．！？!?）)」』】＞>")
# A line starting with one of these opens a new item, so it is never glued to the line before it.
_ITEM_START = re.compile(
    r"^(?:[•・\-－○◎●■□◆◇※✓➤▶►★☆〇▪→⇒「『【＜<（(\[［：]|[①-⑳ⅰ-ⅿ]|\d+[.．)）]|[ア-ン]\s|第\S+条|\||施策名)"
)


def _html_row(line: str) -> str:
    """One PDF table row with HTML cell fragments -> cells joined by ' | '."""
    line = _INLINE_TAG.sub("", line)
    line = _BLOCK_TAG.sub("\t", line)
    cells = [re.sub(r"\s{2,}", " ", cell).strip() for cell in line.split("\t")]
    return " | ".join(cell for cell in cells if cell)


def _is_fragment(line: str) -> bool:
    """A piece of a vertically set label (「詳」「細」, 「特徴・」「ポイン」「ト」)."""
    return 0 < len(line) <= 4 and not _ITEM_START.match(line) and not line.isdigit()


def _continues(previous: str, line: str) -> bool:
    """Was `line` wrapped off the end of `previous` by the PDF layout?"""
    if not previous or not line or "\t" in previous or "\t" in line or " | " in previous:
        return False
    if previous.endswith(("、", "，")) and re.match(r"^[①-⑳]", line) and "、" in line:
        return True  # 「①…事業、②…事業、」+「③…事業、④…事業)」: one enumeration wrapped by the layout
    if previous.endswith(_SENTENCE_END) or _ITEM_START.match(line):
        return False
    # Layout wraps happen on long lines; a short line ending without punctuation is a label or heading.
    return len(previous) >= 18 or previous.endswith(("、", "，", "の", "を", "に", "が", "は", "と", "・"))


def clean_text(raw: str) -> str:
    """Return the cleaned text of one document (lines separated by '\n', blocks by one blank line)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines: list[tuple[str, bool]] = []
    for raw_line in text.split("\n"):
        line = raw_line.rstrip()
        # In these extractions a line indented by the PDF starts a new page block: never glue it on.
        indented = raw_line[:1].isspace()
        if _BLOCK_TAG.search(line) or _INLINE_TAG.search(line):
            line = _html_row(line)
        line = line.replace("**", "")
        line = _PRIVATE_USE.sub("・", line)
        # Keep leading TABs: they are the empty first cells that keep a table's columns aligned.
        stripped = line.strip(" \u3000") if "\t" in line else line.strip()
        if _SEPARATOR_ROW.match(stripped) or _PAGE_NUMBER.match(stripped):
            stripped = ""
        if stripped.startswith("|") and stripped.endswith("|"):
            stripped = " | ".join(c.strip() for c in stripped.strip("|").split("|") if c.strip() not in ("", "{"))
        lines.append((stripped, indented))

    out: list[str] = []
    blank_run = 0
    last_is_fragments = False  # the last output line was built only from vertical-label fragments
    for line, indented in lines:
        if not line:
            blank_run += 1
            continue
        if line.startswith("：") and blank_run == 1 and out:
            blank_run = 0  # 「対象経費：…」 followed by 「：…」 items: keep the list in one block
        previous = out[-1] if out else ""
        fragment = _is_fragment(line)
        if previous and fragment and last_is_fragments and blank_run == 0:
            out[-1] = previous + line  # 「予算」+「額」
        elif previous and blank_run == 0 and not indented and _continues(previous, line):
            out[-1] = previous + line
        elif previous and blank_run == 1 and previous.endswith(("、", "，")) and not _ITEM_START.match(line):
            out[-1] = previous + line  # a sentence split across a blank line after a comma
        else:
            if out and blank_run:
                out.append("")
            out.append(line)
            last_is_fragments = fragment
        blank_run = 0
    return "\n".join(out).strip("\n") + "\n"
