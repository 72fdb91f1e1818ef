"""A contact an officer has (a phone number or an address from a note) checked against the documents: whether
the documents give it for the measure the question names, and if not, whose it is and the named measure's own.

The documents list each measure's contact in its own section (the catalogue's 「施策名：…」 pages, the overview's
問い合わせ先): the measure a contact belongs to is the section that holds it. Nothing here is typed per measure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import programme_names
from assistant.japanese import normalise_key, programme_aliases
from assistant.types import Chunk

_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# the officer asks whether what they have is right (「これで合ってますか」「間違っていませんか」「本当ですか」)
_CLAIM_ASK = re.compile(r"合って|あって(?:い|ま)|正し|本当|間違|ずれ|違って|で(?:いい|よい|良い|大丈夫|問題)")


@dataclass(frozen=True)
class ContactCheck:
    contact: str
    given_for_named: bool  # the documents give it in the named measure's section
    holder: Chunk  # the chunk holding the contact (its section is whose it is)
    holder_line: str  # the line of that chunk with the contact, and the office on the line before it
    holder_quote: str  # the line itself, verbatim
    named: str  # the measure the question names
    named_chunk: Chunk | None  # the named measure's own section, when it gives a contact
    named_line: str
    named_quote: str


def _contact_lines(chunk: Chunk, contact: str | None = None) -> tuple[str, str]:
    """The chunk's line holding `contact` (else its first contact line), shown with the office named on the line
    before, and the line itself (the verbatim quote)."""
    lines = [ln.strip() for ln in chunk.text.split("\n") if ln.strip()]
    for i, line in enumerate(lines):
        found = contact in normalise_key(line) if contact else bool(_PHONE.search(line) or _EMAIL.search(line))
        if found:
            before = lines[i - 1] if i and not (_PHONE.search(lines[i - 1]) or _EMAIL.search(lines[i - 1])) else ""
            return (f"{before} {line}" if re.search(r"省|府|庁|室|課|局", before) else line), line
    return "", ""


def _section_names(chunk: Chunk) -> str:
    return normalise_key(re.sub(r"^施策名[:：]", "", chunk.section))


def check(question: str, chunks: Sequence[Chunk]) -> ContactCheck | None:
    key = normalise_key(question)
    contacts = [*_PHONE.findall(key), *_EMAIL.findall(key)]
    if len(contacts) != 1 or not _CLAIM_ASK.search(key):
        return None  # (checked on every question: the names are read only when a contact is claimed)
    names = programme_names(question)
    if not names:
        return None
    contact, named = contacts[0], names[0]
    aliases = [a for a in programme_aliases(named) if len(a) >= 4]
    holders = [c for c in chunks if contact in normalise_key(c.text)]
    if not holders:
        return None  # a contact the documents do not give: the answer path says what they give
    own = [c for c in chunks if any(a in _section_names(c) for a in aliases) and (_PHONE.search(c.text) or _EMAIL.search(c.text))]
    given = next((c for c in holders if c in own), None)
    # a measure's own page names whose contact it is better than a general contact section does
    holder = given or next((c for c in holders if c.section.startswith("施策名")), holders[0])
    named_chunk = own[0] if own else None
    return ContactCheck(contact, given is not None, holder, *_contact_lines(holder, contact), named, named_chunk,
                        *(_contact_lines(named_chunk) if named_chunk is not None else ("", "")))


def measure_of(chunk: Chunk) -> str:
    """Whose contact a chunk gives: its section's measure (「施策名：」 left out), else the subject of the
    contact section (「<…についての問合せ>」), else the document's title."""
    if chunk.section.startswith("施策名"):
        return re.sub(r"^施策名[:：]\s*", "", chunk.section).strip()
    subject = re.search(r"[<＜]([^>＞]{2,40}?)についての問(?:い)?合(?:わ)?せ[>＞]", chunk.text)
    return subject.group(1) if subject else chunk.title
