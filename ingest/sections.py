"""Cleaned text -> sections, from the documents' own headings.

Two levels are enough for these documents: a *part* (a measure's page 「施策名：…」, or a title page of the
制度概要 such as 「… 地方創生テレワーク型 (⑤進出企業定着・地域活性化支援事業)」) and a *heading* inside it
(■, 【…】, ＜…＞, ①–⑳, （１）, 「1. 申請要件」, table titles). Each section keeps character offsets into
the cleaned text so chunks can be mapped back exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART_PATTERNS = [
    re.compile(r"^施策名：\S"),
    re.compile(r"^(?:デジタル田園都市国家構想交付金\s*)?デジタル実装タイプ\S*\s*地方創生テレワーク型(?:\s*(?:制度概要|全体概要))?$"),
    re.compile(r"^「デジタル田園都市国家構想交付金」の概要$"),
    re.compile(r"^デジタル田園都市国家構想交付金（.+）$"),
    re.compile(r"^(?:【参考】)?過年度採択団体の\s*取組事例（.+）$"),
    re.compile(r"^取組事例（.+）$"),
    re.compile(r"^デジタル実装タイプ地方創生テレワーク型のスケジュール$"),
    re.compile(r"^問い合わせ先$"),
    re.compile(r"^施策名 府省 担当部署名"),
]
# A parenthesised line right after a part title belongs to the title: 「(⑤進出企業定着・地域活性化支援事業)」.
_TITLE_CONTINUATION = re.compile(r"^[(（][①-⑤].{2,80}[)）]$")

_HEADING_PATTERNS = [
    re.compile(r"^■\s*\S"),
    re.compile(r"^【[^】]{1,30}】\S{0,30}$"),
    re.compile(r"^[＜<][^＞>]{1,40}[＞>](?:\s*\S.{0,30})?$"),
    re.compile(r"^[①-⑳]\s*\S[^。]{0,40}$"),
    re.compile(r"^（[１-９\d]+）\S[^。]{0,40}$"),
    re.compile(r"^\d\.\s*\S[^。|]{0,28}$"),
    re.compile(r"^[○〇◎]\s*\S[^。]{0,30}$"),
    re.compile(r"^\S[^。|\t]{2,40}(?:実施計画|交付上限額|対象経費|スケジュール|考え方|について)(?:（.{0,40}）)?$"),
    re.compile(r"^\S{1,10}タイプ\s*補助率\s*\d\s*/\s*\d$"),  # 「高水準タイプ 補助率 3 / 4」 heads its KPI list
]
_NOT_HEADING = re.compile(r"^<https?://|^\d[\d,.]*\s*(?:円|万|百万)")


@dataclass(frozen=True)
class Section:
    part: str  # the page/measure title ('' before the first one)
    heading: str  # the heading inside the part ('' when the part starts with body text)
    start: int  # offsets into the cleaned text; the section's text is cleaned[start:end]
    end: int

    @property
    def path(self) -> str:
        return " > ".join(p for p in (self.part, self.heading) if p)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def classify(line: str) -> str | None:
    """'part', 'heading' or None for one cleaned line."""
    line = line.strip()
    if not line or _NOT_HEADING.match(line) or " | " in line or line.count("\t") > 3:
        return None
    if any(p.match(line) for p in _PART_PATTERNS):
        return "part"
    if len(line) <= 60 and any(p.match(line) for p in _HEADING_PATTERNS):
        return "heading"
    return None


def split_sections(text: str) -> list[Section]:
    """Split cleaned text at headings; every character of non-blank text belongs to exactly one section."""
    sections: list[Section] = []
    part, heading = "", ""
    start: int | None = None
    last_end = 0
    previous_kind: str | None = None

    def close(end: int) -> None:
        if start is not None and text[start:end].strip():
            sections.append(Section(part, heading, start, end))

    for (line_start, line_end) in _line_spans(text):
        line = text[line_start:line_end]
        if not line.strip():
            continue
        kind = classify(line)
        if kind is None and previous_kind == "part" and _TITLE_CONTINUATION.match(line.strip()):
            part = f"{part} {line.strip()}"
            last_end = line_end
            continue
        if kind is not None:
            close(last_end)
            if kind == "part":
                part, heading = line.strip(), ""
            else:
                heading = line.strip()
            start = line_start
        elif start is None:
            start = line_start
        previous_kind = kind
        last_end = line_end
    close(last_end)
    return sections
